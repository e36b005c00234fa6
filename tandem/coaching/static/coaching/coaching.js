// Coaching charts with ECharts: a rep's attainment and win rate next to their team's
// ("coaching-data"), and every coached rep's attainment next to their team's
// ("coaching-team-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var format = charts.format;
  function show(v) { return format.percent(v); }

  function bars(elementId, categories, rep, team, repLabel, teamLabel) {
    charts.draw(elementId, {
      color: ["#2563eb", "#c9d1da"],
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: show },
      xAxis: { type: "category", data: categories, axisLabel: { color: charts.axisLabel.color, rotate: categories.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { color: charts.axisLabel.color, formatter: function (v) { return format.percent(v); } } },
      series: [
        { name: repLabel, type: "bar", data: rep, barMaxWidth: 36 },
        { name: teamLabel, type: "bar", data: team, barMaxWidth: 36 }
      ]
    });
  }

  var data = charts.read("coaching-data");
  if (data) {
    bars("scorecard-chart", data.labels, data.rep, data.team, data.rep_label, data.team_label);
  }
  var team = charts.read("coaching-team-data");
  if (team) {
    bars("team-chart", team.names, team.rep, team.team, team.rep_label, team.team_label);
  }
})();
