// The plan list's chart with ECharts: each plan's actions by status (stacked bars); the
// numbers come from json_script ("plans-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("plans-data");
  if (!data) return;
  var colours = { done: "#15803d", in_progress: "#2563eb", open: "#c9d1da", blocked: "#dc2626" };
  charts.draw("actions-chart", {
    animation: false,
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: function (items) {
        var index = items[0].dataIndex;
        var escape = charts.escape;
        var lines = [escape(items[0].axisValue)];
        items.forEach(function (item) { lines.push(item.marker + escape(item.seriesName) + ": " + item.value); });
        if (data.overdue[index]) lines.push(escape(data.overdue_label) + ": " + data.overdue[index]);
        return lines.join("<br>");
      }
    },
    xAxis: { type: "value", minInterval: 1, axisLabel: charts.axisLabel },
    yAxis: { type: "category", data: data.accounts, axisLabel: charts.axisLabel },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "actions", data: s.data, barMaxWidth: 18,
               itemStyle: { color: colours[s.status] } };
    })
  });
})();
