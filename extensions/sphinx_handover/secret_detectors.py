"""handover-kit's own secret detectors: secrets found by their class, not by example.

detect-secrets finds the formats it has a plugin for. Pasted credentials in a handover
come in forms it does not know, so these detectors look for the *shape* of a secret:

- an assignment whose name says "secret", in any syntax and file type (``export
  PGPASSWORD=``, ``DB_PASSWORD=``, ``"password": "…"``, ``set PASSWORD=``,
  ``$env:API_KEY=``, ``ENV SECRET_KEY …``, ``--api-key=``, ``<!-- pw: … -->``, a YAML or
  code comment: lines are read as text, so comments are scanned like anything else);
- credentials on a command line (``mysql -pS3cr3t``, ``curl -u user:pw``, ``sshpass -p``,
  ``scheme://user:pw@host``), HTTP auth headers, tokens and signatures in query strings;
- a value in a Markdown table cell beside, or in a column under, a secret label, and a
  value on the line under a label that stands alone (``パスワード:`` / ``**Password**``);
- cloud keys: both halves of an AWS key pair, GitHub, Slack, Stripe and Google keys,
  Azure account keys, JWTs, and whole private key blocks.

Every line is normalised with NFKC before matching, so full-width ``ＰＷ：`` or
``ｐａｓｓｗｏｒｄ＝`` are found, and the *original* characters are what is reported and
redacted. Each detector is linear in its input: a line is visited by one search for
the literals a secret's name needs (:data:`.secret_words.NAME_WORDS`), and everything
else is matched anchored at a found position with bounded repetition, or in spans that
do not overlap (a name is expanded once, a table row belongs to one table).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .regex_factors import Factored, Folded, lines_holding
from .secret_words import (
    NAME_WORDS,
    is_reference_or_placeholder,
    is_secret_label,
    is_secret_name,
    looks_random,
    names_a_password,
)

ALLOWLIST_MARK = "pragma: allowlist secret"
#: Shorter values are never reported alone (``pw: no``); where the syntax is certain
#: (``user:pw@host``), the whole phrase is the value, so redaction still removes it.
MIN_VALUE = 4


@dataclass(frozen=True)
class Hit:
    line: int
    kind: str
    #: The secret as written in the file (not normalised).
    value: str


_CLOUD_LITERALS = r"AKIA|ASIA|ABIA|ACCA|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|xox|sk_live|rk_live|AIza|eyJ|AccountKey|://|-u|-p"
#: Whatever a detector below needs: a text or line without a match holds no secret they find.
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
    normalised = text if text.isascii() else unicodedata.normalize("NFKC", text)
    lines = text.split("\n")
    if normalised is not text and normalised.count("\n") != len(lines) - 1:
        normalised = text  # never seen: NFKC made or removed a line break
    return list(_LineScanner(lines).scan(_candidate_lines(normalised)))


def _candidate_lines(normalised: str) -> list[int]:
    if CANDIDATE_LITERALS is not None:
        return lines_holding(CANDIDATE_LITERALS, Folded(normalised).text)
    starts = _line_starts(normalised)
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


def scan_lines(lines: list[str]) -> list[Hit]:
    """Every line looked at, for callers that split the text themselves."""
    return list(_LineScanner(lines).scan(range(len(lines))))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


class _Line:
    """One line and its NFKC form, with the map from the form's offsets to the line's."""

    def __init__(self, text: str) -> None:
        self.text = text.rstrip("\r")
        # Most Japanese lines are NFKC already (only full-width ASCII and half-width kana
        # change): checked in C, they need no map built character by character.
        if self.text.isascii() or unicodedata.is_normalized("NFKC", self.text):
            self.norm, self._map = self.text, None
        else:
            pieces, offsets = [], []
            for index, char in enumerate(self.text):
                normal = unicodedata.normalize("NFKC", char) if not char.isascii() else char
                pieces.append(normal)
                offsets.extend([index] * len(normal))
            offsets.append(len(self.text))
            self.norm, self._map = "".join(pieces), offsets

    def original(self, start: int, end: int) -> str:
        if self._map is None:
            return self.text[start:end]
        return self.text[self._map[start] : self._map[end - 1] + 1 if end > start else self._map[start]]


class _LineScanner:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._cache: dict[int, _Line] = {}

    def line(self, index: int) -> _Line:
        if index not in self._cache:
            self._cache[index] = _Line(self.lines[index])
        return self._cache[index]

    def scan(self, indexes: Iterator[int] | range | list[int]) -> Iterator[Hit]:
        table_rows_done = -1
        for index in indexes:
            line = self.line(index)
            if ALLOWLIST_MARK in line.text:
                continue
            for start, end, kind in _on_line(line.norm):
                yield Hit(index + 1, kind, line.original(start, end))
            yield from self._aws_secret_half(index, line)
            if line.norm.lstrip().startswith("|"):
                if index > table_rows_done:
                    hits, table_rows_done = self._table(index)
                    yield from hits
            else:
                yield from self._value_under_label(index, line)
            self._cache.pop(index - 3, None)

    # -- AWS: the secret half is 40 characters on the key id's line or the next two.
    def _aws_secret_half(self, index: int, line: _Line) -> Iterator[Hit]:
        if not _AWS_KEY_ID.search(line.norm):
            return
        for other in range(index, min(index + 3, len(self.lines))):
            candidate = self.line(other)
            if ALLOWLIST_MARK in candidate.text:
                continue
            for match in _AWS_SECRET.finditer(candidate.norm):
                value = match.group(0)
                if any(c.isupper() for c in value) and any(c.islower() for c in value) and any(c.isdigit() for c in value):
                    yield Hit(other + 1, "AWS secret access key", candidate.original(*match.span()))

    # -- Markdown tables: a value beside a label cell, or under a label column heading.
    def _table(self, index: int) -> tuple[list[Hit], int]:
        line = self.line(index)
        cells = _cells(line.norm)
        labels = [number for number, (start, end) in enumerate(cells) if is_secret_label(_label_text(line.norm[start:end]))]
        if not labels:
            return [], index
        hits: list[Hit] = []
        last = index
        if index + 1 < len(self.lines) and _DELIMITER_ROW.fullmatch(self.lines[index + 1].strip()):
            row = index + 2
            while row < len(self.lines) and self.lines[row].lstrip().startswith("|"):
                hits.extend(self._cell_hits(row, labels, offset=0))
                last = row
                row += 1
            return hits, last
        hits.extend(self._cell_hits(index, labels, offset=1))
        return hits, index

    def _cell_hits(self, index: int, columns: list[int], offset: int) -> Iterator[Hit]:
        line = self.line(index)
        if ALLOWLIST_MARK in line.text:
            return
        cells = _cells(line.norm)
        for column in columns:
            if column + offset < len(cells):
                start, end = cells[column + offset]
                value = _strip_markup(line.norm[start:end])
                if _unlabelled_value_is_secret(value):
                    begin = start + line.norm[start:end].find(value)
                    yield Hit(index + 1, "value in a secret's table column", line.original(begin, begin + len(value)))

    # -- A label alone on its line (``パスワード:``, ``**Password**``, a definition term).
    def _value_under_label(self, index: int, line: _Line) -> Iterator[Hit]:
        label = _label_text(_LIST_MARKER.sub("", line.norm.strip(), count=1))
        if not label or not _LABEL_ALONE.fullmatch(label) or not _names_a_secret_last(label):
            return
        for following in range(index + 1, min(index + 4, len(self.lines))):
            below = self.line(following)
            stripped = below.norm.strip()
            if not stripped or stripped.startswith("```"):
                continue
            if ALLOWLIST_MARK in below.text:
                return
            value = _strip_markup(_DEFINITION.sub("", stripped, count=1))
            if " " not in value and _unlabelled_value_is_secret(value):
                begin = below.norm.find(value)
                yield Hit(following + 1, f"value under a secret's label ({label})", below.original(begin, begin + len(value)))
            return


def _on_line(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each secret value on one normalised line."""
    yield from _assignments(norm)
    yield from _command_line(norm)
    yield from _headers(norm)
    yield from _cloud_keys(norm)


# -- Assignments: a name that says "secret", a separator, a value. -------------------

_NAME_CHAR = re.compile(r"[\w.$-]")
_NAME_END = re.compile(r"[\w.$-]*")
#: After a name: a closing quote or bracket (JSON, a dict), Markdown emphasis, then the separator.
_SEPARATOR = re.compile(r"""["'`\]]?[*_]{0,2}[ \t]{0,16}(?P<sep>:=|=>|==|[=:])(?!//)[ \t]{0,16}""")
_BLANKS = re.compile(r"[ \t]{1,16}")
_UNQUOTED = re.compile(r"[^\s\"'`,;|<>(){}\[\]、。]+")
_UNQUOTED_IN_QUERY = re.compile(r"[^\s\"'`,;|<>(){}\[\]&#]+")
_PROSE_FOLLOWS = re.compile(r"[ \t]+[A-Za-z\u3000-\u9fff]")


def _assignments(norm: str) -> Iterator[tuple[int, int, str]]:
    done = 0
    dockerfile_env = norm.lstrip(" \t")[:4].upper() == "ENV "  # once per line, not per name
    for word in NAME_WORDS.finditer(norm):
        if word.start() < done:
            continue  # inside a name already looked at: each character is visited once
        start = word.start()
        while start > done and _NAME_CHAR.match(norm, start - 1):
            start -= 1
        end = _NAME_END.match(norm, word.end()).end()
        done = end
        name = norm[start:end].strip(".")
        in_query = start > 0 and norm[start - 1] in "?&"
        if not is_secret_name(name, in_query=in_query) and not (in_query and _is_query_key(name, norm, end)):
            continue
        found = _value_after(norm, end, name, in_query, dockerfile_env)
        if found is not None:
            value_start, value_end, quoted = found
            value = norm[value_start:value_end]
            if _value_is_secret(value, quoted, name) and not (quoted is False and _prose(norm, value_end, value)):
                done = max(done, value_end)
                yield value_start, value_end, f"labelled secret ({name.lstrip('-$')[:40]})"


def _value_after(norm: str, end: int, name: str, in_query: bool, dockerfile_env: bool) -> tuple[int, int, bool] | None:
    separator = _SEPARATOR.match(norm, end)
    if separator is None:
        # ``--token abc``, ``ENV SECRET_KEY abc``: a blank separates name and value.
        if not (name.startswith("-") or dockerfile_env):
            return None
        separator = _BLANKS.match(norm, end)
        if separator is None:
            return None
    position = separator.end()
    if position < len(norm) and norm[position] in "\"'`":
        quote = norm[position]
        closing = norm.find(quote, position + 1)
        while closing != -1 and norm[closing - 1] == "\\":  # an escaped quote (JSON, shell)
            closing = norm.find(quote, closing + 1)
        if closing == -1:
            return None
        return position + 1, closing, True
    value = (_UNQUOTED_IN_QUERY if in_query else _UNQUOTED).match(norm, position)
    if value is None:
        return None
    return value.start(), value.end(), False


def _is_query_key(name: str, norm: str, end: int) -> bool:
    """``key=`` in a query string counts when its value is long and random."""
    if name.lower() != "key" or not norm.startswith("=", end):
        return False
    value = _UNQUOTED_IN_QUERY.match(norm, end + 1)
    return value is not None and len(value.group(0)) >= 16 and looks_random(value.group(0))


def _value_is_secret(value: str, quoted: bool, name: str) -> bool:
    value = value.strip()
    if len(value) < MIN_VALUE or is_reference_or_placeholder(value):
        return False
    if not any(char.isascii() and char.isalnum() for char in value):
        return "合言葉" in name or "passphrase" in name.lower()  # Japanese words as a passphrase
    if value.isdigit() and len(value) < 6:
        return "暗証番号" in name  # a PIN; other short numbers are counts and lengths
    if value.isascii() and value.isalpha() and not quoted:
        return names_a_password(name) or looks_random(value)  # auth: basic, token: header
    return True


def _prose(norm: str, value_end: int, value: str) -> bool:
    """``Password: stored in the vault``: a plain word followed by more words is a sentence."""
    return value.isalpha() and value[1:].islower() and _PROSE_FOLLOWS.match(norm, value_end) is not None


# -- Command lines, headers, cloud keys. ------------------------------------------------

_MYSQL_P = re.compile(r"(?<!\S)-p(?P<q>['\"]?)(?P<value>[^\s'\"]{4,256})")
_SPACED_P = re.compile(r"(?<!\S)-p[ \t]{1,8}(?P<q>['\"]?)(?P<value>[^\s'\"]{4,256})")
_USER_COLON = re.compile(r"(?<!\S)(?:-u|--user|--proxy-user|-U)(?:[ \t]{1,8}|=)['\"]?[^\s:'\"%]{1,128}[:%](?P<value>[^\s'\"]{1,256})")
_USERINFO = re.compile(r"[^\s:/@?#\"'<>]{0,128}:(?P<value>[^\s@/?#\"'<>]{1,256})@")


def _command_line(norm: str) -> Iterator[tuple[int, int, str]]:
    lowered = norm.lower()
    if "mysql" in lowered or "mariadb" in lowered:
        for match in _MYSQL_P.finditer(norm):
            if not is_reference_or_placeholder(match.group("value")):
                yield *match.span("value"), "password on a command line (-p)"
    if "sshpass" in lowered:
        for match in _SPACED_P.finditer(norm):
            if not is_reference_or_placeholder(match.group("value")):
                yield *match.span("value"), "password on a command line (sshpass -p)"
    if "-u" in norm or "--user" in norm or "-U" in norm:
        for match in _USER_COLON.finditer(norm):
            yield from _short_safe(norm, match, "value", "user:password on a command line")
    position = norm.find("://")
    while position != -1:
        match = _USERINFO.match(norm, position + 3)
        if match:
            yield from _short_safe(norm, match, "value", "password in a URL")
        position = norm.find("://", position + 3)


def _short_safe(norm: str, match: re.Match[str], group: str, kind: str) -> Iterator[tuple[int, int, str]]:
    """A value whose place is certain; a short one is widened to ``:pw@`` so that
    redaction (which never replaces fewer than four characters) still removes it."""
    value = match.group(group)
    if is_reference_or_placeholder(value):
        return
    start, end = match.span(group)
    if len(value) < MIN_VALUE:
        start, end = start - 1, min(end + 1, len(norm))
    yield start, end, kind


_AUTHORIZATION = re.compile(
    r"(?i)(?<![\w-])(?:proxy-)?authori[sz]ation[\"']?[ \t]{0,8}[:=][ \t]{0,8}[\"']?"
    r"(?:(?:basic|bearer|token|digest|negotiate|ntlm|apikey|sharedkey|sso-key|key|aws4-hmac-sha256)[ \t]{1,8})?"
    r"(?P<value>[^\s\"',;]{4,8192})"
)
_COOKIE = re.compile(r"(?i)(?<![\w-])(?:set-)?cookie[\"']?[ \t]{0,8}:[ \t]{0,8}")
_COOKIE_PAIR = re.compile(r"[ \t]{0,8}(?P<name>[^=;\s]{1,128})=(?P<value>[^;\s\"']{1,4096})[ \t]{0,8};?")
_COOKIE_ATTRIBUTES = {"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority", "version"}


def _headers(norm: str) -> Iterator[tuple[int, int, str]]:
    for match in _AUTHORIZATION.finditer(norm):
        if not is_reference_or_placeholder(match.group("value")):
            yield *match.span("value"), "HTTP Authorization header"
    if "ookie" not in norm and "OOKIE" not in norm:
        return
    for header in _COOKIE.finditer(norm):
        position = header.end()
        while (pair := _COOKIE_PAIR.match(norm, position)) is not None and pair.end() > position:
            position = pair.end()
            value = pair.group("value")
            named = pair.group("name").lower() not in _COOKIE_ATTRIBUTES
            if named and len(value) >= MIN_VALUE and not is_reference_or_placeholder(value):
                yield *pair.span("value"), "cookie value"


_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_KEYS = [
    ("AWS access key ID", _AWS_KEY_ID),
    ("GitHub token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,240})(?![A-Za-z0-9_])")),
    ("Slack token", re.compile(r"(?<![A-Za-z0-9])xox[abposr]-[0-9A-Za-z-]{10,250}")),
    ("Stripe key", re.compile(r"(?<![A-Za-z0-9])[rs]k_live_[0-9A-Za-z]{16,250}")),
    ("Google API key", re.compile(r"(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
    ("Azure storage key", re.compile(r"(?i)(?<![A-Za-z])(?:AccountKey|SharedAccessKey)=(?P<value>[A-Za-z0-9+/=]{20,1000})")),
]
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,4000}+\.[A-Za-z0-9_-]{5,8000}+\.[A-Za-z0-9_-]{0,8000}+")
_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_.-]")


def _cloud_keys(norm: str) -> Iterator[tuple[int, int, str]]:
    for kind, pattern in _KEYS:
        for match in pattern.finditer(norm):
            group = "value" if "value" in pattern.groupindex else 0
            yield *match.span(group), kind
    position = norm.find("eyJ")
    while position != -1:
        # Matched only where a token starts: each character is in one token, so one pass.
        if position == 0 or not _TOKEN_CHAR.match(norm, position - 1):
            match = _JWT.match(norm, position)
            if match:
                yield *match.span(), "JSON Web Token"
        position = norm.find("eyJ", position + 3)


# -- Helpers for labels and cells. -------------------------------------------------------

_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?")
_LIST_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,3}[.)])[ \t]+")
_LABEL_ALONE = re.compile(r"[\w ()-]{1,40}")
_DEFINITION = re.compile(r":[ \t]+")


def _names_a_secret_last(label: str) -> bool:
    """A short label that ends with a secret's name (``DB password``, ``API key``), not a
    sentence that merely holds one."""
    words = label.split()
    if any(char.isdigit() for char in label):
        return False  # a value on the line: ``ENV SECRET_KEY dj4ngo``
    return 0 < len(words) <= 4 and is_secret_label(" ".join(words[-2:])) and is_secret_label(label)


def _cells(norm: str) -> list[tuple[int, int]]:
    """The (start, end) of each cell of a Markdown table row, without the outer pipes."""
    start = norm.find("|") + 1
    spans = []
    while True:
        end = norm.find("|", start)
        if end == -1:
            if norm[start:].strip():
                spans.append((start, len(norm)))
            return spans
        spans.append((start, end))
        start = end + 1


def _label_text(text: str) -> str:
    return text.strip().strip("*_`").strip().rstrip(":").strip().strip("*_`").strip()


def _strip_markup(text: str) -> str:
    return text.strip().strip("*_`").strip()


def _unlabelled_value_is_secret(value: str) -> bool:
    """Where no ``=`` or ``:`` says a value follows: one token that could be a secret."""
    return (
        len(value) >= MIN_VALUE
        and not any(char.isspace() for char in value)
        and not is_reference_or_placeholder(value)
        and looks_random(value)
    )
