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

// A page can hold every pair of a Japanese word without the word (リス, スト and トア are
// in リスク and オンラインストア). So the results are the pages whose text holds each
// Japanese word of the query whole (all of them, if none does), those whose title holds
// them first, and the snippet starts at and highlights the words, not their pairs (スト in
// テスト).
const handoverNormal = (text) =>
  text.normalize("NFKC").replace(HANDOVER_VARIANT_RE, (word) => HANDOVER_VARIANTS[word]);
const handoverWholeWords = (query) =>
  (handoverNormal(query).match(HANDOVER_TOKENS) || []).filter(
    (token) => token.length > 1 && !/^[A-Za-z0-9]/.test(token),
  );

function handoverHoldsWords(item, words) {
  const [docName] = item;
  const url = document.documentElement.dataset.content_root + docName + DOCUMENTATION_OPTIONS.FILE_SUFFIX;
  return fetch(url)
    .then((response) => (response.ok ? response.text() : null))
    .then((html) => {
      if (html === null) return true; // cannot tell: keep it
      const text = handoverNormal(Search.htmlToText(html));
      return words.every((word) => text.includes(word));
    })
    .catch(() => true); // a page opened from disk cannot fetch: keep the result
}

if (typeof Search !== "undefined" && typeof _displayNextItem === "function") {
  Search.query = (query) => {
    const [searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms] = Search._parseQuery(query);
    const results = Search._performSearch(searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms);
    const words = handoverWholeWords(query);
    if (!words.length) {
      _displayNextItem(results, results.length, searchTerms, highlightTerms);
      return;
    }
    const latin = [...highlightTerms].filter((term) => /^[A-Za-z0-9]/.test(term));
    const shownTerms = new Set([...latin, ...words]);
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      localStorage.setItem("sphinx_highlight_terms", [...shownTerms].join(" "));
    Promise.all(results.map((item) => handoverHoldsWords(item, words))).then((holds) => {
      const whole = results.filter((_, index) => holds[index]);
      const found = whole.length ? whole : results;
      // A page whose title holds the words comes first (results are shown from the end).
      const titled = (item) => words.every((word) => handoverNormal(item[1]).includes(word));
      const shown = [...found.filter((item) => !titled(item)), ...found.filter(titled)];
      _displayNextItem(shown, shown.length, shownTerms, shownTerms);
    });
  };
}
