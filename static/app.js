// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // "Copy link" buttons next to a permalink field.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = "نُسخ الرابط";
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
        done();
      }
    });
  });

  // Upload form: files may also be dragged onto the drop zone.
  var zone = document.querySelector(".drop-zone");
  var input = zone && zone.querySelector("input[type=file]");
  if (zone && input && window.DataTransfer) {
    var hint = zone.querySelector(".drop-hint");
    if (hint) hint.hidden = false;
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("dragging"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    });
  }

  // Import page: live progress instead of whole-page refreshes.
  var box = document.getElementById("import-progress");
  if (box && box.getAttribute("data-running") === "true" && window.fetch) {
    var url = box.getAttribute("data-status-url");
    // Numbers in the archive's digits (ARSHIF_DIGITS), grouped as the server writes them.
    var numbers = window.Intl ? new Intl.NumberFormat(box.getAttribute("data-locale") || "ar-u-nu-latn") : null;
    var set = function (name, value) {
      var el = box.querySelector('[data-field="' + name + '"]');
      if (el && value !== null && value !== undefined) el.textContent = numbers ? numbers.format(value) : value;
    };
    var poll = function () {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
        if (s.status !== "queued" && s.status !== "running") { window.location.reload(); return; }
        set("files_done", s.files_done);
        set("files_total", s.files_total);
        set("articles_done", s.articles_done);
        var bar = box.querySelector("progress");
        if (bar && s.files_total) { bar.max = s.files_total; bar.value = s.files_done; }
        setTimeout(poll, 1000);
      }, function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
