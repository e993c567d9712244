// Live clarity coaching on the request form: after a pause in typing, the form is sent to
// /requests/clarity (nothing is saved) and the clarity panel is replaced with the answer.
// Without JavaScript the panel updates when the form is saved.
(function () {
  "use strict";
  var form = document.getElementById("request-form");
  var panel = document.getElementById("clarity-panel");
  if (!form || !panel || !window.fetch || !window.FormData) {
    return;
  }
  var timer = null;
  var seq = 0;
  function refresh() {
    var mine = ++seq;
    var body = new URLSearchParams(new FormData(form));
    body.delete("add");
    body.delete("intent");
    fetch("/requests/clarity", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html !== null && mine === seq) {
        panel.innerHTML = html;
      }
    }).catch(function () {});
  }
  function later() {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
