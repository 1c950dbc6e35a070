"""Cloud and service keys by their format: both halves of an AWS key pair, GitHub, GitLab,
npm, Slack (tokens and webhook URLs), Stripe and Google keys, Azure account keys, JSON Web
Tokens, and password hashes in crypt(3) formats (``$6$…``, ``$2y$…``, ``$apr1$…``).

Every pattern but the AWS secret half starts with a literal prefix and repeats a
bounded number of times; a JWT is matched only where a token starts, so each character
is in one token: linear in the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .secret_lines import ALLOWLIST_MARK, Hit, Line, Lines

_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_KEYS = [
    ("AWS access key ID", _AWS_KEY_ID),
    (
        "GitHub token",
        re.compile(
            r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,240})(?![A-Za-z0-9_])"
        ),
    ),
    ("Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[0-9A-Za-z-]{10,250}")),
    ("Stripe key", re.compile(r"(?<![A-Za-z0-9])[rs]k_live_[0-9A-Za-z]{16,250}")),
    ("GitLab token", re.compile(r"(?<![A-Za-z0-9])gl(?:pat|dt|rt|ptt|cbt|oas|ft|imt)-[0-9A-Za-z_-]{20,250}")),
    ("npm token", re.compile(r"(?<![A-Za-z0-9])npm_[0-9A-Za-z]{36,250}")),
    ("Slack app token", re.compile(r"(?<![A-Za-z0-9])xapp-[0-9A-Za-z-]{10,250}")),
    (
        "Slack webhook",
        re.compile(r"hooks\.slack\.com/(?:services|workflows|triggers)/(?P<value>[A-Za-z0-9_/-]{20,250})"),
    ),
    (
        # crypt(3) formats, as in /etc/shadow and .htpasswd: a hash can be cracked offline.
        "password hash",
        re.compile(
            r"\$(?:1|2[abxy]|5|6|7|apr1|y|gy|argon2(?:id|i|d))\$(?:[^\s$:]{1,100}\$){0,3}"
            r"(?P<value>[A-Za-z0-9./+=]{16,512})(?![A-Za-z0-9./+=])"
        ),
    ),
    ("Google API key", re.compile(r"(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
    (
        "Azure storage key",
        re.compile(r"(?i)(?<![A-Za-z])(?:AccountKey|SharedAccessKey)=(?P<value>[A-Za-z0-9+/=]{20,1000})"),
    ),
]
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,4000}+\.[A-Za-z0-9_-]{5,8000}+\.[A-Za-z0-9_-]{0,8000}+")
_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_.-]")


def cloud_keys(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each key of a known format on one normalised line."""
    for kind, pattern in _KEYS:
        for match in pattern.finditer(norm):
            group = "value" if "value" in pattern.groupindex else 0
            yield *match.span(group), kind
    position = norm.find("eyJ")
    while position != -1:
        # Matched only where a token starts: each character is in one token, so one pass.
        if position == 0 or not _TOKEN_CHAR.match(norm, position - 1):
            token = _JWT.match(norm, position)
            if token:
                yield *token.span(), "JSON Web Token"
        position = norm.find("eyJ", position + 3)


def aws_secret_half(lines: Lines, index: int, line: Line) -> Iterator[Hit]:
    """The secret half of an AWS key pair: 40 characters on the key id's line or the next two."""
    if not _AWS_KEY_ID.search(line.norm):
        return
    for other in range(index, min(index + 3, len(lines))):
        candidate = lines[other]
        if ALLOWLIST_MARK in candidate.text:
            continue
        for match in _AWS_SECRET.finditer(candidate.norm):
            value = match.group(0)
            if any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value):
                yield Hit(other + 1, "AWS secret access key", candidate.original(*match.span()))
