// The level list offers only the career steps of the chosen role (the server checks it too).
(function () {
  "use strict";
  var source = document.getElementById("hiring-levels");
  var role = document.getElementById("id_profile");
  var level = document.getElementById("id_step");
  if (!source || !role || !level) return;
  var levels = JSON.parse(source.textContent);
  function filter() {
    var allowed = (levels[role.value] || []).map(String);
    Array.prototype.forEach.call(level.options, function (option) {
      var show = option.value === "" || allowed.indexOf(option.value) !== -1;
      option.hidden = !show;
      option.disabled = !show;
      if (!show && option.selected) level.value = "";
    });
  }
  role.addEventListener("change", filter);
  filter();
})();
