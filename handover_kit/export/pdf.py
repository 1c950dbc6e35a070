"""`handover export pdf`: the go / no-go sheet of the site ({handover-go-no-go}) as an
A4 PDF, through WeasyPrint (an optional extra).

The site is built as `handover build` builds it, and the page that shows the sheet is
rendered with its print stylesheet. WeasyPrint may read files of the built site only:
nothing is fetched from the network, whatever a package's page links to. The PDF keeps
the links a reader can follow (http, https, mailto and those within the sheet) and
nothing else: a link to another page of the site would be a file:// URL into the build
machine's folders, and no file is embedded.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx

from sphinx_handover import Verdict
from sphinx_handover.views import live_pages
from sphinx_handover.views.go_no_go import DIRECTIVE

from ..errors import UserError
from ..runner import BuildRequest, run

MISSING = (
    "handover export pdf needs WeasyPrint, an optional extra: pip install 'handover-kit[pdf]' "
    "(with Pango, e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0, and a Japanese font such as fonts-noto-cjk)"
)


def export_pdf(request: BuildRequest, path: Path) -> Verdict:
    weasyprint = _weasyprint()
    request = replace(request, html=True)
    pages: list[str] = []
    verdict = run(request, inspect=lambda app: pages.extend(_sheet_pages(app)))
    if not pages:
        raise UserError(
            f"{request.package}: no page shows the go / no-go sheet; add one holding "
            "```{handover-go-no-go}``` (the templates' go-no-go.md) and list it in the index's toctree"
        )
    site = request.site.resolve()
    html = weasyprint.HTML(filename=str(site / pages[0]), url_fetcher=_site_files_only(weasyprint, site))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        document = html.render()
        _inert(document)
        document.write_pdf(str(temporary))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return verdict


#: Link targets the PDF keeps clickable; any other link stays text.
KEPT_SCHEMES = frozenset({"http", "https", "mailto"})


def _inert(document: Any) -> None:
    """Drop from the rendered *document* each link to anything but the web, e-mail or a
    place in the document (WeasyPrint made a relative one file://), and every attachment."""
    for page in document.pages:
        page.links = [
            link
            for link in page.links
            if link[0] == "internal" or (link[0] == "external" and urlsplit(link[1]).scheme.lower() in KEPT_SCHEMES)
        ]
    document.metadata.attachments = []


def _weasyprint() -> Any:
    try:
        import weasyprint
        import weasyprint.urls
    except (ImportError, OSError):  # OSError: installed, but Pango is not
        raise UserError(MISSING) from None
    return weasyprint


def _sheet_pages(app: Sphinx) -> list[str]:
    """The built files of the pages showing the sheet, relative to the site."""
    return [app.builder.get_target_uri(docname) for docname in live_pages.pages_showing(app.env, DIRECTIVE)]


def _site_files_only(weasyprint: Any, site: Path) -> Any:
    class SiteFilesOnly(weasyprint.urls.URLFetcher):  # type: ignore[misc]  # weasyprint (optional extra) ships no types
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file://") and Path(os.path.realpath(unquote(urlsplit(url).path))).is_relative_to(site):
                return super().fetch(url, headers)
            raise ValueError(f"not a file of the built site: {url}")

    return SiteFilesOnly(allowed_protocols=("file",))
