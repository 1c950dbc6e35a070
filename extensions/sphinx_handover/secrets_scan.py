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

import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from . import secret_detectors
from .redact_values import redact
from .regex_factors import Factored, any_match
from .secret_detectors import ALLOWLIST_MARK

__all__ = ["ALLOWLIST_MARK", "REDACTED", "FileKind", "Finding", "ScanResult", "redact", "scan_files", "scan_package_files"]

REDACTED = "[REDACTED]"
@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: str
    #: The secret itself: used to redact output, never shown.
    value: str


class FileKind(str, Enum):
    """What the scan could make of a file; only TEXT and BINARY may ever be published."""

    TEXT = "text"  #: UTF-8 text, scanned by detect-secrets and the detectors here
    BINARY = "binary"  #: a known binary signature or NUL bytes; its printable parts scanned
    UNDECODABLE = "undecodable"  #: text that is not UTF-8 (Shift_JIS, cp932 CSV): not scanned
    UNREADABLE = "unreadable"  #: not a regular file that could be read


@dataclass(frozen=True)
class Unscanned:
    """A file the scan could not read as text: never published, reported where it fails."""

    path: Path
    line: int
    kind: FileKind


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


def _key(path: Path) -> Path:
    return Path(os.path.realpath(path))


def read_texts(paths: Iterable[Path]) -> dict[Path, str | None]:
    """Each file's text, read once for every scan; None for binary or unreadable files."""
    return {path: _read_text(path) for path in paths}


def classify(paths: Iterable[Path], texts: Mapping[Path, str | None]) -> tuple[dict[Path, FileKind], list[Unscanned]]:
    """The kind of every file; files that are not UTF-8 text are sniffed by their bytes."""
    kinds: dict[Path, FileKind] = {}
    unscanned: list[Unscanned] = []
    for path in paths:
        if texts.get(path) is not None:
            kinds[_key(path)] = FileKind.TEXT
            continue
        kind, line = _sniff(path)
        kinds[_key(path)] = kind
        if kind is not FileKind.BINARY:
            unscanned.append(Unscanned(path, line, kind))
    return kinds, unscanned


#: First bytes of formats that are binary whatever else they hold.
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"BZh",
               b"7z\xbc\xaf", b"\xfd7zXZ", b"RIFF", b"\x00\x00\x01\x00", b"II*\x00", b"MM\x00*", b"\xd0\xcf\x11\xe0",
               b"SQLite format 3", b"\x7fELF", b"MZ", b"wOFF", b"wOF2", b"\x00asm", b"OggS", b"fLaC", b"ID3")  # fmt: skip
_TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16: text, with NUL bytes


def _sniff(path: Path) -> tuple[FileKind, int]:
    try:
        data = path.read_bytes()
    except OSError:
        return FileKind.UNREADABLE, 1
    head = data[:8192]
    if not head.startswith(_TEXT_BOMS) and (head.startswith(_SIGNATURES) or b"\x00" in head):
        return FileKind.BINARY, 1
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return FileKind.UNDECODABLE, data[: exc.start].count(b"\n") + 1
    return FileKind.UNREADABLE, 1  # decodes now but did not when read: changing under the build


def scan_package_files(paths: Iterable[Path], texts: Mapping[Path, str | None]) -> ScanResult:
    """Kinds of all *paths*; secrets in those of *texts* (the files not known clean)."""
    paths = list(paths)
    kinds, unscanned = classify(paths, {path: texts.get(path, "") for path in paths})
    findings = scan_files(texts)
    for path, text in texts.items():
        if text is None and kinds.get(_key(path)) is FileKind.BINARY:
            findings.extend(_binary_findings(path))
    return ScanResult(_unique(findings), kinds, unscanned)


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
        prefilter = _Prefilter.of_enabled_plugins()
        for path, text in texts.items():
            if text is None:
                continue
            if prefilter.may_report(path, text):
                findings.extend(_detect_secrets(path, text, prefilter))
            if _may_hold_labelled_or_cloud(text):
                findings.extend(Finding(path, hit.line, hit.kind, hit.value) for hit in secret_detectors.scan_text(text))
            findings.extend(_private_keys(path, text))
            if path.suffix.lower() in (".yaml", ".yml"):
                findings.extend(_multiline_yaml_values(path, text))
    return _unique(findings)


#: Lines longer than this are given to detect-secrets in overlapping pieces: some of its
#: patterns (JWT) and filters (``is_indirect_reference``) take time quadratic in the
#: length of a line (56 ms for one 512-character piece). The secrets it finds are short;
#: the detectors of this package see the whole line.
LONG_LINE = 400
_PIECE, _STEP = 200, 150


def _has_long_line(text: str) -> bool:
    """Whether a line is over :data:`LONG_LINE` characters, without splitting the text."""
    if len(text) <= LONG_LINE:
        return False
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        if end - position > LONG_LINE:
            return True
        position = end + 1
    return False


def _detect_secrets(path: Path, text: str, prefilter: _Prefilter) -> list[Finding]:
    from detect_secrets.core.scan import scan_file

    lines = text.splitlines()
    if not _has_long_line(text) and all(len(line) <= LONG_LINE for line in lines):
        return [
            Finding(path, secret.line_number, secret.type, secret.secret_value)
            for secret in scan_file(str(path))
            if secret.secret_value and 0 < secret.line_number <= len(lines)
        ]
    pieces, origin = [], []
    for number, line in enumerate(lines, start=1):
        if len(line) <= LONG_LINE:
            pieces.append(line)
            origin.append(number)
            continue
        for start in range(0, max(len(line) - _PIECE + _STEP, 1), _STEP):
            piece = line[start : start + _PIECE]
            if prefilter.may_report(path, piece):  # a short text: its patterns, not the long-line rule
                pieces.append(piece)
                origin.append(number)
    with tempfile.TemporaryDirectory(prefix="handover-scan-") as folder:
        copy = Path(folder, path.name)
        copy.write_text("\n".join(pieces), "utf-8")
        return [
            Finding(path, origin[secret.line_number - 1], secret.type, secret.secret_value)
            for secret in scan_file(str(copy))
            if secret.secret_value and 0 < secret.line_number <= len(origin)
        ]


class _Prefilter:
    """Whether detect-secrets could report anything in a file, decided in one pass.

    detect-secrets checks every line with every plugin, which costs about 20 ms per
    100 lines: most of a build at a few thousand needs. Each of its plugins can only
    report a string that its own patterns match: a regex plugin one of its ``denylist``
    patterns, the keyword plugin one of its keywords, an entropy plugin a run of its
    characters whose entropy is over its limit, which needs more than 2**limit distinct
    characters (entropy is at most log2 of that count). A file where none of that occurs
    is left out; any other file is scanned by detect-secrets as it is. An evidence
    record's ``:sha256:`` line is not looked at here: a published digest, unquoted and
    under no keyword, which detect-secrets does not report. YAML files are
    always scanned (its YAML reading can turn escapes into new characters), and so is
    everything when a plugin is of a kind this does not know. Each pattern is tried only
    on texts that hold the literals its matches need (:mod:`.regex_factors`), which
    took the prefilter from 2.9 to 1.7 CPU seconds at 5,000 needs.
    """

    def __init__(self, patterns: list[re.Pattern[str]], runs: list[tuple[re.Pattern[str], int]], known: bool) -> None:
        self.patterns = [Factored.of(pattern) for pattern in patterns]
        self.runs = runs
        self.known = known

    @classmethod
    def of_enabled_plugins(cls) -> _Prefilter:
        from detect_secrets.plugins import keyword
        from detect_secrets.settings import get_plugins

        patterns: list[re.Pattern[str]] = []
        runs: list[tuple[re.Pattern[str], int]] = []
        known = True
        for plugin in get_plugins():
            if isinstance(getattr(plugin, "denylist", None), (list, tuple)):
                patterns.extend(_compiled(pattern) for pattern in plugin.denylist)
            elif isinstance(getattr(plugin, "charset", None), str) and hasattr(plugin, "entropy_limit"):
                characters = re.compile(f"[{re.escape(plugin.charset)}]+")
                runs.append((characters, math.floor(2 ** float(plugin.entropy_limit)) + 1))
            elif type(plugin).__name__ == "KeywordDetector":
                patterns.append(re.compile("|".join(keyword.DENYLIST), re.IGNORECASE))
            else:
                known = False
        return cls(patterns, runs, known)

    def may_report(self, path: Path, text: str) -> bool:
        if not self.known or path.suffix.lower() in (".yaml", ".yml") or _has_long_line(text):
            return True  # a long line: detect-secrets' patterns run on its pieces only
        if any_match(self.patterns, text):
            return True
        text = _DIGEST_OPTION.sub("", text)
        return any(
            len(run) >= distinct and len(set(run)) >= distinct
            for characters, distinct in self.runs
            for run in characters.findall(text)
        )


_DIGEST_OPTION = re.compile(r"^:sha256:[ \t]*[0-9a-fA-F]{64}[ \t]*$", re.MULTILINE)


def _compiled(pattern: Any) -> re.Pattern[str]:
    return pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)


def package_files(root: Path, skip: Iterable[Path] = ()) -> list[Path]:
    """Every file of the package that is not build output or version-control data.

    Hidden files are included: a dotfile can be an artifact (``.env.example``) and is
    scanned like any other file."""
    skipped = {os.path.realpath(path) for path in skip}
    files = []
    for folder, subfolders, names in os.walk(root):
        # Pruned here rather than filtered after: an output folder inside the package
        # holds more files than the package itself.
        subfolders[:] = [
            name
            for name in subfolders
            if not _ignored(name) and os.path.realpath(os.path.join(folder, name)) not in skipped
        ]
        files.extend(path for name in names if not _ignored(name) and (path := Path(folder, name)).is_file())
    return sorted(files)


_NEVER_SCANNED = {".git", ".hg", ".svn", "_build", "__pycache__"}


def _ignored(name: str) -> bool:
    return name in _NEVER_SCANNED


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
    normalised = text if text.isascii() else unicodedata.normalize("NFKC", text)
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
    except Exception:  # noqa: BLE001 - not YAML this can read: the line scan stands
        return []
    found: list[Finding] = []
    stack = [document] if document is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(value, yaml.ScalarNode) and isinstance(key, yaml.ScalarNode):
                    found.extend(_scalar_findings(path, str(key.value), value, is_secret_name))
                else:
                    stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.ScalarNode):
                    found.extend(_scalar_findings(path, "", item, is_secret_name))
                else:
                    stack.append(item)
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


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # binary, not UTF-8 or unreadable: see classify


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
