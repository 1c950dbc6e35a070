"""Need boxes in the package's language: field names, values and link labels.

sphinx-needs prints a field as its name (``gate: T-7``) and a link as its configured
text followed by an ASCII colon. Its layouts take field labels only from ASCII
(``needs_card_layouts``), so once its doctree-resolved handler (priority 500) has
turned the needs into tables, this one relabels them from :mod:`.labels`:

- a field's label (``<span class="needs_label">``) becomes ``期限：``;
- a known value (``result: pass``, an evidence kind, a duration) becomes ``合格``, ``22分50秒``;
- the colon after the need type and after a link's text (configured in the site's
  language by :mod:`.needs_config`) becomes the language's colon.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..integration import state
from ..integration.check_builder import only_for_pages
from ..model.units import parse_duration
from .labels import duration_text, has_label, label

#: Fields whose values are durations (``1h42m``), shown as a reader says them.
_DURATIONS = {"measured_rto", "measured_rpo", "target_rto", "target_rpo"}
#: Fields whose values come from a fixed list, each with a label ``value_<field>_<value>``.
_VALUE_FIELDS = {"result", "kind", "evidence_kind", "freshness"}
#: Link types; sphinx-needs gives each link's container the link type's name as class.
LINK_TYPES = ("verifies", "proves")


def setup_need_labels(app: Sphinx) -> None:
    app.connect("doctree-resolved", only_for_pages(relabel_needs), priority=600)


def relabel_needs(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    language = state.of(app).data.project.language
    for table in doctree.findall(nodes.table):
        if "need" in table["classes"]:
            relabel_box(table, language)


def relabel_box(box: nodes.Element, language: str) -> None:
    colon = label(language, "field_colon")
    for node in list(box.findall(nodes.inline)):
        classes = node["classes"]
        if "needs_label" in classes and isinstance(node.parent, nodes.inline):
            _relabel_field(node, _field_of(node.parent), language, colon)
        elif "needs_data" in classes and isinstance(node.parent, nodes.inline):
            _relabel_value(node, _field_of(node.parent), language)
        elif "needs_type_name" in classes or set(classes) & set(LINK_TYPES):
            _relabel_colon(node, colon, before="needs_type_name" not in classes)


def _field_of(container: nodes.Element) -> str:
    names = [c[len("needs_") :] for c in container["classes"] if c.startswith("needs_")]
    return names[0] if names else ""


def _relabel_field(node: nodes.Element, field: str, language: str, colon: str) -> None:
    if has_label(language, f"field_{field}"):
        node.children = []
        node += nodes.Text(label(language, f"field_{field}") + colon)


def _relabel_value(node: nodes.Element, field: str, language: str) -> None:
    text = node.astext()
    if field in _DURATIONS and (value := parse_duration(text)) is not None:
        shown = duration_text(language, value)
    elif field in _VALUE_FIELDS and has_label(language, f"value_{field}_{text}"):
        shown = label(language, f"value_{field}_{text}")
    else:
        return
    node.children = []
    node += nodes.Text(shown)


def _relabel_colon(node: nodes.Element, colon: str, *, before: bool) -> None:
    """The ``: `` that sphinx-needs writes before a link list or after the type name."""
    parent = node.parent
    index = parent.index(node) + (-1 if before else 1)
    if not 0 <= index < len(parent):
        return
    text = parent[index]
    if isinstance(text, nodes.Text) and text.rstrip().endswith(":"):
        stripped = text.rstrip()
        parent[index] = nodes.Text(stripped[:-1] + colon)
