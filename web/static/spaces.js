// kairan: the space forms. Without JavaScript they work as plain forms; this adds the live
// address check, an address suggested from the title, a name filter for the directory picker
// and a count of the people and organizations chosen (the ≥ 2-organizations rule, before submitting).
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function setupPicker(picker, form) {
    var filter = picker.querySelector("[data-picker-filter]");
    if (filter) {
      filter.addEventListener("input", function () {
        var q = filter.value.trim().toLowerCase();
        picker.querySelectorAll("li").forEach(function (li) {
          li.hidden = q !== "" && li.textContent.toLowerCase().indexOf(q) < 0;
        });
        picker.querySelectorAll("details").forEach(function (d) {
          var any = d.querySelector("li:not([hidden])") !== null;
          d.hidden = !any;
          if (q) { d.open = any; }
        });
      });
    }
    var count = form && form.querySelector("[data-picker-count]");
    if (!count) { return; }
    var min = parseInt(form.getAttribute("data-min-orgs") || "2", 10);
    function update() {
      var orgs = {}, people = 1;
      orgs[form.getAttribute("data-my-org")] = true;
      picker.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
        orgs[box.getAttribute("data-org")] = true; people += 1;
      });
      var n = Object.keys(orgs).length;
      var text = form.getAttribute("data-count-text").replace("{people}", people).replace("{orgs}", n);
      if (n < min) { text += " " + form.getAttribute("data-count-short").replace("{n}", min - n); }
      count.textContent = text;
    }
    picker.addEventListener("change", update);
    update();
  }

  function setupSlug(form) {
    var title = form.querySelector("[data-title]");
    var slug = form.querySelector("[data-slug]");
    var status = form.querySelector("[data-slug-status]");
    if (!title || !slug || !status) { return; }
    var typed = slug.value !== "";
    function check() {
      if (!slug.value) { return; }
      fetch("/spaces/check?slug=" + encodeURIComponent(slug.value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (doc) {
          status.textContent = doc.ok ? doc.address : doc.message;
          status.classList.toggle("error", !doc.ok);
          slug.setAttribute("aria-invalid", doc.ok ? "false" : "true");
        })
        .catch(function () {});
    }
    function suggest() {
      if (typed || !title.value.trim()) { return; }
      fetch("/spaces/check?title=" + encodeURIComponent(title.value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (doc) { if (!typed && doc.suggestion) { slug.value = doc.suggestion; check(); } })
        .catch(function () {});
    }
    title.addEventListener("input", debounce(suggest, 250));
    slug.addEventListener("input", function () { typed = slug.value !== ""; debounce(check, 250)(); });
    if (slug.value) { check(); } else { suggest(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-space-form]");
    document.querySelectorAll("[data-picker]").forEach(function (picker) {
      setupPicker(picker, picker.closest("[data-space-form]"));
    });
    if (form) { setupSlug(form); }
  });
})();
