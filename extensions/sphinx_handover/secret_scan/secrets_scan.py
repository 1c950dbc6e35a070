"""Finding secrets in a package, and knowing which files were scanned at all.

detect-secrets (its library API) scans every file of the package that is UTF-8 text;
the detectors of :mod:`.secret_detectors` add the classes it misses in handover
documents (assignments whose name says "secret" in any syntax, command lines, HTTP
headers, query strings, table cells and lines under a label, cloud key pairs, in
English and Japanese, full- or half-width). A line marked ``pragma: allowlist
secret`` (the detect-secrets convention, e.g. ``<!-- pragma: allowlist secret -->`` in
Markdown or ``# pragma: allowlist secret`` in YAML) is a reviewed false positive.

Nothing unscanned may be published, so every file gets a :class:`FileKind`: text that
was scanned, binary (by its first bytes; its printable parts are scanned by the
detectors here), or text that is not UTF-8 and so could not be scanned: that one is
reported (``handover.unscanned_file``) and never published.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import secret_detectors
from .credential_files import credential_file_hits
from .detect_secrets_pass import LONG_LINE, Prefilter, detect_secrets_hits
from .redact_values import redact
from .scanned_files import FileKind, Unscanned, classify, package_files, read_texts
from .scanned_files import file_key as _key
from .secret_detectors import ALLOWLIST_MARK

#: The prefilter under its former name (tests and callers use it from here).
_Prefilter = Prefilter

__all__ = [
    "ALLOWLIST_MARK",
    "LONG_LINE",
    "REDACTED",
    "FileKind",
    "Finding",
    "ScanResult",
    "Unscanned",
    "classify",
    "package_files",
    "read_texts",
    "redact",
    "scan_files",
    "scan_package_files",
]

REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: str
    #: The secret itself: used to redact output, never shown.
    value: str


@dataclass
class ScanResult:
    """What the scan of a package found; the publishing code asks :meth:`publishable`."""

    findings: list[Finding] = field(default_factory=list)
    kinds: dict[Path, FileKind] = field(default_factory=dict)
    unscanned: list[Unscanned] = field(default_factory=list)

    def kind(self, path: Path) -> FileKind | None:
        """The kind of a package file, None for a file the scan never saw (not publishable)."""
        return self.kinds.get(_key(path))

    def holds_secret(self, path: Path) -> bool:
        return _key(path) in {_key(finding.path) for finding in self.findings}

    def publishable(self, path: Path) -> bool:
        """Scanned (as text or as binary) and without a secret."""
        return self.kind(path) in (FileKind.TEXT, FileKind.BINARY) and not self.holds_secret(path)


def scan_package_files(paths: Iterable[Path], texts: Mapping[Path, str | None]) -> ScanResult:
    """Kinds of all *paths*; secrets in those of *texts* (the files not known clean)."""
    paths = list(paths)
    kinds, unscanned = classify(paths, {path: texts.get(path, "") for path in paths})
    findings = scan_files(texts)
    findings.extend(_name_findings(paths))
    for path, text in texts.items():
        if text is None and kinds.get(_key(path)) is FileKind.BINARY:
            findings.extend(_binary_findings(path))
    return ScanResult(_unique(findings), kinds, unscanned)


def _name_findings(paths: list[Path]) -> list[Finding]:
    """A file's name is published too (a folder artifact lists its files): every name is
    scanned on each build, cached or not, and a secret in it is reported at line 1."""
    found = []
    for path in paths:
        for hit in secret_detectors.scan_text(path.name):
            found.append(Finding(path, 1, f"{hit.kind} in the file's name", hit.value))
    return found


def _binary_findings(path: Path) -> list[Finding]:
    """The printable parts of a binary file, through the detectors here (a log zipped
    with a password in it, a PDF's text layer written uncompressed)."""
    try:
        text = path.read_bytes().decode("utf-8", "replace").replace("\x00", " ")
    except OSError:
        return []
    return [Finding(path, hit.line, hit.kind, hit.value) for hit in secret_detectors.scan_text(text)]


def scan_files(texts: Mapping[Path, str | None]) -> list[Finding]:
    if not any(text is not None for text in texts.values()):  # detect-secrets need not even be loaded
        return []
    from detect_secrets.settings import default_settings

    findings: list[Finding] = []
    with default_settings():
        prefilter = Prefilter.of_enabled_plugins()
        for path, text in texts.items():
            if text is None:
                continue
            if prefilter.may_report(path, text):
                findings.extend(Finding(path, *hit) for hit in detect_secrets_hits(path, text, prefilter))
            if _may_hold_labelled_or_cloud(text):
                findings.extend(
                    Finding(path, hit.line, hit.kind, hit.value) for hit in secret_detectors.scan_text(text)
                )
            findings.extend(_private_keys(path, text))
            findings.extend(Finding(path, hit.line, hit.kind, hit.value) for hit in credential_file_hits(path, text))
            if path.suffix.lower() in (".yaml", ".yml", ".json"):
                findings.extend(_multiline_yaml_values(path, text))
    return _unique(findings)


_KEY_HEADER = re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_KEY_FOOTER = re.compile(r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_KEY_BODY_LINE = re.compile(r"[ \t]*[A-Za-z0-9+/=:\-, ]{8,}[ \t]*")


def _private_keys(path: Path, text: str) -> list[Finding]:
    """Whole key blocks, so redaction removes the key body and not just its header.

    Linear: each header is looked for once from where the last block ended, and the
    footer search runs once per block (a text without any footer is searched once)."""
    found = []
    position = 0
    footer_missing_after = len(text) + 1
    counted, line = 0, 1  # lines counted incrementally: each character once
    while (start := text.find("-----BEGIN ", position)) != -1:
        header = _KEY_HEADER.match(text, start)
        if header is None:
            position = start + 11
            continue
        footer = None if header.end() >= footer_missing_after else _KEY_FOOTER.search(text, header.end())
        if footer is None:
            footer_missing_after = min(footer_missing_after, header.end())
            end = _body_end(text, header.end())
        else:
            end = footer.end()
        line += text.count("\n", counted, start)
        counted = start
        if ALLOWLIST_MARK not in text[max(0, start - 200) : start]:
            found.append(Finding(path, line, "Private Key block", text[start:end]))
        position = max(end, start + 11)
    return found


def _body_end(text: str, position: int) -> int:
    """Where a key without its footer ends: after the lines of base64 below its header."""
    while position < len(text) and text[position] in "\r\n":
        line_end = text.find("\n", position + 1)
        line_end = len(text) if line_end == -1 else line_end
        body = _KEY_BODY_LINE.fullmatch(text, position + 1, line_end)
        if body is None:
            break
        position = line_end
    return position


def _may_hold_labelled_or_cloud(text: str) -> bool:
    """One pass over the whole text first (NFKC, as the detectors see it): a text without
    a literal the detectors need holds nothing they find, and most texts hold none."""
    normalised = secret_detectors.normal_text(text)
    return secret_detectors.may_hold_candidate(normalised)


def scan_lines(path: Path, lines: list[str]) -> list[Finding]:
    """The detectors of :mod:`.secret_detectors`, on every one of *lines*."""
    return [Finding(path, hit.line, hit.kind, hit.value) for hit in secret_detectors.scan_lines(lines)]


def _multiline_yaml_values(path: Path, text: str) -> list[Finding]:
    """A folded (``>-``) or literal (``|``) YAML scalar spans lines; what reaches a page is
    its value joined. Each multi-line value is scanned as ``key: value`` again, and under a
    secret's name the whole joined value is the secret."""
    import yaml

    from .secret_words import is_secret_name

    try:
        document = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception:
        return []
    found: list[Finding] = []
    stack = [document] if document is not None else []
    # An alias is the same node again: each node once, so "billion laughs" and a
    # recursive alias cost what the text costs.
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and isinstance(key, yaml.ScalarNode):
                    found.extend(_scalar_findings(path, str(key.value), value, is_secret_name))
                else:
                    stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            found.extend(_option_values(path, node.value))
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    found.extend(_scalar_findings(path, "", item, is_secret_name))
                else:
                    stack.append(item)
    return found


def _option_values(path: Path, items: list[Any]) -> list[Finding]:
    """An argument list (``args:``, ``command:``): the item after an option named for a
    secret (``- --password`` then ``- S3cr3t``) is its value."""
    import yaml

    from .secret_assignments import is_option_password
    from .secret_words import is_reference_or_placeholder, is_secret_name

    found = []
    for option, value in itertools.pairwise(items):
        if not (isinstance(option, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
            continue
        name, text = str(option.value).strip(), str(value.value).strip()
        if not name.startswith("-") or "=" in name or text.startswith("-"):
            continue
        if (
            (is_secret_name(name) or is_option_password(name))
            and len(text) >= 4
            and not is_reference_or_placeholder(text)
        ):
            found.append(Finding(path, value.start_mark.line + 1, f"labelled secret ({name.lstrip('-')[:40]})", text))
    return found


def _scalar_findings(path: Path, key: str, node: Any, is_secret_name: Any) -> list[Finding]:
    value = str(node.value)
    if node.start_mark.line == node.end_mark.line or not value.strip():
        return []
    line = node.start_mark.line + 1
    if key and is_secret_name(unicodedata.normalize("NFKC", key)) and not value.strip().startswith("vault:"):
        pieces = [value.strip(), *(part.strip() for part in value.splitlines())]
        return [Finding(path, line, f"labelled secret ({key[:40]})", piece) for piece in pieces if len(piece) >= 4]
    joined = f"{key}: {value}" if key else value
    return [Finding(path, line, hit.kind, hit.value) for hit in secret_detectors.scan_text(joined.replace("\n", " "))]


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each value once per line (detect-secrets and a label detector may both find it)."""
    seen: set[tuple[Path, int, str]] = set()
    unique = []
    for finding in findings:
        key = (finding.path, finding.line, finding.value)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
