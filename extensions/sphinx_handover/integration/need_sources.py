"""Where each handover need is written, checked before sphinx-needs creates it.

sphinx-needs drops a need whose id is taken and an option it does not know, with a
warning that names one place and guesses nothing. For a handover package those are
input errors: the directives of the four handover types are wrapped so that an unknown
option (with a did-you-mean), an option written twice, a missing ``:id:`` and an id
written twice are recorded at their source line, per document, in the environment. The gate reports them with
both places named, and they make the build exit 2.

Only the Sphinx and docutils directive registry is used: whatever directive sphinx-needs
registered for a type is looked up and delegated to, unchanged.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from typing import Protocol, cast

from docutils import nodes
from docutils.parsers.rst import directives as rst_directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util.docutils import SphinxDirective

from ..i18n.messages import _
from ..model import option_block
from ..model.needs import NEED_TYPES
from ..rules.rules_table import Rule
from ..untrusted.expression_policy import unsafe_functions

#: What a need id may hold: links list ids separated by commas, semicolons or spaces.
_ID = re.compile(r"[A-Za-z0-9_-]{1,200}")

#: The options every need directive takes, from sphinx-needs' documentation of ``need``.
NEED_CORE_OPTIONS = frozenset(
    {
        "id", "status", "tags", "links", "collapse", "delete", "hide", "jinja_content",
        "title_from_content", "layout", "style", "template", "pre_template",
        "post_template", "constraints",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SourceError:
    """An input error found where a need is written."""

    docname: str
    line: int
    rule: Rule
    message: str
    need_id: str | None = None


@dataclass(frozen=True)
class NeedSite:
    docname: str
    line: int
    #: The options as its block writes them, what the gate reads (see ``model.needs``).
    written: tuple[tuple[str, str], ...] = ()


class _KeptOnEnv(Protocol):
    """The attributes this module adds to Sphinx's environment (pickled with it)."""

    handover_need_sites: dict[str, list[NeedSite]]  # need id -> [NeedSite]
    handover_need_ids: dict[str, set[str]]  # docname -> {need id}, so a document clears in its own time
    handover_source_errors: dict[str, list[SourceError]]  # docname -> [SourceError]


class _Sources:
    """What the environment remembers, per document: need ids written and errors found."""

    def __init__(self, env: BuildEnvironment) -> None:
        kept = cast(_KeptOnEnv, env)
        if not hasattr(env, "handover_need_sites"):
            kept.handover_need_sites = {}
            kept.handover_need_ids = {}
            kept.handover_source_errors = {}
        self.sites = kept.handover_need_sites
        self.ids = kept.handover_need_ids
        self.errors = kept.handover_source_errors

    def add(self, need_id: str, site: NeedSite) -> None:
        self.sites.setdefault(need_id, []).append(site)
        self.ids.setdefault(site.docname, set()).add(need_id)

    def clear(self, docnames: Set[str]) -> None:
        for docname in docnames:
            self.errors.pop(docname, None)
            for need_id in self.ids.pop(docname, ()):
                kept = [site for site in self.sites.get(need_id, ()) if site.docname not in docnames]
                if kept:
                    self.sites[need_id] = kept
                else:
                    self.sites.pop(need_id, None)

    def merge(self, other: _Sources, docnames: Set[str]) -> None:
        for docname in docnames:
            if docname in other.errors:
                self.errors[docname] = other.errors[docname]
        for need_id, sites in other.sites.items():
            for site in sites:
                if site.docname in docnames and site not in self.sites.get(need_id, ()):
                    self.add(need_id, site)


def written_options(env: BuildEnvironment) -> dict[str, dict[str, str]]:
    """need id -> its options as written in its block (ids written once; the others are
    duplicate_id errors)."""
    return {need_id: dict(sites[0].written) for need_id, sites in _Sources(env).sites.items() if len(sites) == 1}


def written_on(env: BuildEnvironment, docname: str) -> dict[str, int]:
    """need id -> line, for the needs made on *docname* (written once, and no input error
    stopped the block)."""
    sources = _Sources(env)
    stopped = {error.need_id for error in sources.errors.get(docname, ()) if error.need_id}
    made: dict[str, int] = {}
    for need_id in sources.ids.get(docname, ()):
        sites = sources.sites.get(need_id, [])
        if len(sites) == 1 and need_id not in stopped:
            made[need_id] = sites[0].line
    return made


def record_source_error(env: BuildEnvironment, error: SourceError) -> None:
    """Keeps *error* with its document's other input errors (cleared when it is read again)."""
    _Sources(env).errors.setdefault(error.docname, []).append(error)


def first_line_where(
    env: BuildEnvironment, docname: str, matches: Callable[[str], bool], occurrence: int = 1, start: int = 1
) -> int:
    """The first line of *docname*'s source for which *matches* holds, else 1: for errors
    found where no node or directive knows its line (roles, collectors, the toctree).

    With *occurrence* n, the n-th such line (the last one when there are fewer), so the
    second refusal of one name on a page is located at its own line; with *start*, only
    lines from there on count (the option lines of a directive that starts there)."""
    found = 0
    last = 1
    try:
        with open(env.doc2path(docname), encoding="utf-8", errors="replace") as source:
            for number, line in enumerate(source, start=1):
                if number >= start and matches(line):
                    found, last = found + 1, number
                    if found >= occurrence:
                        return number
    except OSError:
        return 1
    return last


def recorded_errors(env: BuildEnvironment, docname: str) -> list[SourceError]:
    """The input errors recorded for *docname* since it was last read."""
    return list(_Sources(env).errors.get(docname, ()))


def source_errors(env: BuildEnvironment) -> list[SourceError]:
    """Every input error recorded where needs are written, duplicate ids included."""
    sources = _Sources(env)
    found = [error for errors in sources.errors.values() for error in errors]
    for need_id, sites in sources.sites.items():
        first, *others = sorted(sites, key=lambda site: (site.docname, site.line))
        for site in others:
            where = f"{env.doc2path(first.docname, False).as_posix()}:{first.line}"
            message = _("need id {id} is already used at {where}: each id must be written once").format(
                id=need_id, where=where
            )
            found.append(SourceError(site.docname, site.line, Rule.DUPLICATE_ID, message, need_id))
    return found


class _CheckedNeedDirective(SphinxDirective):
    """Checks a handover need's options and id, then runs sphinx-needs' own directive."""

    #: sphinx-needs' directive; its arguments and option spec (which lets every option
    #: through to run()) are copied onto the wrapper.
    delegate: type
    allowed: frozenset[str]

    def run(self) -> list[nodes.Node]:
        sources = _Sources(self.env)
        docname, line = self.env.docname, self.lineno
        errors = sources.errors.setdefault(docname, [])
        need_id = (self.options.get("id") or "").strip() or None
        for option in sorted(set(self.options) - self.allowed):
            del self.options[option]
            errors.append(SourceError(docname, line, Rule.UNKNOWN_OPTION, self._unknown(option), need_id))
        errors.extend(self._repeated(docname, need_id))
        if need_id is None:
            message = _("{type} needs :id: (an id starting with {prefix})").format(
                type=self.name, prefix=NEED_TYPES[self.name]
            )
            errors.append(SourceError(docname, line, Rule.MISSING_OPTION, message))
            return []
        if not _ID.fullmatch(need_id):
            message = _(
                "{type} id {id!r}: an id is up to 200 letters, digits, '_' and '-', without spaces or invisible "
                "characters (links name needs by it)"
            ).format(type=self.name, id=need_id)
            errors.append(SourceError(docname, line, Rule.INVALID_OPTION, message, need_id))
            return []
        taken = bool(sources.sites.get(need_id))
        options = tuple(sorted((name, "" if value is None else str(value)) for name, value in self.options.items()))
        sources.add(need_id, NeedSite(docname, line, options))
        if taken:
            return []  # reported as duplicate_id; sphinx-needs would only drop it
        unsafe = unsafe_functions([*(str(value) for value in self.options.values()), *self.content])
        if unsafe is not None:
            message = _("{type} {id}: {reason}: a handover package may filter needs, not run code").format(
                type=self.name, id=need_id, reason=unsafe
            )
            errors.append(SourceError(docname, line, Rule.UNSAFE_EXPRESSION, message, need_id))
            return []
        directive = self.delegate(
            self.name, self.arguments, self.options, self.content, self.lineno,
            self.content_offset, self.block_text, self.state, self.state_machine,
        )  # fmt: skip
        made: list[nodes.Node] = directive.run()  # docutils' Directive.run is untyped
        return made

    def _repeated(self, docname: str, need_id: str | None) -> list[SourceError]:
        block = option_block.of_directive(self.block_text, self.lineno)
        if block is None:
            return []
        message = _(
            "{type}: :{option}: is written twice (lines {first} and {again}) and only the last would count: keep one"
        )
        found = []
        for option, first, again in block.repeated():
            said = message.format(type=self.name, option=option, first=first, again=again)
            found.append(SourceError(docname, again, Rule.INVALID_OPTION, said, need_id))
        return found

    def _unknown(self, option: str) -> str:
        close = difflib.get_close_matches(option, sorted(self.allowed), n=1, cutoff=0.6)
        if close:
            return _("{type}: unknown option :{option}: (did you mean :{match}:?)").format(
                type=self.name, option=option, match=close[0]
            )
        return _("{type}: unknown option :{option}:").format(type=self.name, option=option)


def _allowed_options(config: Config) -> frozenset[str]:
    declared: Iterable[str] = [
        *(config.needs_fields or {}),
        *(config.needs_links or {}),
        *(option if isinstance(option, str) else option.get("name", "") for option in config.needs_extra_options or ()),
        *(link.get("option", "") for link in config.needs_extra_links or ()),
    ]
    return NEED_CORE_OPTIONS | {name for name in declared if name}


def wrap_need_directives(app: Sphinx, config: Config) -> None:
    allowed = _allowed_options(config)
    for name in NEED_TYPES:
        original = rst_directives._directives.get(name)
        if original is None:
            continue
        delegate = getattr(original, "delegate", original)
        copied = ("has_content", "required_arguments", "optional_arguments", "final_argument_whitespace", "option_spec")
        attributes = {attribute: getattr(delegate, attribute) for attribute in copied}
        wrapper = type(
            f"{name}_checked_directive",
            (_CheckedNeedDirective,),
            {**attributes, "delegate": delegate, "allowed": allowed},
        )
        app.add_directive(name, wrapper, override=True)


class NeedSourcesCollector(EnvironmentCollector):
    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        _Sources(env).clear({docname})

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
        _Sources(env).merge(_Sources(other), docnames)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass


def _reread_duplicates(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """While an id is written twice only one place holds the need: read every place again,
    so fixing one of them brings the other back."""
    sites = _Sources(env).sites.values()
    docnames = {site.docname for places in sites if len(places) > 1 for site in places}
    return sorted(docnames & env.found_docs - set(removed))


def setup_need_sources(app: Sphinx) -> None:
    # After sphinx-needs has registered the directives of the configured types (500).
    app.connect("config-inited", wrap_need_directives, priority=900)
    app.add_env_collector(NeedSourcesCollector)
    app.connect("env-get-outdated", _reread_duplicates)
