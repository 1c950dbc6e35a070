"""Configuring Sphinx, MyST and sphinx-needs for a handover package.

A package's ``conf.py`` only lists ``sphinx_handover``; its data lives in
``handover.yaml``. This module reads that file when the configuration is ready and
fills in what the package needs: the project name and language, the need types,
their fields and link types, and the sources to leave out. Values a ``conf.py``
sets itself are kept.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from ..i18n.labels import label
from ..i18n.need_labels import LINK_TYPES, setup_need_labels
from ..model import package_data
from ..model.errors import HandoverInputError, stops_the_build
from ..model.needs import NEED_TYPES
from ..model.timeline import REVIEWS
from ..model.yamlsrc import parse_date
from ..rules.rules_table import Rule, honoured_suppressions
from ..rules.signoff_fingerprint import NEED_FINGERPRINT
from ..site.theme_strings import setup_theme_strings
from . import state

_TYPE_STYLE = {
    "req": ("#BFD8D2", "node"),
    "check": ("#FEDCD2", "node"),
    "evidence": ("#DCEBFA", "artifact"),
    "runbook": ("#F3E6B3", "card"),
}

_FIELDS = {
    "gate": "The review by which a check is due: T-60, T-30, T-7 or T+30 (default T-7)",
    "max_age": "The oldest evidence a check accepts, in days",
    "evidence_kind": "The kind of evidence a check needs (restore-test, dry-run, ...)",
    "date": "The day an evidence record was produced (YYYY-MM-DD)",
    "owner": "Who produced the evidence or owns the runbook",
    "artifact": "The evidence file, relative to the package root, or an https URL",
    "result": "pass or fail",
    "kind": "The kind of an evidence record",
    "sha256": "The SHA-256 of the artifact file",
    "last_exercised": "The day a runbook was last exercised (YYYY-MM-DD)",
    "target_rto": "A check's own recovery time objective, instead of service.rto (30m, 4h, 1h30m)",
    "target_rpo": "A check's own recovery point objective, instead of service.rpo",
    "freshness": "How a check's evidence age is counted: review (default) or continuous",
    "measured_rto": "The recovery time a restore test or dry run measured",
    "measured_rpo": "The data loss (recovery point) a restore test or dry run measured",
}

#: Link types; their texts (``verified by``, ``確認する受入チェック``) come from labels.py.
_LINKS = LINK_TYPES

#: Never sources: artifacts, build output, the package's own README for git hosts.
_EXCLUDE = ["_build", "evidence", "README.md", ".*", "**/.*"]


def setup_config(app: Sphinx) -> None:
    app.add_config_value("handover_as_of", "", "", types=(str, dt.date))
    app.add_config_value("handover_gate", "", "", types=(str,))
    app.add_config_value("handover_report", "handover-report.json", "", types=(str,))
    # Live preview turns it off: a NOT READY site is still a correct, current site.
    app.add_config_value("handover_fail_on_not_ready", True, "", types=(bool,))
    # Before sphinx-needs reads its own configuration (its handlers run at 10-12).
    app.connect("config-inited", configure_package, priority=5)
    setup_need_labels(app)
    setup_theme_strings(app)


@stops_the_build
def configure_package(app: Sphinx, config: Config) -> None:
    """Read handover.yaml and configure the project; a package that cannot be read stops
    the build with one line (see :func:`.errors.stop`)."""
    root = Path(app.confdir)
    if (root / "docutils.conf").exists():
        # Sphinx has applied it by now; its settings can hide warnings or write files.
        raise HandoverInputError(
            os.path.relpath(root / "docutils.conf"),
            "a package takes no docutils.conf (its settings change what is read and reported): remove it",
            rule=Rule.PACKAGE_CONF,
        )
    if not (root / package_data.FILENAME).is_file():
        raise HandoverInputError(
            os.path.relpath(root / package_data.FILENAME),
            "not found: conf.py lists sphinx_handover, which reads the package's data from it; "
            "run 'handover init' in this folder to add handover.yaml and the handover pages",
        )
    data = package_data.load(root, os.path.relpath(root / package_data.FILENAME))
    as_of = _as_of(config.handover_as_of)
    gate = config.handover_gate or None
    if gate is not None and gate not in REVIEWS:
        raise HandoverInputError(
            "handover_gate", f"unknown gate {gate!r}: use one of {', '.join(REVIEWS)}", rule=Rule.PACKAGE_CONF
        )
    state.start(app, root=root, data=data, as_of=as_of, gate=gate)

    # A project that names itself keeps the title Sphinx makes from that name.
    own_project = not _is_default(config, "project")
    _default(config, "project", data.project.system)
    _check_language(config, data)
    _default(config, "html_theme", "furo")
    if not own_project:
        _default(config, "html_title", data.project.system)
    # The site must not serve the raw Markdown: secrets are redacted from pages only. Not a
    # default: a project's own conf.py (sphinx-quickstart's does not, but Sphinx defaults
    # to True) cannot turn it back on.
    config.html_copy_source = False
    _default(
        config,
        "copyright",
        label(data.project.language, "copyright").format(vendor=data.project.vendor, customer=data.project.customer),
    )
    config.exclude_patterns = list(dict.fromkeys([*config.exclude_patterns, *_EXCLUDE]))
    config.suppress_warnings = honoured_suppressions(list(config.suppress_warnings))
    _configure_needs(config, data.project.language)


def _configure_needs(config: Config, language: str) -> None:
    own = [
        {
            "directive": name,
            "title": label(language, f"type_{name}"),
            "prefix": prefix,
            "color": _TYPE_STYLE[name][0],
            "style": _TYPE_STYLE[name][1],
        }
        for name, prefix in NEED_TYPES.items()
    ]
    if _is_default(config, "needs_types"):
        config.needs_types = own
    else:
        names = set(NEED_TYPES)
        config.needs_types = [t for t in config.needs_types if t["directive"] not in names] + own
    fields: dict[str, Any] = dict(config.needs_fields or {})
    for name, description in _FIELDS.items():
        fields.setdefault(name, {"description": description, "nullable": True, "schema": {"type": "string"}})
    # sphinx-needs computes it; a sign-off records it per need (see signoff_fingerprint.py).
    fields.setdefault(
        NEED_FINGERPRINT,
        {
            "description": "What a sign-off approves of the need",
            "schema": {"type": "string"},
            "derive": {"kind": "fingerprint"},
        },
    )
    config.needs_fields = fields
    links: dict[str, Any] = dict(config.needs_links or {})
    for name in _LINKS:
        texts = {way: label(language, f"link_{name}_{way}") for way in ("incoming", "outgoing")}
        # Unknown ids are reported by the gate as [handover.unknown_id], once.
        links.setdefault(name, {**texts, "allow_dead_links": True})
    config.needs_links = links
    _default(config, "needs_id_required", True)
    _default(config, "needs_flow_engine", "graphviz")
    _default(config, "needs_build_json", False)


def _check_language(config: Config, data: package_data.HandoverData) -> None:
    """conf.py states the language (Sphinx needs it before extensions load); it must agree."""
    wanted = data.project.language
    if _is_default(config, "language"):
        config.language = wanted  # pages and search follow; Sphinx's own labels stay English
    elif config.language != wanted:
        raise HandoverInputError(
            "conf.py",
            f"language = {config.language!r} but handover.yaml says project.language: {wanted}; make them the same",
            rule=Rule.PACKAGE_CONF,
        )


def _as_of(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not value:
        return dt.date.today()
    parsed = parse_date(value)
    if parsed is None:
        raise HandoverInputError(
            "handover_as_of", f"{value!r} is not a valid date (YYYY-MM-DD)", rule=Rule.PACKAGE_CONF
        )
    return parsed


def _is_default(config: Config, name: str) -> bool:
    """Whether neither conf.py nor an override set *name*.

    Set to the value Sphinx defaults to is still set: a project that writes
    ``html_theme = "alabaster"`` (Sphinx's default) keeps alabaster, and an ``html_title``
    Sphinx derives from the project's own ``project`` stays the project's."""
    if name in config.overrides or name in getattr(config, "_raw_config", {}):
        return False
    default = config.values[name].default
    value: object = config[name]
    default_value: object = default(config) if callable(default) else default
    return value == default_value


def _default(config: Config, name: str, value: Any) -> None:
    if _is_default(config, name):
        config[name] = value
