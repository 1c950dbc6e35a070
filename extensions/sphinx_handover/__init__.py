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

from handover_kit import __version__
from sphinx.application import Sphinx

from .badges import setup_badges
from .check_builder import setup_check_builder
from .confined_reads import setup_confined_reads
from .data_directives import setup_data_directives
from .dates import setup_dates
from .directives import setup_directives
from .errors import HandoverInputError
from .gate import setup_gate
from .go_no_go import setup_go_no_go
from .graphviz_fallback import setup_graphviz_fallback
from .layout_assets import setup_layout_assets
from .messages import setup_messages
from .navigation import setup_navigation
from .need_sources import setup_need_sources
from .needs_config import setup_config
from .needs_purge import setup_needs_purge
from .overview import setup_overview
from .placeholders import setup_placeholders
from .reading_limits import setup_reading_limits
from .redaction import setup_redaction
from .rules_table import Rule
from .search_ja import setup_search_ja
from .signoff_page import setup_signoff_page
from .signoff_view import setup_signoff_view
from .site_assets import setup_site_assets
from .table_tools import setup_table_tools
from .unsafe_html import setup_unsafe_html
from .state import get_verdict
from .verdict import Verdict

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
    setup_confined_reads(app)
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
        "env_version": 4,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
