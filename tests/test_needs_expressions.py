"""No Python of the package runs while it is built: sphinx-needs evaluates filters only.

sphinx-needs evaluates text of a page as Python (filters, filter code, ``:filter-func:``,
``needextend``, ``if``, dynamic functions' filters). Each vector below would create a
marker file if it ran; none may, each is reported at its line, and ``check`` says what
``build`` says."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import AS_OF

from sphinx_handover.untrusted import needs_evaluation
from sphinx_handover.untrusted.expression_policy import refusal

ORDINARY_FILTERS = [
    'type == "req"',
    'type == "check" and "T-7" in gate',
    'search("^REQ_", id) and status != "done"',
    'docname.startswith("chapters/") and not is_external',
    "len(links) > 1 or id in ['REQ_A', 'REQ_B']",
    'any(t in tags for t in ["db", "web"])',
    "[l for l in links if l.lower().endswith('_db')]",
    "owner.strip() == '' if owner else True",
    "c.this_doc()",
    "title.split()[0].upper() == 'BACKUP'",
]
ESCAPES = [
    "__import__('os').system('id')",
    "().__class__.__base__.__subclasses__()",
    "[c for c in ().__class__.__mro__]",
    "open('/etc/passwd').read()",
    "getattr(id, 'upper')()",
    "sorted(['1'], key=eval)",
    "max(['/etc/passwd'], key=open)",
    "(lambda: 1)()",
    "'{0.__class__}'.format(id)",
    "title.format(id)",
    "globals()",
    "vars()",
    "search.__globals__",
    "c.__dict__",
    "var.__class__",
    "type.mro(type)",
    "'a' * 10 ** 10",
    "9 ** 9 ** 9",
    "(x := 1)",
    "f'{id!r}'",
    "print(*links)",
    "dict(**needs)",
    "x = 1",
    "import os",
    "id == '" + "a" * 3000 + "'",
]


@pytest.mark.parametrize("expression", ORDINARY_FILTERS)
def test_the_filters_people_write_are_allowed(expression):
    assert refusal(expression) is None


@pytest.mark.parametrize("expression", ESCAPES)
def test_every_way_out_of_the_filter_language_is_refused(expression):
    assert refusal(expression) is not None


def _vectors(marker: Path) -> dict[str, str]:
    """Markdown that would create *marker* (or run other code) if sphinx-needs evaluated it."""
    touch = f"__import__('pathlib').Path(r'{marker}').touch()"
    code = f"import pathlib; pathlib.Path(r'{marker}').touch()"
    return {
        "needtable filter": f"```{{needtable}}\n:filter: {touch} or True\n```",
        "needlist filter through the object graph": (
            "```{needlist}\n:filter: [s for s in ().__class__.__base__.__subclasses__() if s.__name__ == 'Popen']\n```"
        ),
        "needflow filter with getattr": "```{needflow}\n:filter: getattr(id, 'upper')() == 'X'\n```",
        "needextract filter with key=eval": f'```{{needextract}}\n:filter: sorted(["{touch}"], key=eval)\n```',
        "needtable filter code": f"```{{needtable}}\n{code}\nresults = needs\n```",
        "needpie line": f"```{{needpie}} Pie\ntype == 'req'\nopen(r'{marker}', 'w') and True\n```",
        "needbar cell": f'```{{needbar}} Bar\n:legend:\n\n ,a\nx,exec("{code}")\n```',
        "needextend argument": "```{needextend} (lambda: __import__('os'))()\n:status: done\n```",
        "filter-func": "```{needlist}\n:filter-func: pathlib.Path.cwd\n```",
        "if argument": "```{if} var.__class__\nshown\n```",
        "needservice": "```{needservice} github-issues\n:query: repo:x/y\n```",
        "needuml": "```{needuml}\nAlice -> Bob\n```",
        "dynamic function, positional filter": (
            f'```{{req}} Attacked\n:id: REQ_ATTACKED\n:status: [[copy("id", "REQ_ATTACKED", False, False, "{touch}")]]\n\n'
            "Body.\n```"
        ),
        "dynamic function in a need body": (
            '```{req} Attacked body\n:id: REQ_ATTACKED_BODY\n\nSee [[copy("id", filter="vars()")]].\n```'
        ),
        "ndf role": f'Value: {{ndf}}`copy("id", filter="{touch}")`.',
        "dynamic function in needextend's value": (
            f'```{{needextend}} REQ_ANY\n:status: [[copy("id", filter="{touch}")]]\n```'
        ),
        "dynamic function in a table's row style": (
            f'```{{needtable}}\n:filter: type == "req"\n:style_row: [[copy("id", filter="{touch}")]]\n```'
        ),
    }


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "code-ran"


def _located(err: str, page: str, line: int) -> bool:
    prefix = f"pkg/{page}:{line}: ERROR: "
    return any(text.startswith(prefix) and text.endswith("[handover.unsafe_expression]") for text in err.splitlines())


@pytest.mark.parametrize("name", sorted(_vectors(Path("m"))))
def test_no_vector_runs_and_each_is_reported_at_its_line_by_build_and_check(cli, package, marker, name):
    vector = _vectors(marker)[name]
    page = package.page("chapters/attack", f"# Attack\n\nBefore.\n\n{vector}\n\nAfter.\n")
    line = 5  # the vector's first line: the directive, the need, the paragraph
    for verb in ("build", "check"):
        result = cli(verb, package.root, "--as-of", AS_OF)
        assert not marker.exists(), f"{verb} ran the package's code"
        assert "Traceback" not in result.output
        assert result.code == 1, result.output
        assert _located(result.err, "chapters/attack.md", line), result.err
    assert page.exists()


def test_ordinary_filters_still_select_needs(cli, package):
    package.page(
        "chapters/filtered",
        """\
        # Filtered

        ```{req} Backups are restored
        :id: REQ_FILTERED_RESTORE
        :tags: db

        Body.
        ```

        ```{needtable}
        :filter: type == "req" and docname.startswith("chapters/") and any(t in tags for t in ["db"])
        :columns: id;title
        ```

        ```{needextend} id == "REQ_FILTERED_RESTORE"
        :status: reviewed
        ```
        """,
    )
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "unsafe_expression" not in built.err, built.err
    html = (package.root / "_build" / "html" / "chapters" / "filtered.html").read_text("utf-8")
    table = html[html.index("needstable") :]
    assert "REQ_FILTERED_RESTORE" in table
    assert "reviewed" in html


def test_every_module_of_sphinx_needs_that_evaluates_is_guarded():
    import sphinx_needs

    needs_evaluation.guard_sphinx_needs()
    root = Path(sphinx_needs.__file__).parent
    evaluating = [
        path for path in root.rglob("*.py") if re.search(r"(?<![\w.])(eval|exec|compile)\s*\(", path.read_text())
    ]
    assert evaluating, "sphinx-needs evaluates filters somewhere"
    for path in evaluating:
        parts = path.relative_to(root).with_suffix("").parts
        module = sys.modules[".".join(("sphinx_needs", *(p for p in parts if p != "__init__")))]
        assert module.eval is needs_evaluation._guarded_eval, path
        assert module.exec is needs_evaluation._refused_exec, path
    # Nothing reaches the real builtins another way.
    for path in root.rglob("*.py"):
        assert not re.search(
            r"builtins\.(eval|exec|compile)\b|__builtins__\s*\[|getattr\(\s*builtins", path.read_text()
        ), path


def test_the_guard_evaluates_filters_and_refuses_the_rest():
    from sphinx_needs import filter_common

    needs_evaluation.guard_sphinx_needs()
    assert filter_common.eval('type == "req"', {"type": "req"}) is True
    compiled = filter_common.compile('id.startswith("REQ")', "<string>", "eval")
    assert filter_common.eval(compiled, {"id": "REQ_A"}) is True
    for refused in ("__import__('os')", compile("1", "<elsewhere>", "eval")):
        with pytest.raises(needs_evaluation.RefusedEvaluation):
            filter_common.eval(refused, {})
    with pytest.raises(needs_evaluation.RefusedEvaluation):
        filter_common.exec("results = []", {})
    with pytest.raises(needs_evaluation.RefusedEvaluation):
        filter_common.compile("x = 1", "<string>", "exec")
