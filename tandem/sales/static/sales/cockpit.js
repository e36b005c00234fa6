// The cockpit's charts with ECharts; the numbers come from json_script ("cockpit-data").
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var data = charts.read("cockpit-data");
  if (!data || !window.echarts) return;
  var format = charts.format;
  var axis = charts.axisLabel;
  var draw = charts.draw;

  draw("attainment-chart", {
    color: ["#2563eb", "#c9d1da"],
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return format.money(v); } },
    xAxis: { type: "category", data: data.attainment.names, axisLabel: axis },
    yAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return format.money(v); } } },
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
    tooltip: { trigger: "axis", valueFormatter: function (v) { return format.money(v); } },
    xAxis: { type: "category", data: data.reps.names, axisLabel: { color: axis.color, rotate: data.reps.names.length > 8 ? 30 : 0 } },
    yAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return format.money(v); } } },
    series: [{ name: data.reps.label, type: "bar", data: data.reps.won, barMaxWidth: 28 }]
  });
})();

// Forecast against quota: closed so far, the forecast with its 80 % interval, the quota. The
// section comes with the page, or after it (htmx) when the day's forecast had to be learned.
(function () {
  "use strict";
  function drawForecast() {
    var charts = window.TandemCharts;
    var element = document.getElementById("forecast-chart");
    var data = charts.read("forecast-data");
    if (!data || !element || element.dataset.rendered) return;
    var format = charts.format;
    charts.draw("forecast-chart", {
      legend: { top: 0, data: [data.labels.closed, data.labels.interval, data.labels.forecast, data.labels.quota] },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        formatter: function (items) {
          var i = items[0].dataIndex;
          var escape = charts.escape;
          return escape(data.names[i]) + "<br>" + escape(data.labels.closed) + ": " + format.money(data.closed[i] || 0) +
            "<br>" + escape(data.labels.forecast) + ": " + format.money(data.forecast[i] || 0) +
            "<br>" + escape(data.labels.interval) + ": " + format.money(data.low[i] || 0) + " – " +
            format.money((data.low[i] || 0) + (data.band[i] || 0)) +
            "<br>" + escape(data.labels.quota) + ": " + format.money(data.quota[i]);
        }
      },
      xAxis: { type: "category", data: data.names, axisLabel: { color: "#5d6b7a" } },
      yAxis: { type: "value", axisLabel: { color: "#5d6b7a", formatter: function (v) { return format.money(v); } } },
      series: [
        { name: data.labels.closed, type: "bar", data: data.closed, barWidth: "22%", itemStyle: { color: "#16a34a" } },
        { name: "low", type: "bar", stack: "interval", data: data.low, barWidth: "22%", itemStyle: { color: "transparent" }, tooltip: { show: false } },
        { name: data.labels.interval, type: "bar", stack: "interval", data: data.band, barWidth: "22%", itemStyle: { color: "rgba(37, 99, 235, 0.25)", borderColor: "#2563eb" } },
        { name: data.labels.forecast, type: "scatter", data: data.forecast, symbolSize: 14, itemStyle: { color: "#2563eb" } },
        { name: data.labels.quota, type: "scatter", data: data.quota, symbol: "rect", symbolSize: [60, 3], itemStyle: { color: "#dc2626" } }
      ]
    });
  }
  drawForecast();
  document.addEventListener("htmx:afterSettle", drawForecast);
})();
