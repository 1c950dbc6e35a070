// Checklist and blocking tables a reviewer can work with, offline: a filter per column
// with few values (status, review, owner), a text filter, sorting by any column and a
// CSV of the rows shown. Runs from _static (the Content-Security-Policy allows no
// inline script); the table works as it is without it.
(() => {
  const WORDS = {
    en: { all: "All", colon: ": ", search: "Filter rows", csv: "Download CSV", shown: (n, total) => `${n} of ${total} rows` },
    ja: { all: "すべて", colon: "：", search: "行を絞り込む", csv: "CSV をダウンロード", shown: (n, total) => `${total}件中 ${n}件を表示` },
  };
  const TABLES = "table.handover-checklist, table.handover-blocking";
  const MAX_CHOICES = 25;
  const MAX_LENGTH = 40;

  // Reviews in the order they are held (T-60, T-30, T-7, T+30), other values alphabetically.
  const reviewOffset = (value) => {
    const found = /^T([+-]\d+)/.exec(value);
    return found ? Number(found[1]) : null;
  };
  const inOrder = (a, b) => {
    const [x, y] = [reviewOffset(a), reviewOffset(b)];
    return x !== null && y !== null ? x - y : a.localeCompare(b);
  };
  const words = () => WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
  const text = (cell) => cell.textContent.replace(/\s+/g, " ").trim();

  function enhance(table, index) {
    const head = table.tHead && table.tHead.rows[0];
    const body = table.tBodies[0];
    if (!head || !body || !body.rows.length) return;
    const rows = Array.from(body.rows);
    const headers = Array.from(head.cells).map(text);
    const w = words();
    const bar = document.createElement("div");
    bar.className = "handover-table-tools";
    const filters = [];
    headers.forEach((name, column) => {
      const values = [...new Set(rows.map((row) => columnValue(row, column)))].filter(Boolean).sort(inOrder);
      const short = values.every((value) => value.length <= MAX_LENGTH);
      if (!short || values.length < 2 || values.length > MAX_CHOICES || values.length === rows.length) return;
      const select = document.createElement("select");
      select.setAttribute("aria-label", name);
      select.append(new Option(`${name}${w.colon}${w.all}`, ""));
      values.forEach((value) => select.append(new Option(value, value)));
      select.addEventListener("change", apply);
      filters.push({ column, select });
      bar.append(select);
    });
    const search = document.createElement("input");
    search.type = "search";
    search.placeholder = w.search;
    search.setAttribute("aria-label", w.search);
    search.addEventListener("input", apply);
    const count = document.createElement("span");
    count.className = "handover-table-count";
    count.setAttribute("aria-live", "polite");
    const csv = document.createElement("button");
    csv.type = "button";
    csv.textContent = w.csv;
    csv.addEventListener("click", () => download(table, headers, index));
    bar.append(search, csv, count);
    table.before(bar);
    Array.from(head.cells).forEach((cell, column) => sortable(cell, column, body));
    apply();

    function apply() {
      const needle = search.value.trim().toLowerCase();
      let shown = 0;
      rows.forEach((row) => {
        const visible =
          filters.every(({ column, select }) => !select.value || columnValue(row, column) === select.value) &&
          (!needle || text(row).toLowerCase().includes(needle));
        row.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      count.textContent = w.shown(shown, rows.length);
    }
  }

  // A cell's value for filtering: its status badge when it has one, else its first line.
  function columnValue(row, column) {
    const cell = row.cells[column];
    if (!cell) return "";
    const badge = cell.querySelector(".handover-status");
    if (badge) return text(badge);
    const first = cell.querySelector("p, span, a") || cell;
    return text(first);
  }

  function sortable(cell, column, body) {
    cell.setAttribute("aria-sort", "none");
    cell.tabIndex = 0;
    cell.classList.add("handover-sortable");
    const sort = () => {
      const ascending = cell.getAttribute("aria-sort") !== "ascending";
      cell.closest("tr").querySelectorAll("th").forEach((th) => th.setAttribute("aria-sort", "none"));
      cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
      const sorted = Array.from(body.rows).sort((a, b) => {
        const order = collator.compare(columnValue(a, column), columnValue(b, column));
        return ascending ? order : -order;
      });
      body.append(...sorted);
    };
    cell.addEventListener("click", sort);
    cell.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        sort();
      }
    });
  }

  // csv-field: one field of the CSV, the one place a cell's text reaches the file. Quoted,
  // its quotes doubled; a text a spreadsheet would run as a formula (= + - @, their
  // full-width forms, a tab or carriage return, also after leading spaces) gets a leading
  // ' and shows as text. A plain number ("-3", "+1.5") is left as it is: it runs nothing.
  const FORMULA = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/;
  const NUMBER = /^[+-]?\d+(?:[.,]\d+)*$/;
  const csvField = (value) => {
    const inert = FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
    return `"${inert.replace(/"/g, '""')}"`;
  };
  // end csv-field

  function download(table, headers, index) {
    const lines = [headers.map(csvField).join(",")];
    Array.from(table.tBodies[0].rows)
      .filter((row) => !row.hidden)
      .forEach((row) => lines.push(Array.from(row.cells).map((cell) => csvField(text(cell))).join(",")));
    // A byte-order mark, so that Excel reads the Japanese as UTF-8.
    const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    const page = (location.pathname.split("/").pop() || "index").replace(/\.html$/, "");
    link.download = `${page}-${table.classList.contains("handover-blocking") ? "blocking" : "checklist"}${index ? "-" + index : ""}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  const start = () => document.querySelectorAll(TABLES).forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
