// Live help while an officer types: the change from last month beside every number,
// and ratios (online / received) computed from the row's inputs. The server re-checks
// everything; this only saves a round trip.
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
})();
