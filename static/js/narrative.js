// PC06's narrative editor: the toolbar wraps the selected words in the marks the report prints
// as bold (**…**), italic (*…*) or a footnote ([^…]). The text stays plain in the textarea, so
// nothing is lost without JavaScript; the server parses the marks (reporting.report.sentences.markup).
(function () {
  "use strict";
  document.querySelectorAll(".markup-toolbar").forEach(function (toolbar) {
    const area = document.getElementById(toolbar.dataset.for);
    if (!area) return;
    toolbar.addEventListener("click", function (event) {
      const button = event.target.closest("button");
      if (!button) return;
      const start = area.selectionStart, end = area.selectionEnd;
      const before = button.dataset.before, after = button.dataset.after;
      const chosen = area.value.slice(start, end);
      area.setRangeText(before + chosen + after, start, end, "end");
      if (!chosen) area.setSelectionRange(start + before.length, start + before.length);
      area.focus();
    });
  });
})();
