"""The two reference builds of a handover package, from the same sources.

- bare: MyST + sphinx-needs with the need types, fields and links sphinx_handover
  declares; its live views become needtables of the same needs, its data views
  (drawn from handover.yaml) a sentence.
- plain: MyST alone; every need is a section (heading, its options as a list, its
  text), needtables and diagrams a sentence.

Same file tree, same pages, same text otherwise.
"""

from __future__ import annotations

import pprint
import shutil
from pathlib import Path
from typing import Any

from . import blocks
from .settings import NEEDS, SITE, handover_settings

NEED_TYPES = ("req", "check", "evidence", "runbook")
DATA_NOTE = "(この表は handover.yaml から作られます。)\n"

_CHECK_TABLE = ("check", "id;title;gate;owner;evidence_kind;verifies")
#: Live view -> the needtables listing the same needs.
_NEEDTABLES: dict[str, list[tuple[str, str]]] = {
    "handover-readiness": [_CHECK_TABLE],
    "handover-checklist": [_CHECK_TABLE],
    "handover-traceability": [
        ("req", "id;title"),
        _CHECK_TABLE,
        ("evidence", "id;title;date;owner;artifact;kind;result;proves"),
    ],
}
_DATA_VIEWS = {
    "handover-charts",
    "handover-sla-chain",
    "handover-raci",
    "handover-coverage",
    "handover-escalation",
    "handover-timeline",
    "handover-hypercare",
    "handover-targets",
    "handover-go-no-go",
}
#: Chapter 10's diagram of its checks: in the bare variant, sphinx-needs' own needflow of
#: the chapters' needs (what chapter 10 held before it had its own diagram).
_TRACE_DIAGRAM = "handover-trace-diagram"
_NEEDFLOW = (
    "```{needflow}\n"
    ':filter: type in ["req", "check", "evidence"] and docname.startswith("chapters/")\n'
    ":direction: right\n```\n"
)
#: The author's guidance boxes are not published: nothing in any variant.
_GUIDE = "handover-guide"


def write_twins(handover: Path, bare: Path, plain: Path) -> None:
    settings = handover_settings(handover)
    write_bare(handover, bare, settings)
    write_plain(handover, plain, settings)


def write_bare(handover: Path, target: Path, settings: dict[str, Any]) -> None:
    conf = {"extensions": ["myst_parser", "sphinx_needs", "sphinx.ext.graphviz"]}
    conf.update({name: settings[name] for name in (*SITE, *NEEDS)})
    _write_twin(handover, target, conf, _bare_block)


def write_plain(handover: Path, target: Path, settings: dict[str, Any]) -> None:
    conf = {"extensions": ["myst_parser"], **{name: settings[name] for name in SITE}}
    _write_twin(handover, target, conf, _plain_block)


def _write_twin(handover: Path, target: Path, conf: dict[str, Any], rewriter: blocks.Rewriter) -> None:
    shutil.copytree(handover, target)
    (target / "handover.yaml").unlink()
    lines = [f"{name} = {pprint.pformat(value, width=100)}" for name, value in conf.items()]
    (target / "conf.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for page in target.rglob("*.md"):
        if "evidence" not in page.relative_to(target).parts:
            page.write_text(blocks.rewrite(page.read_text(encoding="utf-8"), rewriter), encoding="utf-8")


def _bare_block(block: blocks.Block) -> str | None:
    if block.name == _GUIDE:
        return ""
    if block.name == _TRACE_DIAGRAM:
        return _NEEDFLOW
    if block.name in _NEEDTABLES:
        return "\n".join(_needtable(kind, columns) for kind, columns in _NEEDTABLES[block.name])
    if block.name in _DATA_VIEWS:
        return DATA_NOTE
    return None


def _plain_block(block: blocks.Block) -> str | None:
    if block.name in NEED_TYPES:
        return _section(block)
    if block.name == _GUIDE:
        return ""
    if block.name in _NEEDTABLES or block.name in _DATA_VIEWS or block.name in ("needflow", _TRACE_DIAGRAM):
        return DATA_NOTE
    return None


def _needtable(kind: str, columns: str) -> str:
    return f"```{{needtable}}\n:types: {kind}\n:columns: {columns}\n:style: table\n```\n"


def _section(block: blocks.Block) -> str:
    marks = "#" * min(block.heading_level + 1, 6)
    fields = "".join(f"- {key}: {value}\n" for key, value in block.options)
    body = f"\n{block.body}\n" if block.body else ""
    return f"{marks} {block.argument}\n\n{fields}{body}"
