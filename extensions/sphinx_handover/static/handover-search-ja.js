// The search page's messages in Japanese where Sphinx's ja catalog has none (the result
// count is empty there). Loaded after translations.js on ja sites (theme_strings.py).
Documentation.addTranslations({
  locale: "ja",
  plural_expr: "0",
  messages: {
    "Search finished, found one page matching the search query.": [
      "検索が終わりました。一致したページは ${resultCount} 件です。",
    ],
    "Your search did not match any documents. Please make sure that all words are spelled correctly and that you've selected enough categories.":
      "一致するページはありませんでした。言葉を短くするか、別の言い方で検索してください。",
    "Searching": "検索しています",
    "Preparing search...": "検索を準備しています…",
  },
});
