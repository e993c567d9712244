// Progressive enhancement of message boxes (textarea[data-mentions]); without it a message is
// still checked when sent, and a name that matches nobody is refused with the text kept.
// - After "@" and a letter or two, a list of people to pick from (arrow keys, Enter or Tab to
//   pick, Escape to close; a click or tap also picks).
// - A line under the box says who will be notified, or that a name matches nobody.
(function () {
  "use strict";
  var csrf = document.querySelector("input[name=_csrf]");
  document.querySelectorAll("textarea[data-mentions]").forEach(function (box) {
    var field = box.closest(".field") || box.parentNode;
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = box.id + "-people";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    field.appendChild(list);
    var telling = document.createElement("p");
    telling.className = "hint telling";
    telling.id = box.id + "-telling";
    telling.setAttribute("aria-live", "polite");
    field.appendChild(telling);
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-autocomplete", "list");
    var active = -1;
    var people = [];

    // The "@word" just before the cursor, if the cursor is in one.
    var typedMention = function () {
      var before = box.value.slice(0, box.selectionStart);
      var m = /(^|[\s(])@([^\s@]{1,40}(?: [^\s@]{0,40})?)$/u.exec(before);
      return m ? { start: before.length - m[2].length - 1, text: m[2] } : null;
    };
    var close = function () {
      list.hidden = true;
      active = -1;
      box.removeAttribute("aria-activedescendant");
    };
    var mark = function (i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, n) {
        li.setAttribute("aria-selected", String(n === i));
      });
      if (i >= 0) box.setAttribute("aria-activedescendant", list.children[i].id);
    };
    var pick = function (i) {
      var m = typedMention();
      if (!m || !people[i]) return close();
      var name = "@" + people[i].name + " ";
      var end = box.selectionStart;
      box.value = box.value.slice(0, m.start) + name + box.value.slice(end);
      var at = m.start + name.length;
      box.setSelectionRange(at, at);
      close();
      box.focus();
      check();
    };
    var show = function (found) {
      people = found;
      list.textContent = "";
      found.forEach(function (p, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = p.name;
        if (p.title) {
          var t = document.createElement("span");
          t.className = "muted";
          t.textContent = " · " + p.title;
          li.appendChild(t);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      mark(found.length ? 0 : -1);
    };
    var suggestTimer;
    var suggest = function () {
      clearTimeout(suggestTimer);
      var m = typedMention();
      if (!m) return close();
      suggestTimer = setTimeout(function () {
        fetch("/mentions/suggest?q=" + encodeURIComponent(m.text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(show)
          .catch(close);
      }, 150);
    };
    var checkTimer;
    var check = function () {
      clearTimeout(checkTimer);
      if (!csrf || box.value.indexOf("@") < 0) {
        telling.textContent = "";
        return;
      }
      checkTimer = setTimeout(function () {
        var body = new URLSearchParams({ _csrf: csrf.value, body: box.value });
        fetch("/mentions/check", { method: "POST", body: body, credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (t) {
            if (!t) return;
            // A name still being typed is not yet a name that matches nobody.
            var unfinished = t.unknown && typedMention() !== null;
            telling.textContent = unfinished ? "" : t.text;
            telling.classList.toggle("bad", t.unknown && !unfinished);
          })
          .catch(function () {});
      }, 400);
    };
    box.addEventListener("input", function () { suggest(); check(); });
    box.addEventListener("blur", close);
    box.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var n = people.length;
        mark((active + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
      } else if ((e.key === "Enter" || e.key === "Tab") && active >= 0) {
        e.preventDefault();
        pick(active);
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    });
    check();
  });
})();
