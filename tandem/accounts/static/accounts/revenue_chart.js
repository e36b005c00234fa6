// Draws the account's invoiced revenue per month with ECharts (data from json_script).
(function () {
  "use strict";
  var element = document.getElementById("revenue-chart");
  var source = document.getElementById("revenue-data");
  if (!element || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang || "en";
  var money = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#2563eb"],
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) { return money.format(value); }
    },
    xAxis: {
      type: "category",
      data: data.months,
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: "#c9d1da" } },
      axisLabel: { color: "#5d6b7a" }
    },
    yAxis: {
      type: "value",
      splitLine: { lineStyle: { color: "#eef1f4" } },
      axisLabel: { color: "#5d6b7a", formatter: function (value) { return money.format(value); } }
    },
    series: [{
      name: data.label,
      type: "bar",
      data: data.totals,
      barMaxWidth: 28,
      itemStyle: { borderRadius: [4, 4, 0, 0] }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
