// Draws a person's competencies as a radar: expected level, self- and manager's rating.
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("radar-data");
  if (!data) return;
  charts.draw("radar-chart", {
    color: ["#9aa5b1", "#2563eb", "#16a34a"],
    legend: { bottom: 0, data: data.series.map(function (s) { return s.name; }) },
    tooltip: {},
    radar: { indicator: data.indicators, radius: "62%", splitNumber: 5,
             axisName: { color: "#5d6b7a", fontSize: 11 } },
    series: [{
      type: "radar",
      data: data.series.map(function (s, i) {
        return { name: s.name, value: s.values,
                 lineStyle: i === 0 ? { type: "dashed" } : {},
                 areaStyle: i === 0 ? undefined : { opacity: 0.12 } };
      })
    }]
  }, "svg");
})();
