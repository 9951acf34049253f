// The officer's month: live help while typing, and what keeps typing from being lost.
// - the change from last month beside every number, and ratios (online / received) from the row's inputs;
//   the server re-checks everything, this only saves a round trip;
// - a marked count ("Không phát sinh", "Chưa có số liệu") greyed and disabled, a whole service marked at once;
// - after a save the server refused, focus on the list of cells to fix (the error summary);
// - a folded optional part opens when a link leads into it, and on a wide screen when it is short;
// - a warning before leaving the page with typing not yet saved, and a confirmation before "Nộp báo cáo",
//   which sends the report to PC06 and locks it.
(function () {
  "use strict";
  const form = document.getElementById("entry-form");
  if (!form) return;
  const fmt = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

  // "7.856.474" → 7856474, "93,95" → 93.95, "" or junk → null (mirrors reporting.formatting.parse_number).
  function parse(text) {
    text = (text || "").trim().replace(/\s/g, "");
    if (!text) return null;
    if (text.includes(",")) {
      const cut = text.lastIndexOf(",");
      text = text.slice(0, cut).replace(/\./g, "") + "." + text.slice(cut + 1);
    } else if (/^\d{1,3}(\.\d{3})+$/.test(text)) {
      text = text.replace(/\./g, "");
    }
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
  }

  function input(name) { return form.elements.namedItem(name); }

  function showDiff(cell) {
    const out = cell.querySelector(".diff");
    const field = cell.querySelector("input");
    if (!out || !field) return;
    const now = parse(field.value), before = Number(cell.dataset.prev);
    if (now === null || cell.dataset.prev === "") { out.textContent = ""; return; }
    const change = now - before;
    out.textContent = "(" + (change > 0 ? "+" : "") + fmt.format(change) + ")";
    out.className = "diff " + (change < 0 ? "down" : "up");
  }

  function showRatio(row) {
    const [numName, denName] = row.dataset.ratio.split("|");
    const out = row.querySelector("output");
    const num = input(numName), den = input(denName);
    if (!out || !num || !den) return;
    const a = parse(num.value), b = parse(den.value);
    out.textContent = a !== null && b ? fmt.format((a * 100) / b) + "%" : "";
  }

  form.querySelectorAll("td.cell").forEach(function (cell) {
    const field = cell.querySelector("input");
    if (field) field.addEventListener("input", function () { showDiff(cell); });
    showDiff(cell);
  });
  form.querySelectorAll("tr[data-ratio]").forEach(function (row) {
    row.dataset.ratio.split("|").forEach(function (name) {
      const field = input(name);
      if (field) field.addEventListener("input", function () { showRatio(row); });
    });
    showRatio(row);
  });

  // A marked count ("Không phát sinh", "Chưa có số liệu") holds no number: its box empties and is disabled,
  // so it is not sent, while the mark stands; taking the mark away gives back what was typed. A box the server
  // sent back with a number and a mark (a save without this script) stays editable beside its error.
  // A service's "Cả dịch vụ trong tháng" sets the mark of every count in its row; marking one count
  // differently makes the row "Nhập từng ô" again. The server applies the same rules without this script.
  function applyMark(cell, atLoad) {
    const select = cell.querySelector("select.mark"), field = cell.querySelector("input.count");
    if (!select || !field) return;
    const marked = select.value !== "";
    cell.classList.toggle("marked", marked);
    if (marked && !field.disabled && !(atLoad && field.value)) {
      if (field.value) field.dataset.typed = field.value;
      field.value = "";
      field.disabled = true;
    } else if (!marked && field.disabled) {
      field.disabled = false;
      if (field.dataset.typed) { field.value = field.dataset.typed; delete field.dataset.typed; }
    }
    if (!atLoad) field.dispatchEvent(new Event("input", { bubbles: true }));   // the diff and the ratio follow
  }
  form.querySelectorAll("td.cell").forEach(function (cell) {
    const select = cell.querySelector("select.mark");
    if (!select) return;
    applyMark(cell, true);
    select.addEventListener("change", function () {
      applyMark(cell, false);
      const whole = cell.closest("tr").querySelector(".row-mark select");
      if (whole && whole.value !== select.value) whole.value = "";
    });
  });
  form.querySelectorAll(".row-mark select").forEach(function (whole) {
    whole.addEventListener("change", function () {
      whole.closest("tr").querySelectorAll("td.cell").forEach(function (cell) {
        const select = cell.querySelector("select.mark");
        if (!select || select.value === whole.value) return;
        select.value = whole.value;
        applyMark(cell, false);
      });
    });
  });

  // A link to a section or a field inside a folded part (the section bar, the error summary) opens it first.
  function reveal(target) {
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target.classList.contains("entry-section")) {
      target.querySelectorAll("details.optional-section").forEach(function (part) { part.open = true; });
    }
  }
  function targetOf(hash) {
    const id = decodeURIComponent((hash || "").replace(/^#/, ""));
    return id ? document.getElementById(id) : null;
  }
  window.addEventListener("hashchange", function () {
    const target = targetOf(location.hash);
    if (target) reveal(target);
  });
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest('a[href^="#"]');
    const target = link && targetOf(link.getAttribute("href"));
    if (!target || !form.contains(target)) return;
    reveal(target);
    if (target.matches("input, select, textarea")) {
      // The browser would scroll to the field and leave the focus on the link: the officer types straight away.
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });
  if (targetOf(location.hash)) reveal(targetOf(location.hash));

  // A short optional part (the five narrative notes) costs little room on a wide screen; a long one
  // (thirty coordination tasks) and every optional part on a phone stay folded until asked for.
  if (window.matchMedia("(min-width: 900px)").matches) {
    form.querySelectorAll("details.optional-section[data-open-wide]").forEach(function (part) { part.open = true; });
  }

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Typing not yet saved: what the officer typed since the page was shown, or what the server sent back
  // unsaved (a refused save, another editor's conflict). Saving or submitting is not leaving.
  let unsaved = form.hasAttribute("data-unsaved");
  let sending = false;
  form.addEventListener("input", function () { unsaved = true; });
  form.addEventListener("change", function () { unsaved = true; });
  form.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    sending = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved || sending) return;
    event.preventDefault();
    event.returnValue = "";   // older browsers show their own words; none shows a page's own text any more
  });
})();
