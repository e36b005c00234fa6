// Draws the account's invoiced revenue per month with ECharts (data from json_script).
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("revenue-data");
  if (!data) return;
  var format = charts.format;
  charts.draw("revenue-chart", {
    color: ["#2563eb"],
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) { return format.money(value); }
    },
    xAxis: {
      type: "category",
      data: data.months,
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: "#c9d1da" } },
      axisLabel: charts.axisLabel
    },
    yAxis: {
      type: "value",
      splitLine: { lineStyle: { color: "#eef1f4" } },
      axisLabel: { color: charts.axisLabel.color, formatter: function (value) { return format.money(value); } }
    },
    series: [{
      name: data.label,
      type: "bar",
      data: data.totals,
      barMaxWidth: 28,
      itemStyle: { borderRadius: [4, 4, 0, 0] }
    }]
  });
})();
