// Sphinx's doctools.js turns the message catalog's plural expression into code with
// `new Function`, which the site's Content-Security-Policy forbids (no 'unsafe-eval').
// The catalogs a handover site uses (ja, en) have known expressions: look them up.
(() => {
  const PLURALS = {
    "0": () => 0,
    "(n != 1)": (n) => (n != 1 ? 1 : 0),
    "n != 1": (n) => (n != 1 ? 1 : 0),
    "(n > 1)": (n) => (n > 1 ? 1 : 0),
  };
  Documentation.addTranslations = (catalog) => {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    const expression = String(catalog.plural_expr).trim();
    Documentation.PLURAL_EXPR = PLURALS[expression] || ((n) => (n === 1 ? 0 : 1));
    Documentation.LOCALE = catalog.locale;
  };
})();
