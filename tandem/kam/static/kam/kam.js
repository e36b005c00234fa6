// The KAM cockpit's and the concentration page's charts with ECharts; the numbers come from
// json_script ("kam-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("kam-data");
  if (!data || !window.echarts) return;
  var format = charts.format;
  function percentLabel(v) { return format.percent(v / 100, -1); }
  var axis = charts.axisLabel;
  var draw = charts.draw;

  function moneyAxis() {
    return { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return format.money(v); } } };
  }

  if (data.revenue) {
    draw("kam-revenue-chart", {
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format.money(v); } },
      xAxis: { type: "category", data: data.revenue.years, axisLabel: axis },
      yAxis: moneyAxis(),
      series: data.revenue.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "revenue", data: s.data, barMaxWidth: 48 };
      })
    });
  }

  if (data.pareto) {
    draw("kam-pareto-chart", {
      color: ["#7c3aed", "#f59e0b"],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format.percent(v / 100, -1); } },
      xAxis: { type: "category", data: data.pareto.names, axisLabel: { show: false } },
      yAxis: { type: "value", max: 100, axisLabel: { color: axis.color, formatter: percentLabel } },
      series: [
        { name: data.pareto.share_label, type: "bar", data: data.pareto.shares, barMaxWidth: 24 },
        { name: data.pareto.cumulative_label, type: "line", data: data.pareto.cumulative, symbolSize: 4 }
      ]
    });
    draw("kam-lorenz-chart", {
      color: ["#7c3aed", "#c9d1da"],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format.percent(v / 100, -1); } },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { color: axis.color, formatter: percentLabel } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { color: axis.color, formatter: percentLabel } },
      series: [
        { type: "line", data: data.pareto.lorenz, showSymbol: false, areaStyle: { opacity: 0.15 } },
        { type: "line", data: [[0, 0], [100, 100]], showSymbol: false, lineStyle: { type: "dashed" } }
      ]
    });
  }

  if (data.kams) {
    draw("kam-kams-chart", {
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format.money(v); } },
      xAxis: { type: "category", data: data.kams.names, axisLabel: { color: axis.color, rotate: data.kams.names.length > 8 ? 30 : 0 } },
      yAxis: moneyAxis(),
      series: data.kams.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, barMaxWidth: 24 };
      })
    });
  }

  // one small line per portfolio row: revenue by year
  if (data.trends) {
    document.querySelectorAll("[data-trend]").forEach(function (element) {
      var values = data.trends[element.dataset.trend];
      if (!values) return;
      draw(element, {
        animation: false,
        grid: { left: 2, right: 2, top: 2, bottom: 2 },
        xAxis: { type: "category", show: false, data: values.map(function (_v, i) { return i; }) },
        yAxis: { type: "value", show: false, min: 0 },
        series: [{ type: "line", data: values, showSymbol: false, lineStyle: { width: 1.5, color: "#7c3aed" }, areaStyle: { opacity: 0.1, color: "#7c3aed" } }]
      });
    });
  }
})();
