// The candidates' radar chart with ECharts; the numbers come from json_script ("hiring-data").
(function () {
  "use strict";
  var source = document.getElementById("hiring-data");
  var element = document.getElementById("radar-chart");
  if (!source || !element || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var expectedLabel = element.dataset.expectedLabel || "Expected";
  var series = [{ value: data.expected, name: expectedLabel, lineStyle: { type: "dashed" }, areaStyle: { opacity: 0.05 } }];
  data.candidates.forEach(function (c) {
    series.push({ value: c.values.map(function (v) { return v == null ? 0 : v; }), name: c.name });
  });
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#8a96a3", "#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9"],
    legend: { top: 0, type: "scroll" },
    tooltip: {},
    radar: { indicator: data.indicators, radius: "62%", center: ["50%", "56%"], axisName: { color: "#5d6b7a" } },
    series: [{ type: "radar", data: series }]
  });
  element.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
})();
