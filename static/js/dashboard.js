// The leaders' dashboard: its folded parts open by themselves on a wide screen, and its tables re-sort by a
// column when its header button is pressed. Without this script the page still reads: the parts stay folded
// (a phone's default) and the tables keep the server's order, worst first.
(function () {
  "use strict";

  // --- Folded parts: open on a wide screen, and when a link points inside one. ---
  var wide = window.matchMedia("(min-width: 900px)");
  function openWide() {
    if (!wide.matches) return;
    document.querySelectorAll("details[data-wide-open]").forEach(function (part) { part.open = true; });
  }
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target) target.scrollIntoView();
  }
  openWide();
  openTarget();
  window.addEventListener("hashchange", openTarget);

  // --- Sortable tables: <th data-sort="number|text"><button>…</button></th>; a cell's data-value sorts it. ---
  function cellValue(row, index, kind) {
    var cell = row.cells[index];
    if (!cell) return null;
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (kind === "number") {
      var number = parseFloat(raw);
      return isNaN(number) ? null : number;
    }
    return raw;
  }

  function sortBy(table, header) {
    var headers = Array.prototype.slice.call(header.parentElement.children);
    var index = headers.indexOf(header);
    var kind = header.getAttribute("data-sort");
    // The first press sorts ascending: lowest share first (worst first), names A→Z.
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var pinned = rows.filter(function (row) { return row.hasAttribute("data-pinned"); });
    var others = rows.filter(function (row) { return !row.hasAttribute("data-pinned"); });
    others.sort(function (a, b) {
      var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
      if (x === null && y === null) return 0;
      if (x === null) return 1;            // without a figure: last, whichever the direction
      if (y === null) return -1;
      var order = kind === "number" ? x - y : x.localeCompare(y, "vi");
      return ascending ? order : -order;
    });
    pinned.concat(others).forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th[data-sort] > button").forEach(function (button) {
      button.addEventListener("click", function () { sortBy(table, button.parentElement); });
    });
  });

  // --- The printable summary's "In" button. ---
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
