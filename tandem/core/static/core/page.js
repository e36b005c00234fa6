// What the templates used to write inline (onsubmit, onchange, onclick, hx-on), declared with
// data attributes instead: the Content-Security-Policy allows no inline script.
(() => {
  "use strict";
  // <form data-confirm="Delete this plan?">: asks before it is sent
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  // <select data-autosubmit>: choosing an option sends its form
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
  // <button data-print>: prints the page
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
  // <section data-failed="…" hx-trigger="load">: says so when what it loads could not come
  const failed = (event) => {
    const element = event.detail.elt && event.detail.elt.closest("[data-failed]");
    if (element) window.tandemFailed(element);
  };
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
