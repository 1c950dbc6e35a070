// handover-kit's evidence pages: the light/dark choice the reader made in the site
// (Furo keeps it in localStorage), applied as Furo's own pages apply it.
document.body.dataset.theme = localStorage.getItem("theme") || "auto";
