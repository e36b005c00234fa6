// Compensation charts with ECharts: payouts per person, payout curves with the period's point,
// salary bands. The numbers come from json_script elements.
(function () {
  "use strict";
  var charts = window.TandemCharts;
  var format = charts.format;
  var axis = charts.axisLabel;
  var read = charts.read;
  var draw = charts.draw;

  var payouts = read("payout-data");
  if (payouts && payouts.names.length) {
    draw("payout-chart", {
      color: ["#2563eb", "#c9d1da"],
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format.money(v); } },
      xAxis: { type: "category", data: payouts.names, axisLabel: { color: axis.color, rotate: payouts.names.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return format.money(v); } } },
      series: [
        { name: payouts.payout_label, type: "bar", data: payouts.payout, barMaxWidth: 28 },
        { name: payouts.target_label, type: "bar", data: payouts.target, barMaxWidth: 28 }
      ]
    });
  }

  var statement = read("statement-data");
  if (statement) {
    statement.curves.forEach(function (curve) {
      var series = [{
        type: "line", data: curve.points, showSymbol: false, lineStyle: { width: 2 },
        name: curve.label, color: "#2563eb"
      }];
      if (curve.point) {
        series.push({
          type: "scatter", data: [curve.point], symbolSize: 12, color: "#d97706",
          name: statement.you_label
        });
      }
      draw(curve.id, {
        grid: { left: 8, right: 16, top: 32, bottom: 24, containLabel: true },
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            return charts.escape(p.seriesName) + ": " + format.percent(p.value[0]) + " → " + format.percent(p.value[1]);
          }
        },
        xAxis: { type: "value", name: statement.attainment_label, nameLocation: "middle", nameGap: 24, min: 0,
                 axisLabel: { color: axis.color, formatter: function (v) { return format.percent(v); } } },
        yAxis: { type: "value", name: statement.factor_label, min: 0,
                 axisLabel: { color: axis.color, formatter: function (v) { return format.percent(v); } } },
        series: series
      });
    });
  }

  var bands = read("band-data");
  if (bands && bands.names.length) {
    var base = bands.low;
    var lower = bands.mid.map(function (mid, i) { return mid - base[i]; });
    var upper = bands.high.map(function (high, i) { return high - bands.mid[i]; });
    draw("band-chart", {
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var i = items[0].dataIndex;
          var escape = charts.escape;
          return escape(bands.names[i]) + "<br>" + escape(bands.labels[0]) + ": " + format.money(bands.low[i]) +
            "<br>" + escape(bands.labels[1]) + ": " + format.money(bands.mid[i]) +
            "<br>" + escape(bands.labels[2]) + ": " + format.money(bands.high[i]);
        }
      },
      yAxis: { type: "category", data: bands.names, inverse: true, axisLabel: axis },
      xAxis: { type: "value", axisLabel: { color: axis.color, formatter: function (v) { return format.money(v); } } },
      series: [
        { type: "bar", stack: "band", data: base, itemStyle: { color: "transparent" }, silent: true },
        { type: "bar", stack: "band", data: lower, barMaxWidth: 18, itemStyle: { color: "#93b4f8" } },
        { type: "bar", stack: "band", data: upper, barMaxWidth: 18, itemStyle: { color: "#2563eb" } }
      ]
    });
  }

})();
