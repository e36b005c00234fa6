// One open menu at a time; a click elsewhere or Escape closes it.
(() => {
  const groups = () => document.querySelectorAll("[data-nav-group]");
  document.addEventListener("click", (event) => {
    groups().forEach((group) => {
      if (!group.contains(event.target)) group.open = false;
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    groups().forEach((group) => {
      if (group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
})();
