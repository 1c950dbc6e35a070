"""detect-secrets, run through its library API on a package's texts, kept linear and cheap.

:class:`Prefilter` decides in one pass whether detect-secrets could report anything in a
text at all; :func:`detect_secrets_hits` runs it, giving long lines to it in overlapping
pieces. The scan that combines it with the detectors of this package is :mod:`.secrets_scan`.
"""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .regex_factors import Factored, any_match

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


def detect_secrets_hits(path: Path, text: str, prefilter: Prefilter) -> list[tuple[int, str, str]]:
    """detect-secrets' findings in *text* (the file at *path*), as (line, type, value)."""
    lines = text.splitlines()
    if not _has_long_line(text) and all(len(line) <= LONG_LINE for line in lines):
        return [
            (secret.line_number, secret.type, secret.secret_value)
            for secret in _scan_file(path)
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
            (origin[secret.line_number - 1], secret.type, secret.secret_value)
            for secret in _scan_file(copy)
            if secret.secret_value and 0 < secret.line_number <= len(origin)
        ]


def _scan_file(path: Path) -> list[Any]:
    """detect-secrets' secrets in the file at *path*. Its YAML transformer constructs the
    whole document: it expands aliases (nine lines of ``&a``/``*a`` stand for hundreds of
    millions of values, a hang) and raises a bare ValueError for a plain scalar that
    looks like an invalid timestamp (``at: 2026-13-45T17:00:00``). Such a file is scanned
    as plain lines, under a name no transformer takes."""
    from detect_secrets.core.scan import scan_file

    if not _has_alias(path):
        try:
            return list(scan_file(str(path)))
        except (ValueError, TypeError, RecursionError, yaml.YAMLError):
            pass
    with tempfile.TemporaryDirectory(prefix="handover-scan-") as folder:
        copy = Path(folder, f"{path.name}.txt")
        copy.write_bytes(path.read_bytes())
        return list(scan_file(str(copy)))


def _has_alias(path: Path) -> bool:
    """Whether *path* is YAML with an alias (``*name``), found by the scanner, which reads
    each character once and expands nothing."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        tokens = yaml.scan(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return any(isinstance(token, yaml.AliasToken) for token in tokens)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return False


class Prefilter:
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
    def of_enabled_plugins(cls) -> Prefilter:
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
