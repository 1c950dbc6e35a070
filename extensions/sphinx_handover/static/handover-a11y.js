// handover-kit: what keyboard and screen-reader users need that the theme's HTML lacks.
// - A region that scrolls (a wide table in Furo's .table-wrapper, a long line of code)
//   must be reachable from the keyboard to be scrolled: it gets tabindex=0 while it
//   overflows (as pydata-sphinx-theme does), and the table's or block's own name.
// - Sphinx writes toctree captions as role="heading" without a level: they get level 2.
// - The cells of tables shown as cards on a phone are named by their column.
(() => {
  // Everything that scrolls sideways on a phone (handover-layout.css): reachable by keyboard.
  const SCROLLING = [
    ".table-wrapper", "div.highlight > pre", ".handover-trace-graph", ".handover-escalation-graph",
    "table.handover-data", "table.handover-checklist", "table.handover-blocking",
    "table.handover-placeholders", "table.handover-traceability", "table.handover-signoffs", ".handover-chart",
    "table.handover-gng-counts", "table.handover-gng-open", "table.handover-gng-waivers", "table.handover-gng-approvals",
  ].join(", ");

  function markScrollable() {
    for (const region of document.querySelectorAll(SCROLLING)) {
      const overflows = region.scrollWidth > region.clientWidth + 1 || region.scrollHeight > region.clientHeight + 1;
      if (overflows && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.dataset.handoverScroll = "";
      } else if (!overflows && "handoverScroll" in region.dataset) {
        region.removeAttribute("tabindex");
        delete region.dataset.handoverScroll;
      }
    }
  }

  // Tables that are cards on a phone (handover-layout.css), where the header row is hidden:
  // each cell gets its column's name, shown above its value.
  const CARDS = "table.handover-signoffs, table.handover-gng-open, table.handover-gng-approvals";

  function nameCells() {
    for (const table of document.querySelectorAll(CARDS)) {
      const header = table.tHead && table.tHead.rows[0];
      if (!header) continue;
      const names = Array.from(header.cells, (cell) => cell.textContent.replace(/\s+/g, " ").trim());
      for (const body of table.tBodies) {
        for (const row of body.rows) {
          Array.from(row.cells).forEach((cell, index) => {
            if (names[index]) cell.dataset.label = names[index];
          });
        }
      }
    }
  }

  function levelHeadings() {
    for (const caption of document.querySelectorAll('[role="heading"]:not([aria-level])')) {
      caption.setAttribute("aria-level", "2");
    }
  }

  function start() {
    levelHeadings();
    nameCells();
    markScrollable();
    let pending = 0;
    window.addEventListener("resize", () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(markScrollable);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
