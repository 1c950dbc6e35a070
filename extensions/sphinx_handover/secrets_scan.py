"""Finding secrets in a package, and keeping them out of everything the build writes.

detect-secrets (its library API) scans every source file and every text artifact;
the detectors here add what it misses in handover documents: labelled passwords in
English and Japanese (パスワード, 暗証番号, PW：), labelled tokens and keys, and
cloud keys it has no plugin for. A line marked ``pragma: allowlist secret`` (the
detect-secrets convention, e.g. ``<!-- pragma: allowlist secret -->`` in Markdown or
``# pragma: allowlist secret`` in YAML) is a reviewed false positive.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .regex_factors import Factored, any_match

ALLOWLIST_MARK = "pragma: allowlist secret"
REDACTED = "[REDACTED]"

_LABELLED = re.compile(
    r"(?i)(?P<label>(?<![\w-])(?:password|passwd|pwd|passphrase|secret|api[_ -]?key|access[_ -]?token|token)"
    r"|初期パスワード|パスワード|暗証番号|(?<![A-Za-z])PW)\s*[:=：]\s*(?P<value>[^\s,;、。|}\])'\"」）]+)"
)
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----.*?-----END [A-Z ]*PRIVATE KEY( BLOCK)?-----", re.S)
_CLOUD = [
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
    ("Azure storage key", re.compile(r"(?i)AccountKey=(?P<value>[A-Za-z0-9+/=]{40,})")),
    ("Slack token", re.compile(r"\bxox[abpr]-[0-9A-Za-z-]{10,}\b")),
]
_LABELLED_OR_CLOUD = [Factored.of(pattern) for pattern in (_LABELLED, *(pattern for _, pattern in _CLOUD))]
#: Values after a label that reference a secret instead of holding one.
_NOT_A_SECRET = re.compile(
    r"(?i)^(vault:|\$\{|\{\{|<|\[|【|（|\(|「|`|\*+$|x+$|-+$|none$|null$|なし$|無し$|未設定$|n/a$|tbd$|未定$|参照$)"
)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: str
    #: The secret itself: used to redact output, never shown.
    value: str


def read_texts(paths: Iterable[Path]) -> dict[Path, str | None]:
    """Each file's text, read once for every scan; None for binary or unreadable files."""
    return {path: _read_text(path) for path in paths}


def scan_files(texts: Mapping[Path, str | None]) -> list[Finding]:
    if not texts:  # all known clean: detect-secrets need not even be loaded
        return []
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    findings: list[Finding] = []
    with default_settings():
        prefilter = _Prefilter.of_enabled_plugins()
        for path, text in texts.items():
            if text is None:
                continue
            lines = text.splitlines()
            if prefilter.may_report(path, text):
                for secret in scan_file(str(path)):
                    if secret.secret_value and 0 < secret.line_number <= len(lines):
                        findings.append(Finding(path, secret.line_number, secret.type, secret.secret_value))
            if _may_hold_labelled_or_cloud(text):
                findings.extend(scan_lines(path, lines))
            findings.extend(_private_keys(path, text))
    return _unique(findings)


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
        if not self.known or path.suffix.lower() in (".yaml", ".yml"):
            return True
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
    """Every file of the package that is not build output, VCS data or hidden."""
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
        files.extend(
            path for name in names if not _ignored(name) and (path := Path(folder, name)).is_file()
        )
    return sorted(files)


def _ignored(name: str) -> bool:
    return name.startswith(".") or name in ("_build", "__pycache__")


def _private_keys(path: Path, text: str) -> list[Finding]:
    """Whole key blocks, so redaction removes the key body and not just its header."""
    return [
        Finding(path, text[: match.start()].count("\n") + 1, "Private Key block", match.group(0))
        for match in _PRIVATE_KEY.finditer(text)
        if ALLOWLIST_MARK not in text[max(0, match.start() - 200) : match.start()]
    ]


def _may_hold_labelled_or_cloud(text: str) -> bool:
    """One pass over the whole text first: a pattern that matches none of it matches none
    of its lines (they are separated by characters that are neither word characters nor
    hyphens, so no lookbehind or boundary reads differently), and most texts hold none."""
    return any_match(_LABELLED_OR_CLOUD, text)


def scan_lines(path: Path, lines: list[str]) -> list[Finding]:
    """The detectors of this module, line by line."""
    found = []
    for number, line in enumerate(lines, start=1):
        if ALLOWLIST_MARK in line:
            continue
        for match in _LABELLED.finditer(line):
            value = match.group("value")
            if len(value) >= 4 and not _NOT_A_SECRET.match(value):
                found.append(Finding(path, number, f"labelled secret ({match.group('label')})", value))
        for kind, pattern in _CLOUD:
            for match in pattern.finditer(line):
                found.append(Finding(path, number, kind, match.groupdict().get("value") or match.group(0)))
    return found


def redact(text: str, values: Iterable[str]) -> str:
    for value in sorted(set(values), key=len, reverse=True):
        if value:
            text = text.replace(value, REDACTED)
    return text


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # binary or unreadable: not a text artifact


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
