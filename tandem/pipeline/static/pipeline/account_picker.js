// The account picker: htmx fills the suggestions, a click picks one into the hidden field.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-pick]");
    if (!option) return;
    var picker = option.closest("[data-account-picker]");
    picker.querySelector("[data-picker-value]").value = option.dataset.pick;
    picker.querySelector("[data-picker-search]").value = option.dataset.label;
    picker.querySelector(".account-options").innerHTML = "";
  });
  document.addEventListener("input", function (event) {
    // Typing again forgets the earlier pick until a new suggestion is chosen.
    if (!event.target.matches("[data-picker-search]")) return;
    var picker = event.target.closest("[data-account-picker]");
    picker.querySelector("[data-picker-value]").value = "";
  });
})();
