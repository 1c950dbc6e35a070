"""What the last successful build wrote, as digests, kept beside the doctrees.

Sphinx writes only the pages whose source changed. A page that shows the verdict can
change without its source changing (evidence added elsewhere, a new as-of date), and
rewriting every such page on every build would make a one-page edit cost the whole
dashboard. So each build renders what those pages show, compares digests with what
was last written, and has only the pages that differ written again. Digests only: the
files never hold a value that is redacted on the page.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from sphinx.application import Sphinx


class PageDigests:
    def __init__(self, app: Sphinx, name: str) -> None:
        self.path = Path(app.doctreedir, f"handover-{name}.json")
        try:
            written = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            written = {}
        self.written: dict[str, str] = written if isinstance(written, dict) else {}
        self.current: dict[str, str] = {}

    def changed(self, key: str, content: str) -> bool:
        """Records *content* for *key*; whether it differs from what was last written."""
        digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
        self.current[key] = digest
        return self.written.get(key) != digest

    def keep(self, key: str) -> None:
        """*key* is unchanged without being looked at again: keep its last digest."""
        if key in self.written:
            self.current[key] = self.written[key]

    def save(self) -> None:
        """After a successful build: what was written is now what is current."""
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(self.current, sort_keys=True), "utf-8")
        os.replace(temporary, self.path)
