// A rep's attainment and win rate next to their team's, with ECharts ("coaching-data").
(function () {
  "use strict";
  var source = document.getElementById("coaching-data");
  var element = document.getElementById("scorecard-chart");
  if (!source || !element || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var locale = document.documentElement.lang || "en";
  var pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  function show(v) { return v == null ? "–" : pct.format(v); }
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    color: ["#2563eb", "#c9d1da"],
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: show },
    xAxis: { type: "category", data: data.labels, axisLabel: { color: "#5d6b7a" } },
    yAxis: { type: "value", axisLabel: { color: "#5d6b7a", formatter: function (v) { return pct.format(v); } } },
    series: [
      { name: data.rep_label, type: "bar", data: data.rep, barMaxWidth: 36 },
      { name: data.team_label, type: "bar", data: data.team, barMaxWidth: 36 }
    ]
  });
  element.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
})();
