// The cockpit's charts with ECharts; the numbers come from json_script ("cockpit-data").
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang || "en";
  var money = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  var axis = { color: "#5d6b7a" };
  var charts = [];

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) return;
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option);
    element.dataset.rendered = "true";
    charts.push(chart);
  }

  draw("attainment-chart", {
    color: ["#2563eb", "#c9d1da"],
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "–" : money.format(v); } },
    xAxis: { type: "category", data: data.attainment.names, axisLabel: axis },
    yAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return money.format(v); } } },
    series: [
      { name: data.attainment.won_label, type: "bar", data: data.attainment.won, barMaxWidth: 28 },
      { name: data.attainment.quota_label, type: "bar", data: data.attainment.quota, barMaxWidth: 28 }
    ]
  });

  draw("funnel-chart", {
    tooltip: { trigger: "item" },
    series: [{
      type: "funnel",
      sort: "none",
      left: "10%", width: "80%", top: 8, bottom: 8,
      label: { show: true, position: "inside", formatter: "{b}: {c}" },
      data: data.funnel.steps
    }]
  });

  draw("reps-chart", {
    color: ["#2563eb"],
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return money.format(v); } },
    xAxis: { type: "category", data: data.reps.names, axisLabel: { color: axis.color, rotate: data.reps.names.length > 8 ? 30 : 0 } },
    yAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return money.format(v); } } },
    series: [{ name: data.reps.label, type: "bar", data: data.reps.won, barMaxWidth: 28 }]
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
