/* The top bar's menu button on narrow screens: without this script the menu simply
   stays open (progressive enhancement); with it, the menu folds behind "Menu". */
(function () {
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".nav-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  function setOpen(open) {
    bar.classList.toggle("nav-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  bar.classList.add("nav-collapsible");
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and gives the focus back to its button.
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
