"""sphinx_handover: an operations handover package as a Sphinx project with a gate.

Requirements (``req``), checklist items (``check``), evidence records (``evidence``)
and runbooks (``runbook``) are sphinx-needs needs. When writing starts, every rule
runs once over them and ``handover.yaml``; the resulting verdict is logged at the
source of each problem, shown in the site (``handover-readiness``,
``handover-checklist``), written to ``handover-report.json`` and sets the exit status.
The structured data of handover.yaml is shown by the directives of
:mod:`.data_directives` (SLA chain, RACI, coverage, escalation, timeline, hypercare).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ._version import __version__
from .i18n.messages import setup_messages
from .integration.check_builder import setup_check_builder
from .integration.gate import setup_gate
from .integration.markup_failures import setup_markup_failures
from .integration.need_placement import setup_need_placement
from .integration.need_sources import setup_need_sources
from .integration.needs_config import setup_config
from .integration.needs_purge import setup_needs_purge
from .integration.pending_nodes import setup_pending_nodes
from .integration.state import get_verdict
from .model.errors import HandoverInputError
from .rules.placeholders import setup_placeholders
from .rules.rules_table import Rule
from .rules.verdict import Verdict
from .secret_scan.redaction import setup_redaction
from .site.layout_assets import setup_layout_assets
from .site.navigation import setup_navigation
from .site.search_ja import setup_search_ja
from .site.site_assets import setup_site_assets
from .untrusted.confined_reads import setup_confined_reads
from .untrusted.diagram_sources import setup_diagram_sources
from .untrusted.needs_evaluation import setup_needs_evaluation
from .untrusted.reading_limits import setup_reading_limits
from .untrusted.unsafe_html import setup_unsafe_html
from .views.badges import setup_badges
from .views.data_directives import setup_data_directives
from .views.dates import setup_dates
from .views.directives import setup_directives
from .views.go_no_go import setup_go_no_go
from .views.graphviz_fallback import setup_graphviz_fallback
from .views.overview import setup_overview
from .views.signoff_page import setup_signoff_page
from .views.signoff_view import setup_signoff_view
from .views.table_tools import setup_table_tools

__all__ = ["HandoverInputError", "Rule", "Verdict", "get_verdict", "setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_needs")
    setup_needs_purge(app)
    setup_messages(app)
    setup_config(app)
    setup_check_builder(app)
    setup_graphviz_fallback(app)
    setup_directives(app)
    setup_go_no_go(app)
    setup_need_sources(app)
    setup_markup_failures(app)
    setup_pending_nodes(app)
    setup_need_placement(app)
    setup_confined_reads(app)
    setup_needs_evaluation(app)
    setup_diagram_sources(app)
    setup_reading_limits(app)
    setup_data_directives(app)
    setup_dates(app)
    setup_placeholders(app)
    setup_overview(app)
    setup_badges(app)
    setup_signoff_view(app)
    setup_signoff_page(app)
    setup_gate(app)
    setup_redaction(app)
    setup_unsafe_html(app)
    setup_site_assets(app)
    setup_search_ja(app)
    setup_table_tools(app)
    setup_layout_assets(app)
    setup_navigation(app)
    return {
        "version": __version__,
        "env_version": 12,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
