"""The shortcuts that keep the secret scan cheap must never hide a secret.

detect-secrets is run only on files its plugins could report something in (a one-pass
prefilter), and files found clean are remembered by content between builds. These
tests check the prefilter against detect-secrets itself, on every text file of the
repository's templates and examples and on generated lines, and the cache across an
incremental build.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from pathlib import Path

from conftest import AS_OF, REPO
from detect_secrets.core.scan import scan_file
from detect_secrets.settings import default_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_secrets import PLANTS, output_contains

from sphinx_handover.secret_scan import secret_detectors
from sphinx_handover.secret_scan.regex_factors import Factored, Folded, line_spans, lines_holding, within_a_line
from sphinx_handover.secret_scan.secrets_scan import (
    _may_hold_labelled_or_cloud,
    _Prefilter,
    package_files,
    read_texts,
    scan_lines,
)


def detect_secrets_reports(path: Path) -> list:
    with default_settings():
        return list(scan_file(str(path)))


def prefilter_says(path: Path, text: str) -> bool:
    with default_settings():
        return _Prefilter.of_enabled_plugins().may_report(path, text)


def test_prefilter_keeps_every_file_of_the_templates_and_examples_detect_secrets_reports_on():
    files = read_texts(package_files(REPO / "docs_template") + package_files(REPO / "examples"))
    skipped = [path for path, text in files.items() if text is not None and not prefilter_says(path, text)]
    assert len(skipped) > len(files) / 2  # the prefilter is worth having
    for path in skipped:
        assert detect_secrets_reports(path) == [], path


def test_prefilter_keeps_every_planted_secret_detect_secrets_finds(tmp_path):
    found_by_detect_secrets = 0
    for index, (_, text, _, _) in enumerate(PLANTS):
        path = tmp_path / f"plant-{index}.md"
        path.write_text(f"# Page\n{text}", "utf-8")
        if detect_secrets_reports(path):  # the Japanese labels are handover-kit's own detectors
            found_by_detect_secrets += 1
            assert prefilter_says(path, path.read_text("utf-8")), text
    assert found_by_detect_secrets >= 3


TOKENS = [
    "password", "Password:", "secret", "api_key", "token", "key", "=", ":", '"', "'", " ", "\n", "://", "@",
    "AKIA", "ghp_", "xoxb-", "sk_live_", "-----BEGIN RSA PRIVATE KEY-----", "eyJ", "192.168.10.4", "8.8.8.8",
    ":sha256:", "vault: ops/db", "パスワード", "PW：", "2026-11-20",
    # Case and the non-ASCII letters re.IGNORECASE matches to ASCII ones (Kelvin sign, long s, dotted/dotless i).
    "API_KEY", "Api-Key", "PASSWORD", "Pwd", "\u212aEY", "pa\u017f\u017fword", "AP\u0130_KEY", "pr\u0131vate_key", "\u0130BM_CLOUD_\u0130AM",
    "contraseña", "CONTRASEÑA", "ibm_cloud_iam_key", "cloudant", "SoftLayer", "cos_hmac", "secret_access_key",
    "https://hooks.slack.com/services/T", "AccountKey=", "-us1",
    # Line breaks around the factors of patterns searched line by line.
    "\n", "\r\n", "cl_api_key", "ibm_cloud_iam_password = ", "[\"token\"]:", "0123456789abcdef" * 4, "a" * 24, "x" * 44,
]  # fmt: skip
noise = st.text(alphabet=string.ascii_letters + string.digits + "+/=_-.", min_size=1, max_size=48)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(st.sampled_from(TOKENS) | noise, min_size=1, max_size=12))
def test_prefilter_never_skips_what_detect_secrets_reports(tmp_path, parts):
    text = "".join(parts)
    path = tmp_path / "page.md"
    path.write_text(text, "utf-8")
    if not prefilter_says(path, text):
        assert detect_secrets_reports(path) == []


LINE_BREAKS = ["\n", "\r\n", "\r", "\u2028", "\x85", "\x0c"]
LABELS = ["パスワード", "初期パスワード", "暗証番号", "PW", "pw", "Password", "token", "API key", "access_token", "：", ": ", "=", "-",
          "AIza" + "A" * 35, "AccountKey=" + "a" * 40, "xoxb-1234567890-abc", "x"]  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(parts=st.lists(st.sampled_from(LABELS + LINE_BREAKS) | noise, min_size=1, max_size=14))
def test_a_text_the_whole_text_pass_rejects_has_no_line_the_detectors_report(parts):
    text = "".join(parts)
    if not _may_hold_labelled_or_cloud(text):
        assert scan_lines(Path("page.md"), text.splitlines()) == []


CANDIDATE_PARTS = [*LABELS, "Pass", "SECRET", "-P", "-U", "://", "Cookie", "AKIA", "ghp_", "eyJ", "sk_live", "\u212aey",
                   "pa\u017f\u017f", "AP\u0130_KEY", "\u0130", "\u0131", "ＰＷ", "ｐａｓｓ", "ｰ", "パ", "ス"]  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(parts=st.lists(st.sampled_from(CANDIDATE_PARTS + LINE_BREAKS) | noise, min_size=1, max_size=14))
def test_the_candidate_literals_find_every_line_the_candidate_pattern_matches(parts):
    text = unicodedata.normalize("NFKC", "".join(parts))
    assert secret_detectors.CANDIDATE_LITERALS  # read from the pattern: the fast path is the one taken
    by_pattern = {text.count("\n", 0, match.start()) for match in secret_detectors.CANDIDATE.finditer(text)}
    by_literals = lines_holding(secret_detectors.CANDIDATE_LITERALS, Folded(text).text)
    assert by_pattern <= set(by_literals)
    assert by_literals == sorted(set(by_literals))
    assert secret_detectors.may_hold_candidate(text) == bool(by_literals)


def test_lines_holding_counts_lines_once_in_order():
    text = "a key\nnothing\nkey and pass\n\npass"
    assert lines_holding({"key", "pass"}, text) == [0, 2, 4]
    assert lines_holding({"key"}, "") == [] and lines_holding({"x"}, "x") == [0]


@functools.cache
def enabled_patterns() -> list[Factored]:
    with default_settings():
        return _Prefilter.of_enabled_plugins().patterns


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(parts=st.lists(st.sampled_from(TOKENS) | noise, min_size=1, max_size=12))
def test_a_pattern_is_skipped_only_where_it_cannot_match(parts):
    text = "".join(parts)
    folded = Folded(text)
    for factored in enabled_patterns():
        assert factored.search(text, folded) == (factored.pattern.search(text) is not None), factored.pattern.pattern


def test_factors_are_the_literals_every_match_needs():
    def requirements(pattern: str, flags: int = 0):
        return Factored.of(re.compile(pattern, flags)).requirements

    # Short optional parts are spelled out.
    assert requirements(r"api_?key|pwd", re.I) == ({"apikey", "api_key", "pwd"},)
    assert requirements(r"(?:\s|^)AKIA[0-9A-Z]{16}") == ({"AKIA"},)
    assert requirements(r"x[-_]token") == ({"x-token", "x_token"},)
    # Every mandatory part is a requirement of its own, the longest shortest string first.
    assert requirements(r"(?:cloudant|cl)\w*(?:key|pwd)", re.I) == ({"key", "pwd"}, {"cl"})
    assert requirements(r"glpat-\w{20}\.v1\.") == ({"glpat-"}, {".v1."})
    # A string holding another string of its requirement adds nothing: "key" is in '"key'.
    assert requirements(r'(?:"|)key\w') == ({"key"},)
    # Case-insensitive factors are lower case; case-sensitive ones are kept as written.
    assert requirements(r"BEGIN RSA", re.I) == ({"begin rsa"},) and requirements(r"BEGIN RSA") == ({"BEGIN RSA"},)
    # Nothing long enough every match must hold: no factors, the pattern always runs.
    for pattern in (r"\d{8,10}:[0-9A-Za-z_-]{35}", r"(?:key|)\w+", r"a", r"(?i:secret)", r"[^a]bc?"):
        assert requirements(pattern) == (), pattern
    # Non-ASCII letters end a literal: their case-insensitive matches are not lower().
    assert requirements(r"contraseña", re.I) == ({"contrase"},)
    # Characters without case (Japanese) match only themselves: they stay in.
    assert requirements(r"パスワード|(?<![A-Za-z])PW", re.I) == ({"パスワード", "pw"},)


def test_a_pattern_is_searched_line_by_line_only_if_no_match_can_hold_a_line_break():
    within = [r"x", r"(?i)pass(?:word)?[ \t]*=[^\n]+", r"(?<=\W)key", r"(?<![\w.])x", r"(?!\s\w)x", r"(?=x)y", r".", r"[^\s]",
              r"\S", r"[^\n]", r"^x$", r" *"]  # fmt: skip
    across = [
        r"\s",
        r"(?=\s\w)x",
        r"(?s).",
        r"(?s:.)",
        r"[^a]",
        r"\W",
        r"\D",
        r"[\x00-\x7f]",
        r"[^\S]",
        r"a\nb",
        r"(a)\1",
    ]
    for pattern in within:
        assert within_a_line(re.compile(pattern)), pattern
    for pattern in across:
        assert not within_a_line(re.compile(pattern)), pattern
    assert line_spans({"key"}, "a\nkey key\nb\nkey") == [(2, 10), (12, 15)]


def test_case_insensitive_factors_find_what_ignorecase_matches():
    factored = Factored.of(re.compile(r"(?<=\W)password\s*=", re.I))
    for text in (" PASSWORD =", " Pa\u017f\u017fword=", " password="):
        assert factored.search(text, Folded(text)), text
    assert not factored.search(" pass word =", Folded(" pass word ="))
    kelvin = Factored.of(re.compile(r"key", re.I))
    assert kelvin.search("\u212aEY", Folded("\u212aEY"))


def test_a_secret_added_after_a_clean_build_is_found_and_a_removed_one_is_forgotten(cli, example_copy):
    root = example_copy()
    assert cli("build", root, "--as-of", AS_OF).code == 0  # every file is now known clean
    where, text, secret, _ = PLANTS[2]
    page = root / where
    original = page.read_text("utf-8")
    page.write_text(original + text, "utf-8")
    result = cli("build", root, "--as-of", AS_OF)
    assert result.code == 1 and "[handover.secret]" in result.err
    assert output_contains(root / "_build", secret) == []
    page.write_text(original, "utf-8")
    assert cli("build", root, "--as-of", AS_OF).code == 0
