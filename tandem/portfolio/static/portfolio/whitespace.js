// The whitespace heat-map with ECharts; the numbers come from json_script ("whitespace-data").
(function () {
  "use strict";
  var source = document.getElementById("whitespace-data");
  var element = document.getElementById("heatmap-chart");
  if (!source || !element || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang || "en";
  var money = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    tooltip: {
      position: "top",
      formatter: function (p) {
        var text = data.accounts[p.value[1]] + "<br>" + data.products[p.value[0]] + ": " +
          (data.labels[String(p.value[2])] || money.format(p.value[2]));
        return p.value[3] ? text + " (" + data.deal_label + ")" : text;
      }
    },
    xAxis: { type: "category", data: data.products, splitArea: { show: true },
      axisLabel: { color: "#5d6b7a", rotate: 30, interval: 0, width: 110, overflow: "truncate" } },
    yAxis: { type: "category", data: data.accounts, splitArea: { show: true },
      axisLabel: { color: "#5d6b7a", width: 180, overflow: "truncate" } },
    visualMap: { min: 0, max: data.max || 1, calculable: true, orient: "horizontal",
      left: "center", bottom: 0, itemHeight: 120,
      inRange: { color: ["#eef4ff", "#6f9ef5", "#1e3a8a"] },
      formatter: function (v) { return money.format(v); } },
    series: [{ type: "heatmap", data: data.points.map(function (p) { return [p[0], p[1], p[2], p[3]]; }),
      emphasis: { itemStyle: { borderColor: "#111", borderWidth: 1 } } }]
  });
  element.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
})();
