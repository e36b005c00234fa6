// Renewal charts with ECharts; the numbers come from json_script ("renewals-data", "rates-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var format = charts.format;
  function percentLabel(v) { return format.percent(v / 100, -1); }
  var axis = charts.axisLabel;
  var colors = { high: "#dc2626", medium: "#d97706", low: "#16a34a" };
  var read = charts.read;
  var draw = charts.draw;

  var upcoming = read("renewals-data");
  if (upcoming) {
    draw("renewals-chart", {
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format.money(v); } },
      xAxis: { type: "category", data: upcoming.months, axisLabel: axis },
      yAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return format.money(v); } } },
      series: upcoming.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "value", data: s.data, color: colors[s.level], barMaxWidth: 36 };
      })
    });
  }

  var rates = read("rates-data");
  if (rates) {
    var percentAxis = { type: "value", min: 0, max: 100, axisLabel: { color: axis.color, formatter: percentLabel } };
    var percentTip = function (v) { return format.percent(v == null ? null : v / 100, -1); };
    draw("kam-chart", {
      color: ["#2563eb"],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: percentTip },
      xAxis: { type: "category", data: rates.kams, axisLabel: { color: axis.color, rotate: rates.kams.length > 6 ? 30 : 0 } },
      yAxis: percentAxis,
      series: [{ name: rates.rate_label, type: "bar", data: rates.kam_rates, barMaxWidth: 36 }]
    });
    draw("trend-chart", {
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rates.periods, axisLabel: axis },
      yAxis: [percentAxis, { type: "value", minInterval: 1, axisLabel: axis, splitLine: { show: false } }],
      series: [
        { name: rates.retained_label, type: "bar", stack: "n", yAxisIndex: 1, data: rates.retained, color: "#93c5fd", barMaxWidth: 28 },
        { name: rates.churned_label, type: "bar", stack: "n", yAxisIndex: 1, data: rates.churned, color: "#fca5a5", barMaxWidth: 28 },
        { name: rates.rate_label, type: "line", data: rates.trend, color: "#2563eb", connectNulls: true,
          tooltip: { valueFormatter: percentTip } }
      ]
    });
  }

})();
