"""Credentials whose place the syntax gives: command lines, URLs and HTTP headers.

``mysql -pS3cr3t``, ``sshpass -p``, ``redis-cli -a``, ``ldapsearch -w``, ``docker login -u … -p …``, ``curl -u user:pw``, ``scheme://user:pw@host``,
``Authorization: Bearer …`` and the values of a ``Cookie`` header. Each pattern is
anchored at a literal found on the line, with bounded repetition: linear in the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .secret_words import MIN_VALUE, is_reference_or_placeholder, looks_generated

_MYSQL_P = re.compile(r"(?<!\S)-p(?P<q>['\"]?)(?P<value>[^\s'\"]{4,256})")
_SPACED_P = re.compile(r"(?<!\S)-p[ \t]{1,8}(?P<q>['\"]?)(?P<value>[^\s'\"]{4,256})")
_USER_COLON = re.compile(
    r"(?<!\S)(?:-u|--user|--proxy-user|-U)(?:[ \t]{1,8}|=)['\"]?[^\s:'\"%]{1,128}[:%](?P<value>[^\s'\"]{1,256})"
)
#: Tools whose password flag is no -p: ``redis-cli -a``, ``ldapsearch -w``, ``smbclient -U user%pw``
#: is -U above.
_TOOL_PASSWORD_FLAGS = (
    ("redis-cli", re.compile(r"(?<!\S)(?P<flag>-a|--pass)[ \t]{1,8}(?P<q>['\"]?)(?P<value>[^\s'\"]{4,256})")),
    ("ldap", re.compile(r"(?<!\S)(?P<flag>-w)[ \t]{1,8}(?P<q>['\"]?)(?P<value>[^\s'\"]{4,256})")),
)
_USERINFO = re.compile(r"[^\s:/@?#\"'<>]{0,128}:(?P<value>[^\s@/?#\"'<>]{1,256})@")


def command_line(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each password on a command line or in a URL of one normalised line."""
    lowered = norm.lower()
    if "mysql" in lowered or "mariadb" in lowered:
        for match in _MYSQL_P.finditer(norm):
            if not is_reference_or_placeholder(match.group("value")):
                yield *match.span("value"), "password on a command line (-p)"
    if "sshpass" in lowered:
        for match in _SPACED_P.finditer(norm):
            if not is_reference_or_placeholder(match.group("value")):
                yield *match.span("value"), "password on a command line (sshpass -p)"
    for tool, flag in _TOOL_PASSWORD_FLAGS:
        if tool in lowered:
            for match in flag.finditer(norm):  # a word after the flag may be prose: "-w option"
                if looks_generated(match.group("value")) and not is_reference_or_placeholder(match.group("value")):
                    yield *match.span("value"), f"password on a command line ({tool} {match.group('flag')})"
    if "login" in lowered or "--user" in lowered or "-u" in lowered:
        # ``docker login -u ops -p …``, ``oc login -u … -p …``: a -p that is no port (letters in it)
        for match in _SPACED_P.finditer(norm):
            if looks_generated(match.group("value")) and not ("mysql" in lowered or "sshpass" in lowered):
                yield *match.span("value"), "password on a command line (-p)"
    if "-u" in norm or "--user" in norm or "-U" in norm:
        for match in _USER_COLON.finditer(norm):
            yield from _short_safe(norm, match, "value", "user:password on a command line")
    position = norm.find("://")
    while position != -1:
        userinfo = _USERINFO.match(norm, position + 3)
        if userinfo:
            yield from _short_safe(norm, userinfo, "value", "password in a URL")
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


def headers(norm: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each credential in an HTTP Authorization or Cookie header."""
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
