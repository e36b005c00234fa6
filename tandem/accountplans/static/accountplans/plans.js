// The plan list's chart with ECharts: each plan's actions by status (stacked bars); the
// numbers come from json_script ("plans-data").
(function () {
  "use strict";
  var source = document.getElementById("plans-data");
  var element = document.getElementById("actions-chart");
  if (!source || !element || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var colours = { done: "#15803d", in_progress: "#2563eb", open: "#c9d1da", blocked: "#dc2626" };
  var chart = window.echarts.init(element, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: function (items) {
        var index = items[0].dataIndex;
        var lines = [items[0].axisValue];
        items.forEach(function (item) { lines.push(item.marker + item.seriesName + ": " + item.value); });
        if (data.overdue[index]) lines.push(data.overdue_label + ": " + data.overdue[index]);
        return lines.join("<br>");
      }
    },
    xAxis: { type: "value", minInterval: 1, axisLabel: { color: "#5d6b7a" } },
    yAxis: { type: "category", data: data.accounts, axisLabel: { color: "#5d6b7a" } },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "actions", data: s.data, barMaxWidth: 18,
               itemStyle: { color: colours[s.status] } };
    })
  });
  element.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
})();
