// What every chart page shares: the numbers a template put into json_script, an ECharts chart
// drawn into an element (marked data-rendered, which the browser tests wait for), every chart
// redrawn when the window changes size, and numbers formatted in the page's language.
window.TandemCharts = (function () {
  "use strict";
  var locale = document.documentElement.lang || "en";
  var charts = [];
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
  return {
    locale: locale,
    money: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }),
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
