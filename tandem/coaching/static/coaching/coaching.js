// Coaching charts with ECharts: a rep's attainment and win rate next to their team's
// ("coaching-data"), and every coached rep's attainment next to their team's
// ("coaching-team-data").
(function () {
  "use strict";
  if (!window.echarts) return;
  var locale = document.documentElement.lang || "en";
  var pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  function show(v) { return v == null ? "–" : pct.format(v); }
  var charts = [];

  function bars(sourceId, elementId, categories, rep, team, repLabel, teamLabel) {
    var element = document.getElementById(elementId);
    if (!element) return;
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      color: ["#2563eb", "#c9d1da"],
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: show },
      xAxis: { type: "category", data: categories, axisLabel: { color: "#5d6b7a", rotate: categories.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { color: "#5d6b7a", formatter: function (v) { return pct.format(v); } } },
      series: [
        { name: repLabel, type: "bar", data: rep, barMaxWidth: 36 },
        { name: teamLabel, type: "bar", data: team, barMaxWidth: 36 }
      ]
    });
    element.dataset.rendered = "true";
    charts.push(chart);
  }

  var one = document.getElementById("coaching-data");
  if (one) {
    var data = JSON.parse(one.textContent);
    bars("coaching-data", "scorecard-chart", data.labels, data.rep, data.team, data.rep_label, data.team_label);
  }
  var many = document.getElementById("coaching-team-data");
  if (many) {
    var team = JSON.parse(many.textContent);
    bars("coaching-team-data", "team-chart", team.names, team.rep, team.team, team.rep_label, team.team_label);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
