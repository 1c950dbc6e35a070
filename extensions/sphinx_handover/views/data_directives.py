"""Directives that show handover.yaml's structured data where it belongs in the chapters.

``handover-sla-chain``, ``handover-raci``, ``handover-coverage``, ``handover-escalation``,
``handover-timeline``, ``handover-hypercare`` and ``handover-targets`` take no argument and no option. They
are live views (:mod:`.directives`): filled at write time from the build's state, so
they follow handover.yaml, the as-of date and the verdict on every build.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.application import Sphinx

from ..integration import state
from ..integration.state import BuildState
from . import data_render, escalation_render, targets_render
from .directives import Renderer, add_live_view, live_view


class sla_chain_view(live_view):
    """Placeholder for the SLA per severity and the OLAs and UCs under it."""


class raci_view(live_view):
    """Placeholder for the RACI matrix."""


class coverage_view(live_view):
    """Placeholder for the contract coverage matrix."""


class escalation_view(live_view):
    """Placeholder for the escalation diagram and its table."""


class timeline_view(live_view):
    """Placeholder for the review timeline."""


class hypercare_view(live_view):
    """Placeholder for the hypercare exit KPIs."""


class targets_view(live_view):
    """Placeholder for the service's quality targets with the measured RTO / RPO."""


DataView = Callable[[BuildState], list[nodes.Node]]

_VIEWS: tuple[tuple[str, type[live_view], DataView], ...] = (
    ("handover-sla-chain", sla_chain_view, data_render.sla_chain),
    ("handover-raci", raci_view, data_render.raci),
    ("handover-coverage", coverage_view, data_render.coverage),
    ("handover-escalation", escalation_view, escalation_render.escalation),
    ("handover-timeline", timeline_view, data_render.timeline),
    ("handover-hypercare", hypercare_view, data_render.hypercare),
    ("handover-targets", targets_view, targets_render.targets),
)


def _from_state(view: DataView) -> Renderer:
    def render(app: Sphinx, docname: str) -> list[nodes.Node]:
        return view(state.of(app))

    return render


def setup_data_directives(app: Sphinx) -> None:
    for name, node_class, view in _VIEWS:
        add_live_view(app, name, node_class, _from_state(view))
