"""What the last successful build wrote, as digests, kept beside the doctrees.

Sphinx writes only the pages whose source changed. A page that shows the verdict can
change without its source changing (evidence added elsewhere, a new as-of date), and
rewriting every such page on every build would make a one-page edit cost the whole
dashboard. So each build renders what those pages show, compares digests with what
was last written, and has only the pages that differ written again. Digests only: the
files never hold a value that is redacted on the page. They are kept with the version of
handover-kit that wrote them: after an upgrade every such page is rendered anew, as the
new version draws it, even where what it shows is the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

from .._version import __version__
from .files import text_digest, write_atomically


class PageDigests:
    def __init__(self, app: Sphinx, name: str) -> None:
        self.path = Path(app.doctreedir, f"handover-{name}.json")
        try:
            record = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            record = {}
        same_version = isinstance(record, dict) and record.get("version") == __version__
        pages = record.get("pages") if same_version else None
        self.written: dict[str, str] = pages if isinstance(pages, dict) else {}
        self.current: dict[str, str] = {}

    def changed(self, key: str, content: str) -> bool:
        """Records *content* for *key*; whether it differs from what was last written."""
        digest = text_digest(content)
        self.current[key] = digest
        return self.written.get(key) != digest

    def keep(self, key: str) -> None:
        """*key* is unchanged without being looked at again: keep its last digest."""
        if key in self.written:
            self.current[key] = self.written[key]

    def save(self) -> None:
        """After a successful build: what was written is now what is current."""
        write_atomically(self.path, json.dumps({"version": __version__, "pages": self.current}, sort_keys=True))
