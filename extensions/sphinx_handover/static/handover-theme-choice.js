// furo's inline start-of-body script, as a file so the Content-Security-Policy can forbid
// inline script: applies the reader's light/dark choice before the page is drawn.
document.body.dataset.theme = localStorage.getItem("theme") || "auto";
