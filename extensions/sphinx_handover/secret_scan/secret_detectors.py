"""handover-kit's own secret detectors: secrets found by their class, not by example.

detect-secrets finds the formats it has a plugin for. Pasted credentials in a handover
come in forms it does not know, so these detectors look for the *shape* of a secret,
one class per module:

- :mod:`.secret_assignments`: an assignment whose name says "secret", in any syntax and
  file type (``export PGPASSWORD=``, ``"password": "…"``, ``--api-key=``, a YAML or code
  comment), and tokens and signatures in query strings;
- :mod:`.command_secrets`: credentials on a command line (``mysql -pS3cr3t``, ``curl -u
  user:pw``, ``sshpass -p``, ``scheme://user:pw@host``) and HTTP auth headers;
- :mod:`.secret_labels`: a value in a Markdown table cell beside, or in a column under,
  a secret label, and a value on the line under a label that stands alone;
- :mod:`.cloud_keys`: both halves of an AWS key pair, GitHub, Slack, Stripe and Google
  keys, Azure account keys, JWTs (whole private key blocks: :mod:`.secrets_scan`).

Every line is read as a reader sees it before matching (:mod:`.secret_lines`: NFKC,
invisible characters dropped, HTML character references decoded), so full-width
``ＰＷ：``, ``pass&#119;ord`` and ``pass<U+200B>word`` are found, and the *original*
characters are what is reported and redacted.
Each detector is linear in its input. A text is first searched, at C speed, for the
literals every detector needs (:data:`CANDIDATE_LITERALS`); only the lines holding one,
and the lines a label or a table heading on them points at, are looked at in Python.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from .cloud_keys import aws_secret_half, cloud_keys
from .command_secrets import command_line, headers
from .regex_factors import Factored, Folded, lines_holding
from .secret_assignments import assignments
from .secret_labels import table, value_under_label
from .secret_lines import ALLOWLIST_MARK, Hit, Lines, normal_text
from .secret_words import NAME_WORDS

__all__ = [
    "ALLOWLIST_MARK",
    "CANDIDATE",
    "CANDIDATE_LITERALS",
    "Hit",
    "may_hold_candidate",
    "normal_text",
    "scan_lines",
    "scan_text",
]

_CLOUD_LITERALS = (
    r"AKIA|ASIA|ABIA|ACCA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox|xapp-|npm_|hooks\.slack|sk_live|rk_live"
    r"|glpat-|gldt-|glrt-|glptt-|glcbt-|gloas-|glft-|glimt-|AIza|eyJ|AccountKey|://|-u|-p|redis-cli|ldap"
    r"|\$1\$|\$2a\$|\$2b\$|\$2x\$|\$2y\$|\$5\$|\$6\$|\$7\$|\$apr1\$|\$y\$|\$gy\$|\$argon2"
)
#: Whatever a detector needs: a text or line without a match holds no secret they find.
CANDIDATE = re.compile(rf"{NAME_WORDS.pattern}|{_CLOUD_LITERALS}|cookie")
#: The lower-case literals one of which every match of CANDIDATE holds (``apikey`` holds
#: ``key``, so ``key`` stands for it). Searched for with ``str.find`` in the text folded
#: to lower case: ``re`` tries the case-insensitive alternation itself at every
#: position, which cost about 1 CPU s of the 1k benchmark package's scan. None if the
#: pattern could not be read: then the pattern itself is searched.
CANDIDATE_LITERALS: frozenset[str] | None = next(iter(Factored.of(CANDIDATE).requirements), None)


def may_hold_candidate(normalised: str) -> bool:
    """Whether a text (NFKC) may hold anything the detectors find: most texts do not."""
    if CANDIDATE_LITERALS is None:
        return CANDIDATE.search(normalised) is not None
    folded = Folded(normalised).text
    return any(literal in folded for literal in CANDIDATE_LITERALS)


def scan_text(text: str) -> list[Hit]:
    """Every hit in *text*; only lines with a candidate (and the lines a label or a
    table heading on them points at) are looked at in Python."""
    normalised = normal_text(text)
    lines = text.split("\n")
    if normalised is not text and normalised.count("\n") != len(lines) - 1:
        normalised = text  # never seen: NFKC made or removed a line break
    return list(_scan(Lines(lines), _candidate_lines(normalised)))


def scan_lines(lines: list[str]) -> list[Hit]:
    """Every line looked at, for callers that split the text themselves."""
    return list(_scan(Lines(lines), range(len(lines))))


def _candidate_lines(normalised: str) -> list[int]:
    if CANDIDATE_LITERALS is not None:
        return lines_holding(CANDIDATE_LITERALS, Folded(normalised).text)
    starts = [0, *(match.end() for match in re.finditer("\n", normalised))]
    candidates: list[int] = []
    position = 0
    # One search per candidate line: the rest of a line that has one is not searched.
    while (match := CANDIDATE.search(normalised, position)) is not None:
        index = bisect.bisect_right(starts, match.start()) - 1
        candidates.append(index)
        if index + 1 == len(starts):
            break
        position = starts[index + 1]
    return candidates


def _scan(lines: Lines, indexes: Iterable[int]) -> Iterator[Hit]:
    table_rows_done = -1
    for index in indexes:
        line = lines[index]
        if ALLOWLIST_MARK in line.text:
            continue
        for start, end, kind in _on_line(line.norm):
            yield Hit(index + 1, kind, line.original(start, end))
        yield from aws_secret_half(lines, index, line)
        if line.norm.lstrip().startswith("|"):
            if index > table_rows_done:
                hits, table_rows_done = table(lines, index)
                yield from hits
        else:
            yield from value_under_label(lines, index, line)
        lines.forget(index - 3)


def _on_line(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each secret value on one normalised line."""
    yield from assignments(norm)
    yield from command_line(norm)
    yield from headers(norm)
    yield from cloud_keys(norm)
