"""What counts as a secret's name, and what counts as a value that is no secret.

The detectors of :mod:`.secret_detectors` find a secret by its *class*: a value beside
a name that says "this is a password" (``DB_PASSWORD=``, ``client_secret:``,
``--api-key``, ``パスワード：``, a table column headed ``Password``). This module holds
the two judgements every class shares: whether a name is such a name, and whether the
value written beside it is a reference or placeholder rather than the secret itself.
Both work on text normalised with NFKC, so full-width ``ｐａｓｓｗｏｒｄ``, ``ＰＷ`` and
``：`` are the ASCII ones.
"""

from __future__ import annotations

import itertools
import re

#: Shorter values are never reported alone (``pw: no``); where the syntax is certain
#: (``user:pw@host``), the whole phrase is the value, so redaction still removes it.
MIN_VALUE = 4

#: Every literal a secret's name is found by, in one alternation of literals (each tried
#: at a position in constant time: the search is linear). ``key`` and ``sig`` count only
#: in a query string; ``pass``, ``pw`` and ``auth`` only as a whole part of a name.
NAME_WORDS = re.compile(
    r"(?i)pass|pwd|pw|secret|token|api[-_ ]?key|access[-_ ]?key|private[-_ ]?key|credential|auth|psk"
    r"|(?:totp|otp|mfa|2fa)[-_ ]?seed"
    r"|sig|key|パスワード|暗証番号|合言葉|シークレット|トークン|アクセスキー|秘密鍵|認証情報"
)

#: A name holding one of these anywhere is a secret's name.
_ANYWHERE = ("password", "passwd", "passphrase", "passcode", "apikey", "accesskey", "privatekey", "secretkey",
             "credential", "clientsecret", "authtoken", "accesstoken", "パスワード", "暗証番号", "合言葉",
             "シークレット", "トークン", "アクセスキー", "秘密鍵", "認証情報")  # fmt: skip
#: ... and these only as a whole part (``FOO_PASS`` but not ``bypass``, ``auth`` but not ``author``).
_WHOLE_PARTS = {"pass", "pwd", "pw", "secret", "secrets", "token", "auth", "psk"}
#: Two parts that together name a secret: ``API key``, ``access_key``, ``private-key``.
_PAIRS = {("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key"), ("client", "secret"),
          ("account", "key"), ("signing", "key"), ("client", "key"), ("master", "key"), ("shared", "key"), ("session", "token"),
          ("totp", "seed"), ("otp", "seed"), ("mfa", "seed"), ("fa", "seed")}  # fmt: skip
#: A last part that makes the name describe a secret rather than hold one (``password_policy``).
_ABOUT_A_SECRET = {
    "policy", "policies", "expiry", "expires", "expiration", "ttl", "timeout", "length", "len", "count", "file",
    "files", "path", "dir", "url", "uri", "endpoint", "header", "name", "type", "kind", "rotation", "days", "age",
    "min", "max", "required", "enabled", "hint", "reset", "changed", "updated", "date", "format", "mode",
    "validity", "method", "methods", "provider", "manager", "store", "vault", "location", "ref", "reference",
    "env", "var", "field", "prompt", "stdin", "fd", "authentication", "less", "protected", "command", "cmd", "owner", "version",
}  # fmt: skip
#: Words in a label or column heading that make it about a secret, not the secret itself
#: (``認証情報の参照先``: where the credential is kept).
_ABOUT_WORDS = ("参照", "保管", "場所", "所在", "方法", "手順", "有効期限", "期限", "更新", "種別", "担当", "管理方法",
                "location", "where", "reference", "stored", "vault", "policy", "rotation", "expiry", "owner",
                "method", "type", "kind", "manager")  # fmt: skip

#: Names whose value is a password, for which a plain word is still a secret (``pass: hunter``).
_PASSWORD_WORDS = ("password", "passwd", "pwd", "pass", "passphrase", "pw", "パスワード", "暗証番号", "合言葉")

_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\x00-\x7f]+")


def name_parts(name: str) -> list[str]:
    """``DB_PASSWORD`` -> db, password; ``passWord`` -> pass, word; ``x-api-key`` -> x, api, key."""
    return [part.lower() for part in _PARTS.findall(name)]


def is_secret_name(name: str, *, in_query: bool = False) -> bool:
    """Whether a name (NFKC-normalised) says that its value is a secret."""
    parts = name_parts(name)
    if not parts or parts[-1] in _ABOUT_A_SECRET:
        return False
    joined = "".join(parts)
    if any(word in joined for word in _ANYWHERE) and "secretar" not in joined and "tokeni" not in joined:
        return True
    if any(part in _WHOLE_PARTS for part in parts) or any(pair in _PAIRS for pair in itertools.pairwise(parts)):
        return True
    # In a query string: Azure SAS ``sig``, S3 and GCS ``X-Amz-Signature``/``X-Goog-Signature``.
    return in_query and bool({"sig", "signature", "credential"} & set(parts))


def names_a_password(name: str) -> bool:
    parts = name_parts(name)
    return any(part in _PASSWORD_WORDS or "password" in part or "パスワード" in part for part in parts)


def is_secret_label(text: str) -> bool:
    """A table heading or a line of its own that names a secret (``パスワード``, ``DB password``),
    and not one about where or how a secret is kept."""
    if len(text) > 40 or not text:
        return False
    lowered = text.lower()
    if any(word in lowered for word in _ABOUT_WORDS):
        return False
    return is_secret_name(text)


_PLACEHOLDER_START = ("vault:", "vault://", "${", "$(", "{{", "{%", "<", "[", "【", "(", "「", "%", "$env:", "env:",
                      "os.environ", "process.env", "getenv", "secrets.", "ref+", "op://", "arn:aws:secretsmanager",
                      "/", "~/", "./", "../")  # fmt: skip
_PLACEHOLDER_WORDS = {"none", "null", "nil", "true", "false", "yes", "no", "n/a", "na", "tbd", "todo", "required",
                      "optional", "changeme", "redacted", "[redacted]", "masked", "hidden", "secret", "password",
                      "なし", "無し", "未設定", "未定", "参照", "不要", "別途", "同上", "要確認", "非公開", "伏字"}  # fmt: skip
_PLACEHOLDER_INSIDE = ("要記入", "FILL IN", "CONFIRM", "REDACTED", "your_", "your-", "YOUR_", "xxxx")
_SAME_CHARACTER = re.compile(r"(.)\1*")
_ENV_REFERENCE = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%")


def is_reference_or_placeholder(value: str) -> bool:
    """A value that names where a secret is, or marks that one must be filled in."""
    lowered = value.lower()
    return (
        lowered.startswith(_PLACEHOLDER_START)
        or lowered.strip("`*_'\".,:;") in _PLACEHOLDER_WORDS
        or any(mark in value for mark in _PLACEHOLDER_INSIDE)
        or _SAME_CHARACTER.fullmatch(value) is not None
        or _ENV_REFERENCE.fullmatch(value) is not None
        or bool(re.match(r"[A-Za-z]:\\", value))
    )


def looks_random(value: str) -> bool:
    """A value that could be a generated or chosen secret rather than a word: one with a
    digit, a symbol or a capital after its first letter. Used where no ``=`` or ``:``
    says that a value follows (a table cell, the line under a label)."""
    if not value.isascii():
        return False
    return any(char.isdigit() or not char.isalnum() for char in value) or any(c.isupper() for c in value[1:])


_NUMBER_WITH_UNIT = re.compile(r"[0-9]+[A-Za-z]{1,8}|[A-Z]+[0-9]+|v?[0-9]+(?:\.[0-9A-Za-z]+)+")


def looks_generated(value: str) -> bool:
    """Where only blanks or a particle stand between a secret's name and a value
    (``password NetRc9Pw2``, ``パスワードは Xy9… です``): a token of six or more ASCII
    characters with a letter and a digit or a symbol, and not a number with a unit
    (``3600s``), an acronym with a number (``SHA256``) or a version (``v1.2``)."""
    if len(value) < 6 or not value.isascii() or not any(char.isalpha() for char in value):
        return False
    if not any(char.isdigit() or char in "!#$%&*+=?@^~" for char in value):
        return False
    return _NUMBER_WITH_UNIT.fullmatch(value) is None and not is_reference_or_placeholder(value)
