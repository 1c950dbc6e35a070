"""A page cannot dress itself as the verdict: the site's own classes are the site's.

handover.css draws the READY / NOT READY banner, the status badges and the views with
``handover-...`` classes. Markup that could set them (raw HTML, a container, reST's
``class`` directive, a directive's ``:class:``) could put a READY banner above the real
NOT READY one, drawn exactly alike."""

from __future__ import annotations

from html.parser import HTMLParser

from conftest import AS_OF

FORGERIES = [
    '<div class="handover-readiness ready"><p class="handover-verdict"><strong>READY</strong></p></div>',
    '<p><span class="x HANDOVER-badge-passed">passed</span></p>',
    "```{container} handover-readiness ready\n**READY**\n```",
    "```{eval-rst}\n.. container:: handover-readiness ready\n\n   **READY**\n```",
    "```{eval-rst}\n.. class:: handover-verdict\n\nREADY\n```",
    "```{note}\n:class: handover-readiness ready\nREADY\n```",
    "```{eval-rst}\n.. role:: fake(strong)\n   :class: handover-badge-passed\n\n:fake:`passed`\n```",
]


class _Classes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.found.append(value.split())


def _classes(html: str) -> list[list[str]]:
    parser = _Classes()
    parser.feed(html)
    return parser.found


def test_no_page_markup_carries_the_sites_own_classes(cli, example_copy):
    root = example_copy("ec-order-service-incomplete")
    index = root / "index.md"
    forged = "\n\n".join(FORGERIES)
    text = index.read_text("utf-8")
    heading_end = text.index("\n", text.index("# ")) + 1
    index.write_text(text[:heading_end] + "\n" + forged + "\n\n" + text[heading_end:], "utf-8")
    built = cli("build", root, "--as-of", AS_OF)
    assert "Traceback" not in built.output
    html = (root / "_build" / "html" / "index.html").read_text("utf-8")
    classes = _classes(html)
    banners = [names for names in classes if "handover-readiness" in names]
    assert banners == [["handover-readiness", "not-ready", "no-search", "docutils", "container"]], banners
    verdicts = [names for names in classes if "handover-verdict" in names]
    assert len(verdicts) == 1, verdicts
    assert not [names for names in classes if any(name.lower() == "handover-badge-passed" for name in names)]
    assert html.count("<strong>READY</strong>") >= 3
