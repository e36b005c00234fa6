// Backtest chart: actual won value per period against Tandem's forecast with its 80 % band,
// and the weighted pipeline (data from json_script). Drawn when the page loads, or when its body
// arrives after it (htmx) while the day's forecasts were being learned.
(function () {
  "use strict";
  function draw() {
  var element = document.getElementById("forecast-chart");
  var source = document.getElementById("forecast-data");
  var labels = document.getElementById("forecast-labels");
  if (!element || !source || !labels || !window.echarts || element.dataset.ready) return;
  var data = JSON.parse(source.textContent);
  var names = JSON.parse(labels.textContent);
  var format = window.TandemCharts.format;
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#0f172a", "#2563eb", "#2563eb", "#d97706"],
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: [names.actual, names.forecast, names.band, names.weighted_pipeline] },
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) { return format.money(value); }
    },
    xAxis: {
      type: "category",
      data: data.periods,
      axisLine: { lineStyle: { color: "#c9d1da" } },
      axisLabel: { color: "#5d6b7a" }
    },
    yAxis: {
      type: "value",
      splitLine: { lineStyle: { color: "#eef1f4" } },
      axisLabel: { color: "#5d6b7a", formatter: function (value) { return format.money(value); } }
    },
    series: [
      { name: names.actual, type: "bar", data: data.actual, barMaxWidth: 22, z: 3,
        itemStyle: { color: "#94a3b8", borderRadius: [3, 3, 0, 0] } },
      { name: names.forecast, type: "line", data: data.forecast, symbolSize: 6, z: 4 },
      { name: "low", type: "line", data: data.low, stack: "band", symbol: "none",
        lineStyle: { opacity: 0 }, tooltip: { show: false } },
      { name: names.band, type: "line", data: data.band, stack: "band", symbol: "none",
        lineStyle: { opacity: 0 }, areaStyle: { color: "rgba(37, 99, 235, 0.15)" } },
      { name: names.weighted_pipeline, type: "line", data: data.weighted_pipeline,
        lineStyle: { type: "dashed" }, symbolSize: 4 }
    ]
  });
  element.dataset.ready = "true";
  window.addEventListener("resize", function () { chart.resize(); });
  }
  draw();
  document.addEventListener("htmx:afterSettle", draw);
})();
