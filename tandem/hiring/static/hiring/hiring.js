// The candidates' radar chart with ECharts; the numbers come from json_script ("hiring-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("hiring-data");
  var element = document.getElementById("radar-chart");
  if (!data || !element) return;
  var expectedLabel = element.dataset.expectedLabel || "Expected";
  var series = [{ value: data.expected, name: expectedLabel, lineStyle: { type: "dashed" }, areaStyle: { opacity: 0.05 } }];
  data.candidates.forEach(function (c) {
    series.push({ value: c.values.map(function (v) { return v == null ? 0 : v; }), name: c.name });
  });
  charts.draw("radar-chart", {
    color: ["#8a96a3", "#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9"],
    legend: { top: 0, type: "scroll" },
    tooltip: {},
    radar: { indicator: data.indicators, radius: "62%", center: ["50%", "56%"], axisName: charts.axisLabel },
    series: [{ type: "radar", data: series }]
  });
})();
