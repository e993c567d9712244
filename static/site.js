// Progressive enhancement for every page; without it everything still works (the navigation
// simply wraps on a phone).
// - On a narrow screen the navigation and the account links fold behind a "Menu" button.
// - Escape closes an open glossary definition (a term shows its definition while focused).
// - A marked field's message goes once it is answered.
(function () {
  "use strict";
  var bar = document.querySelector("header.top .bar");
  var nav = bar && bar.querySelector("nav.main");
  var who = bar && bar.querySelector(".who");
  var search = bar && bar.querySelector(".header-search");
  if (nav && who) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "menu-button";
    // Unread notifications stay in sight while the menu is folded.
    var unread = who.querySelector(".badge.count");
    button.textContent = unread ? "Menu · " + unread.firstChild.textContent.trim() + " new" : "Menu";
    button.setAttribute("aria-expanded", "false");
    nav.id = nav.id || "main-nav";
    button.setAttribute("aria-controls", nav.id);
    bar.insertBefore(button, nav);
    var narrow = window.matchMedia("(max-width: 40rem)");
    var show = function (open) {
      var folded = narrow.matches && !open;
      nav.hidden = folded;
      who.hidden = folded;
      if (search) search.hidden = folded;
      button.setAttribute("aria-expanded", String(!folded));
    };
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    narrow.addEventListener("change", function () { show(false); });
    show(false);
  }
  // A marked field that gets an answer loses its mark and message: what is left marked is what
  // still needs doing. (The server checks again on the next submit.)
  var answered = function (e) {
    var input = e.target;
    var field = input.closest && input.closest(".field.invalid");
    if (!field || !("value" in input) || String(input.value).trim() === "") return;
    field.classList.remove("invalid");
    input.removeAttribute("aria-invalid");
    var error = field.querySelector(".error");
    if (error) error.hidden = true;
  };
  document.addEventListener("input", answered);
  document.addEventListener("change", answered);
  // On a phone the queue's filters start folded, behind their "Filter and sort" line.
  var filters = document.querySelector("details.filter-fold");
  if (filters && window.matchMedia("(max-width: 40rem)").matches) filters.open = false;
  document.addEventListener("keydown", function (e) {
    var active = document.activeElement;
    if (e.key === "Escape" && active && active.classList && active.classList.contains("term")) {
      active.blur();
    }
  });
})();
