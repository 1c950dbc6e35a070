// The query split as sphinx_handover.site.search_ja splits the pages (see there): NFKC, one
// spelling per word, Japanese runs into character pairs, Latin words and ids whole and
// by their parts. Sphinx writes this into language_data.js, after searchtools.js, so it
// replaces searchtools' own splitQuery. Snippets leave out the need boxes' field lists.
const HANDOVER_VARIANTS = /*VARIANTS*/{};
const HANDOVER_VARIANT_RE = new RegExp(
  Object.keys(HANDOVER_VARIANTS)
    .sort((a, b) => b.length - a.length)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|") || "(?!)",
  "g",
);
const HANDOVER_TOKENS = new RegExp(/*TOKENS*/"", "g");

function splitQuery(query) {
  const normal = query.normalize("NFKC").replace(HANDOVER_VARIANT_RE, (word) => HANDOVER_VARIANTS[word]);
  const terms = [];
  for (const token of normal.match(HANDOVER_TOKENS) || []) {
    if (/^[A-Za-z0-9]/.test(token)) {
      terms.push(token);
      if (token.includes("_")) terms.push(...token.split("_").filter(Boolean));
    } else if (token.length === 1) {
      terms.push(token);
    } else {
      for (let index = 0; index + 1 < token.length; index++) terms.push(token.slice(index, index + 2));
    }
  }
  return [...new Set(terms)];
}

if (typeof Search !== "undefined" && Search.htmlToText) {
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".needs_meta, .need.meta").forEach((element) => element.remove());
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
}
