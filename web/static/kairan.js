// kairan: small improvements on pages that work without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  // Enter while composing Japanese (IME) only confirms the word: it never submits a form.
  // Chrome and Firefox mark that Enter isComposing; Safari sends it just after compositionend
  // with keyCode 229.
  function imeEnter(event) {
    return event.key === "Enter" && (event.isComposing || event.keyCode === 229);
  }
  document.addEventListener("keydown", function (event) {
    if (imeEnter(event) && event.target && event.target.tagName === "INPUT") {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // "/" focuses the search box, as in mail clients and code hosts.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !typing) {
      var box = document.querySelector("[data-shortcut='/']");
      if (box) { event.preventDefault(); box.focus(); }
    }
  });

  // One button opens or closes every quoted block of the thread.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector("[data-toggle-all]");
    if (toggle) {
      var openLabel = toggle.textContent;
      var closeLabel = document.documentElement.lang === "en" ? "Hide all quotes" : "引用をすべて隠す";
      toggle.addEventListener("click", function () {
        var blocks = document.querySelectorAll("details.quoted");
        var anyClosed = Array.prototype.some.call(blocks, function (d) { return !d.open; });
        blocks.forEach(function (d) { d.open = anyClosed; });
        toggle.textContent = anyClosed ? closeLabel : openLabel;
      });
    }

    // Ctrl/⌘+Enter posts the reply; leaving with unsent text asks first.
    var form = document.querySelector("[data-reply-form]");
    if (form) {
      var body = form.querySelector("textarea");
      var sending = false;
      body.addEventListener("keydown", function (event) {
        if (imeEnter(event)) { return; }
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
      });
      form.addEventListener("submit", function () { sending = true; });
      window.addEventListener("beforeunload", function (event) {
        if (!sending && body.value.trim()) { event.preventDefault(); event.returnValue = ""; }
      });
    }
  });
})();
