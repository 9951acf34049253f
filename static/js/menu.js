// The site menu on a phone: folded behind the "Menu" button so the page starts on the first screen, not
// under eight links. Without this script the button stays hidden and the menu open (app.css folds it only
// once the script has marked the page with .menu-ready). On a wide screen app.css hides the button.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) return;

  function show(open) {
    menu.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
  }

  document.documentElement.classList.add("menu-ready");
  button.hidden = false;
  button.addEventListener("click", function () { show(!menu.classList.contains("open")); });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      show(false);
      button.focus();
    }
  });
})();
