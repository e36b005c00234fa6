// The whitespace heat-map with ECharts; the numbers come from json_script ("whitespace-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("whitespace-data");
  if (!data) return;
  charts.draw("heatmap-chart", {
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    tooltip: {
      position: "top",
      formatter: function (p) {
        var point = p.data;
        var text = charts.escape(data.accounts[point[1]]) + "<br>" +
          charts.escape(data.products[point[0]]) + ": " +
          charts.format.compactMoney(point[4], data.money_units);
        return point[3] ? text + " (" + data.deal_label + ")" : text;
      }
    },
    xAxis: { type: "category", data: data.products, splitArea: { show: true },
      axisLabel: { color: "#5d6b7a", rotate: 30, interval: 0, width: 110, overflow: "truncate" } },
    yAxis: { type: "category", data: data.accounts, splitArea: { show: true },
      axisLabel: { color: "#5d6b7a", width: 180, overflow: "truncate" } },
    visualMap: { min: 0, max: 1, dimension: 2, calculable: false, orient: "horizontal",
      left: "center", bottom: 0, itemHeight: 120, text: [charts.format.compactMoney(data.high, data.money_units),
        charts.format.compactMoney(data.low, data.money_units)],
      inRange: { color: ["#dbe7fd", "#6f9ef5", "#1e3a8a"] } },
    series: [{ type: "heatmap", data: data.points,
      emphasis: { itemStyle: { borderColor: "#111", borderWidth: 1 } } }]
  });
})();
