// What every chart page shares: the numbers a template put into json_script, an ECharts chart
// drawn into an element (marked data-rendered, which the browser tests wait for), every chart
// redrawn when the window changes size, and numbers formatted in the page's language.
//
// The pages hand their charts raw numbers (json_script, dot decimals); `format` is the one place
// that turns them into text, with the conventions of the templates' number filters
// (tandem/core/formatting.py): grouped, `decimals` places (negative: at most that many, without
// trailing zeros), "–" for a missing value, percentages of a ratio with a space before "%".
window.TandemCharts = (function () {
  "use strict";
  var locale = document.documentElement.lang || "en";
  var charts = [];
  var formats = {};
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  function numberFormat(decimals) {
    decimals = decimals || 0;
    if (!formats[decimals]) {
      var places = Math.abs(decimals);
      formats[decimals] = new Intl.NumberFormat(locale, {
        minimumFractionDigits: decimals < 0 ? 0 : places, maximumFractionDigits: places
      });
    }
    return formats[decimals];
  }
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function number(value, decimals) {
    return value == null || value === "" ? "–" : numberFormat(decimals).format(value);
  }
  return {
    locale: locale,
    format: {
      number: number,
      // money on axes and in tooltips: whole amounts, the currency is named by the chart
      money: function (value) { return number(value, 0); },
      percent: function (ratio, decimals) {
        return ratio == null || ratio === "" ? "–" : number(ratio * 100, decimals) + " %";
      },
      // 1240000 -> "1.24 M€" as tandem.core.formatting.compact_money; `units`: the currency
      // and the translated patterns ("{number} M{currency}", "{number} k{currency}")
      compactMoney: function (value, units) {
        if (value == null || value === "") return "–";
        function fill(pattern, amount) {
          return pattern.replace("{number}", amount).replace("{currency}", units.currency);
        }
        if (Math.abs(value) >= 1000000) return fill(units.million, number(value / 1000000, -2));
        if (Math.abs(value) >= 10000) return fill(units.thousand, number(value / 1000, -1));
        return number(value, 0) + " " + units.currency;
      }
    },
    // a name people typed (an account, a salary band) as text in a tooltip's HTML, never as
    // markup: a formatter that returns HTML passes every such name through here
    escape: function (text) {
      return String(text).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
    },
    axisLabel: { color: "#5d6b7a" },
    read: function (id) {
      var source = document.getElementById(id);
      return source ? JSON.parse(source.textContent) : null;
    },
    // into the element with this id, or into the element itself (rows of small charts)
    draw: function (idOrElement, option, renderer) {
      var element = typeof idOrElement === "string" ? document.getElementById(idOrElement) : idOrElement;
      if (!element || !window.echarts) return null;
      var chart = window.echarts.init(element, null, { renderer: renderer || "canvas" });
      chart.setOption(option);
      element.dataset.rendered = "true";
      charts.push(chart);
      return chart;
    }
  };
})();

// A part of a page that loads after it (hx-trigger="load", such as the day's forecast while it is
// learned) and could not: its status says so (data-failed) and stops turning.
window.tandemFailed = function (element) {
  "use strict";
  var status = element.querySelector("[role=status]");
  if (!status) return;
  status.textContent = element.dataset.failed;
  status.classList.remove("working");
};
