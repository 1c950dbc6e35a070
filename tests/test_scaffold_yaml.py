"""`handover new` writes every answer so that it reads back as the very answer: in
handover.yaml, the CI files and conf.py (YAML and Python emitters) and in the pages
(Markdown escaping), whatever quotes, backslashes or markup characters it holds; an
answer of more than one line is refused."""

from __future__ import annotations

import ast
import datetime as dt
import html
import json
import re
from pathlib import Path

import jinja2
import jinja2.nodes
import pytest
import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from handover_kit.authoring import questions, scaffold
from sphinx_handover.model import package_data

TEMPLATES = Path(scaffold.__file__).resolve().parents[2] / "docs_template"

#: Each would break a YAML, Python or Markdown file if pasted into it as it is.
SPECIAL_ANSWERS = [
    'O\'Brien "Ops"',
    "'single'",
    '"double"',
    "C:\\new\\table\\",
    "key: value",
    "Shop #1 # not a comment",
    "*star",
    "&anchor",
    "!tag",
    "%directive",
    "@at",
    "`tick`",
    "- dash",
    "? question",
    "{brace}",
    "[bracket]",
    "| pipe",
    "> greater",
    "a, b: {c: [d]}",
    "yes",
    "no",
    "null",
    "~",
    "1.0",
    "2026-12-01",
    "受注基盤「新」: 東京 #1",
    "1. first",
    "# heading",
    "a|b|c",
    "**bold** _em_",
    "[link](https://example.com)",
    "<script>alert(1)</script>",
    "&amp; &#x41;",
    "{handover-date}`T0`",
    "$x$ ~~strike~~",
    "{{ jinja }} {% if %}",
]

_MARKDOWN = create_md_parser(MdParserConfig(), RendererHTML)


def _render(language: str, value: str) -> dict[str, str]:
    answers = scaffold.Answers(
        language=language,
        system_name=value,
        vendor=f"{value} vendor",
        customer=f"customer {value}",
        release_date=dt.date(2026, 12, 1),
        service_hours=value,
    )
    return scaffold.render(answers)


def _cover_cell(markdown: str, row: str) -> str:
    """The text of the cover table's cell in *row*, as MyST's parser reads it."""
    rendered = _MARKDOWN.render(markdown)
    match = re.search(rf"<td>{re.escape(row)}</td>\s*<td>(.*?)</td>", rendered, re.DOTALL)
    assert match, rendered[:2000]
    return html.unescape(match.group(1))


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("value", SPECIAL_ANSWERS)
def test_every_answer_reads_back_from_every_generated_file(tmp_path, language, value):
    files = _render(language, value)

    data = yaml.safe_load(files["handover.yaml"])
    assert data["project"]["system"] == value
    assert data["project"]["vendor"] == f"{value} vendor"
    assert data["project"]["customer"] == f"customer {value}"
    assert data["project"]["release_date"] == dt.date(2026, 12, 1)
    assert data["service"]["hours"] == value
    assert f"customer {value}" in data["roles"]["service_owner"]["who"]  # inside the template's marker
    # handover-kit's own reader (line-located, strict) agrees.
    (tmp_path / "handover.yaml").write_text(files["handover.yaml"], "utf-8")
    project = package_data.load(tmp_path, "handover.yaml").project
    assert (project.system, project.vendor, project.customer) == (value, f"{value} vendor", f"customer {value}")

    for ci_file in (".github/workflows/handover.yml", ".gitlab-ci.yml"):
        assert yaml.safe_load(files[ci_file])
    conf = ast.parse(files["conf.py"])
    assert any(isinstance(node, ast.Assign) and node.targets[0].id == "language" for node in conf.body)

    # The pages show the answer as text: no heading, link, role, column or HTML made of it.
    system_row = "システム名" if language == "ja" else "System"
    assert _cover_cell(files["index.md"], system_row) == value


@pytest.mark.parametrize(
    ("language", "system", "vendor", "customer", "hours"),
    [
        ("en", "*star: \"q\" 'a' \\ #x", "&anchor", "!tag %d", "yes"),
        ("ja", "@at `tick` 受注", "- dash", "? q [b] {c}", "null"),
        ("en", "| pipe > gt", "1.0", "2026-12-01", "<b>bold</b> & [x](y)"),
    ],
)
def test_a_package_of_special_answers_builds(cli, tmp_path, language, system, vendor, customer, hours):
    answers = tmp_path / "answers.yaml"
    given = {
        "language": language,
        "system_name": system,
        "vendor": vendor,
        "customer": customer,
        "service_hours": hours,
    }
    answers.write_text(yaml.safe_dump({**given, "release_date": "2026-12-01"}, allow_unicode=True), "utf-8")
    created = cli("new", "pkg", "--no-input", "--answers", answers)
    assert created.code == 0, created.output

    checked = cli("check", "pkg", "--as-of", "2026-11-20", "--json")
    assert checked.code in (0, 1), checked.output  # a fresh package is NOT READY, never malformed
    assert "Traceback" not in checked.output
    report = json.loads(checked.out[checked.out.index("{") :])
    assert report["build_warnings"] == []
    rules = {problem["rule"] for problem in report["problems"]}
    assert not rules & {"handover.unsafe_html", "handover.invalid_option", "handover.unknown_option"}
    data = yaml.safe_load((tmp_path / "pkg" / "handover.yaml").read_text("utf-8"))
    assert data["project"]["system"] == system and data["service"]["hours"] == hours


def test_the_site_shows_the_answers_as_written(cli, tmp_path):
    """A Japanese site (no smart quotes): the cover shows each answer character for character."""
    answers = tmp_path / "answers.yaml"
    given = {
        "language": "ja",
        "system_name": "*受注* `基盤` [v2]",
        "vendor": "<i>ベンダー</i> & Co.",
        "customer": "1. 顧客|本社",
    }
    answers.write_text(yaml.safe_dump({**given, "release_date": "2026-12-01"}, allow_unicode=True), "utf-8")
    assert cli("new", "pkg", "--no-input", "--answers", answers).code == 0
    assert cli("build", "pkg", "--as-of", "2026-11-20").code == 1
    page = (tmp_path / "pkg" / "_build" / "html" / "index.html").read_text("utf-8")
    for row, value in (
        ("システム名", given["system_name"]),
        ("ベンダー（引き渡す側）", given["vendor"]),
        ("顧客（引き受ける側）", given["customer"]),
    ):
        cell = re.search(rf"<td><p>{re.escape(row)}</p></td>\s*<td><p>(.*?)</p></td>", page, re.DOTALL)
        assert cell and html.unescape(cell.group(1)) == value, (row, cell and cell.group(1))


@pytest.mark.parametrize(
    "written",
    [
        'system_name: "two\\nlines"\n',
        "system_name: |\n  two\n  lines\n",
        'vendor: "tab\\there"\n',
        'customer: "escape \\e[31m"\n',
        'service_hours: "line\\u2028separator"\n',
    ],
)
def test_an_answers_file_with_more_than_one_line_is_refused(cli, tmp_path, written):
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"language: en\n{written}", "utf-8")
    result = cli("new", "pkg", "--no-input", "--answers", answers)
    assert result.code == 2
    key = written.split(":")[0]
    assert result.err.strip() == f"handover: error: {answers}:2:{len(key) + 3}: {key}: {questions.ONE_LINE}"
    assert not (tmp_path / "pkg").exists()


def test_an_answers_file_with_bytes_no_file_can_hold_is_refused(cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text('language: en\nsystem_name: "x\\udc80y"\n', "utf-8")
    result = cli("new", "pkg", "--no-input", "--answers", answers)
    assert result.code == 2
    assert result.err.strip() == f"handover: error: {answers}:2:14: system_name: {questions.NOT_TEXT}"
    assert not (tmp_path / "pkg").exists()


def test_an_answer_with_a_control_character_is_asked_again(capsys):
    too_long = "x" * (questions.MAX_ANSWER + 1)
    replies = iter(["en", "Pay\x1bments", "Pay\tments", "Pay\udc80", too_long, "Payments", "", "", "2027-01-15", ""])
    answers = questions.collect({}, interactive=True, ask=lambda prompt: next(replies))
    assert answers.system_name == "Payments"
    said = capsys.readouterr().out.splitlines()
    assert said == [f"  {questions.ONE_LINE}"] * 2 + [f"  {questions.NOT_TEXT}", f"  {questions.TOO_LONG}"]


def test_every_answer_in_a_template_goes_through_its_files_emitter():
    """A value pasted in as it is would be the bug of issue 14 again: each ``{{ ... }}``
    of the templates `handover new` renders ends in the filter for its file's language."""
    # requirements-handover.txt holds no answer: only the tool's own version.
    filters = {".yaml": "yaml_scalar", ".yml": "yaml_scalar", ".py": "py_literal", ".md": "md_text", ".txt": None}
    environment = jinja2.Environment()
    unfiltered = []
    for template in sorted(TEMPLATES.rglob("*.jinja")):
        relative = template.relative_to(TEMPLATES).as_posix()
        if relative.startswith("add/"):
            continue  # `handover add runbook`, its own renderer
        wanted = filters[Path(relative.removesuffix(".jinja")).suffix]
        for output in environment.parse(template.read_text("utf-8")).find_all(jinja2.nodes.Output):
            for expression in output.nodes:
                if isinstance(expression, (jinja2.nodes.TemplateData, jinja2.nodes.Const)):
                    continue  # text, or GitHub's own ${{ }} written as '{{'
                if isinstance(expression, jinja2.nodes.Filter) and expression.name == wanted:
                    continue
                if (
                    isinstance(expression, jinja2.nodes.Name)
                    and expression.name == "release_date"
                    and wanted == "yaml_scalar"
                ):
                    continue  # a date, checked as one
                if isinstance(expression, jinja2.nodes.Name) and expression.name == "handover_version":
                    continue  # the tool's own version, not an answer
                unfiltered.append(f"{relative}:{expression.lineno}")
    assert unfiltered == []
