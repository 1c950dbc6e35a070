"""What the site publishes of evidence artifacts, on real package builds.

Text is shown escaped in a generated page (never served as the package wrote it, so an
.svg or .html artifact cannot run in the site's origin); inert binaries are downloads;
everything else (secrets, non-UTF-8 text, special files, links out) is not published.
Builds that meet a FIFO run in a child process with a timeout: a hang fails the test.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AS_OF
from test_gate_rules import CHECK, REQ

#: Suffixes a browser may run as active content in the site's origin.
ACTIVE = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".js", ".mjs", ".css", ".swf"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
ACTIVE_ARTIFACTS = {
    "evidence/diagram.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg-PWNED")</script></svg>\n',
    "evidence/report.html": '<html><body><script>alert("html-PWNED")</script></body></html>\n',
    "evidence/page.xhtml": '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert("xhtml-PWNED")</script></html>\n',
    "evidence/data.xml": '<?xml-stylesheet type="text/xsl" href="#x"?>\n<r><script>alert("xml-PWNED")</script></r>\n',
}


def records(*artifacts: str) -> str:
    """An evidence page: one record per artifact, all proving CHK_MON (line 3, 13, 23...)."""
    blocks = [
        f"```{{evidence}} Record {number}\n:id: EV_REC_{number}\n:proves: CHK_MON\n:date: 2026-11-02\n"
        f":owner: 佐藤 (運用)\n:artifact: {artifact}\n```\n"
        for number, artifact in enumerate(artifacts, start=1)
    ]
    return "# Evidence\n\n" + "\n\n\n".join(blocks)


def record_line(number: int) -> int:
    return 3 + (number - 1) * 10


def make(package, *artifacts: str) -> None:
    package.page("req", REQ)
    package.page("checks", CHECK + "\n```{handover-checklist}\n```\n")
    package.page("evidence", records(*artifacts))


def site(package) -> Path:
    return package.root / "_build" / "html"


def output_files(package) -> list[Path]:
    return [path for path in (package.root / "_build").rglob("*") if path.is_file()]


def run_in_child(root: Path, command: str = "build", timeout: int = 180) -> subprocess.CompletedProcess:
    """`handover COMMAND` in a child process: a build that hangs fails instead of blocking."""
    return subprocess.run(
        [sys.executable, "-m", "handover_kit", command, str(root), "--as-of", AS_OF],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=root.parent,
    )


def test_active_artifacts_are_shown_escaped_never_served(cli, package):
    for relative, text in ACTIVE_ARTIFACTS.items():
        package.artifact(relative, text)
    make(package, *ACTIVE_ARTIFACTS)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code in (0, 1), result.output
    assert "Traceback" not in result.output
    for path in output_files(package):
        content = path.read_bytes()
        if b"PWNED" in content:  # only in a generated page, escaped, beside no inline script
            assert path.name.endswith(".html") and b'<body class="handover-evidence-page">' in content, path
            assert not re.search(rb"<script(?![^>]*\ssrc=)", content), path
            text = content.split(b'<pre class="handover-evidence-text">', 1)[1].split(b"</pre>", 1)[0]
            assert not re.search(rb"<(?!/?span\b)", text), path  # the artifact's own markup: all escaped
    active = [
        path for path in site(package).joinpath("_evidence").rglob("*") if path.suffix.lower() in ACTIVE - {".html"}
    ]
    assert active == []
    for relative, text in ACTIVE_ARTIFACTS.items():
        page = site(package) / "_evidence" / f"{relative}.html"
        shown = page.read_text("utf-8")
        assert '<meta charset="utf-8">' in shown
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self';" in shown
        assert "&lt;script&gt;alert(&quot;" in shown and "<script>alert" not in shown
        assert not (site(package) / "_evidence" / relative).exists()
    checks = (site(package) / "checks.html").read_text("utf-8")
    assert 'href="_evidence/evidence/diagram.svg.html"' in checks


def test_utf8_japanese_log_reads_in_its_page(cli, package):
    log = "2026-11-02 09:30 リストア開始\n2026-11-02 10:45 リストア完了（RTO 目標値以内）\n" + "長い行" * 400 + "\n"
    artifact = package.artifact("evidence/restore.log", log)
    digest = hashlib.sha256(artifact.read_bytes()).hexdigest()
    make(package, "evidence/restore.log")
    path = package.root / "evidence.md"
    path.write_text(path.read_text("utf-8").replace(":artifact:", f":sha256: {digest}\n:artifact:"), "utf-8")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    page = (site(package) / "_evidence" / "evidence" / "restore.log.html").read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in page
    assert "リストア完了（RTO 目標値以内）" in page
    assert page.count(digest) == 2  # computed by the build, and as recorded
    assert "matches" in page
    assert 'href="../../evidence.html#EV_REC_1"' in page and 'href="../../checks.html#CHK_MON"' in page
    assert "佐藤 (運用)" in page and "2026-11-02" in page
    assert 'class="handover-line" id="L2"' in page
    checks = (site(package) / "checks.html").read_text("utf-8")
    assert 'href="_evidence/evidence/restore.log.html"' in checks


def test_japanese_package_labels_its_evidence_page(cli, package):
    (package.root / "handover.yaml").write_text(
        (package.root / "handover.yaml").read_text("utf-8").replace("language: en", "language: ja"), "utf-8"
    )
    (package.root / "conf.py").write_text('extensions = ["sphinx_handover"]\nlanguage = "ja"\n', "utf-8")
    package.artifact("evidence/call-tree.md", "# 連絡網テスト\n第1段: 応答あり\n")
    make(package, "evidence/call-tree.md")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    page = (site(package) / "_evidence" / "evidence" / "call-tree.md.html").read_text("utf-8")
    assert '<html lang="ja">' in page
    for words in (
        "エビデンスのファイル",
        "このファイルを指すエビデンス",
        "確認する受入チェック",
        "ビルドで計算した SHA-256",
        "記録なし",
    ):
        assert words in page


def test_shift_jis_log_is_not_published(cli, package):
    text = "リストア完了 所要時間 42 分\n"
    (package.root / "evidence").mkdir(parents=True)
    (package.root / "evidence" / "restore.log").write_bytes(text.encode("cp932"))
    make(package, "evidence/restore.log")
    result = cli("build", package.root, "--as-of", AS_OF)
    # Nobody can scan it for secrets or read it in the site: it blocks until saved as UTF-8.
    assert result.code == 1, result.output
    assert (
        "pkg/evidence/restore.log:1: ERROR: not UTF-8 text" in result.err and "[handover.unscanned_file]" in result.err
    )
    for path in output_files(package):
        assert text.encode("cp932") not in path.read_bytes(), path
    page = (site(package) / "_evidence" / "evidence" / "restore.log.html").read_text("utf-8")
    assert "not UTF-8 text" in page and "Save it as UTF-8" in page
    assert 'class="handover-evidence-text"' not in page


def test_png_is_offered_as_a_download(cli, package):
    (package.root / "evidence").mkdir(parents=True)
    (package.root / "evidence" / "dashboard.png").write_bytes(PNG)
    (package.root / "evidence" / "fake.png").write_bytes(b"<html><script>alert(1)</script>\x00")
    make(package, "evidence/dashboard.png", "evidence/fake.png")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    assert (site(package) / "_evidence" / "evidence" / "dashboard.png").read_bytes() == PNG
    checks = (site(package) / "checks.html").read_text("utf-8")
    assert re.search(
        r'<a class="[^"]*\bdownload\b[^"]*" download="" href="_evidence/evidence/dashboard.png">', checks
    ), checks
    # A file whose content is not what its suffix says is not published.
    assert not (site(package) / "_evidence" / "evidence" / "fake.png").exists()
    assert "not of a type the site offers" in (site(package) / "_evidence" / "evidence" / "fake.png.html").read_text(
        "utf-8"
    )


def test_secret_artifact_is_withheld_and_a_stale_copy_removed(cli, package):
    package.artifact("evidence/db.log", "connected to orders-db\n")
    make(package, "evidence/db.log")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    page = site(package) / "_evidence" / "evidence" / "db.log.html"
    assert "connected to orders-db" in page.read_text("utf-8")
    # A second build with no change keeps every link to _evidence/ working.
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    _assert_evidence_links_resolve(package)

    package.artifact("evidence/db.log", "connected to orders-db\npassword: Tr0ub4dor-x9\n")  # pragma: allowlist secret
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1 and "[handover.secret]" in result.err
    for path in output_files(package):
        assert b"Tr0ub4dor-x9" not in path.read_bytes(), path
    shown = page.read_text("utf-8")
    assert "connected to orders-db" not in shown and "holds a secret (line 2" in shown
    _assert_evidence_links_resolve(package)


def test_folder_artifact_publishes_each_file_by_the_same_rules(cli, package):
    folder = package.root / "evidence" / "drill"
    package.artifact("evidence/drill/steps.md", "# 手順\n1. 停止\n")
    (folder / "screen.png").write_bytes(PNG)
    package.artifact("evidence/drill/view.svg", "<svg><script>alert('PWNED')</script></svg>\n")
    make(package, "evidence/drill")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    evidence = site(package) / "_evidence" / "evidence"
    listing = (evidence / "drill.html").read_text("utf-8")
    assert 'href="drill/steps.md.html"' in listing and 'href="drill/screen.png" download' in listing
    assert 'href="drill/view.svg.html"' in listing
    assert "# 手順" in (evidence / "drill" / "steps.md.html").read_text("utf-8")
    assert (evidence / "drill" / "screen.png").read_bytes() == PNG
    assert not (evidence / "drill" / "view.svg").exists()
    assert 'href="_evidence/evidence/drill.html"' in (site(package) / "checks.html").read_text("utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_folder_artifact_with_links_out_or_a_fifo_is_refused_without_a_hang(package, tmp_path):
    secret_line = Path("/etc/passwd").read_text("utf-8").splitlines()[0]
    for name in ("out", "up", "fifo"):
        package.artifact(f"evidence/{name}/ok.log", "fine\n")
    os.symlink("/etc/passwd", package.root / "evidence" / "out" / "passwd")
    os.symlink("..", package.root / "evidence" / "up" / "parent")
    os.mkfifo(package.root / "evidence" / "fifo" / "pipe")
    make(package, "evidence/out", "evidence/up", "evidence/fifo")
    for command in ("build", "check"):
        result = run_in_child(package.root, command)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
        expected = [
            (1, "artifact_outside", "holds 'passwd', which resolves outside the package root"),
            (2, "missing_artifact", "holds 'parent', which is a link to a folder"),
            (3, "missing_artifact", "holds 'pipe', which is a FIFO (named pipe), not a regular file"),
        ]
        for number, rule, words in expected:
            assert re.search(
                rf"^pkg/evidence.md:{record_line(number)}: ERROR: EV_REC_{number}: .*{re.escape(words)}.*\[handover.{rule}\]$",
                result.stderr,
                re.MULTILINE,
            ), (number, result.stderr)
    assert not (site(package) / "_evidence" / "evidence" / "out").exists()
    for path in output_files(package):
        assert secret_line.encode() not in path.read_bytes(), path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_artifact_that_is_no_regular_file_is_a_located_problem_without_a_hang(package):
    evidence = package.root / "evidence"
    evidence.mkdir(parents=True)
    os.mkfifo(evidence / "pipe.log")
    os.symlink("loop-b.log", evidence / "loop-a.log")
    os.symlink("loop-a.log", evidence / "loop-b.log")
    os.symlink("/dev/zero", evidence / "zero.log")
    os.symlink("/dev/null", evidence / "null.log")
    make(package, "evidence/pipe.log", "evidence/loop-a.log", "evidence/zero.log", "evidence/null.log")
    path = package.root / "evidence.md"
    # A :sha256: makes the build read the file: the FIFO must still not block it.
    path.write_text(
        path.read_text("utf-8").replace(
            ":artifact: evidence/pipe.log", f":sha256: {'0' * 64}\n:artifact: evidence/pipe.log"
        ),
        "utf-8",
    )
    result = run_in_child(package.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    expected = [
        (1, "missing_artifact", "'evidence/pipe.log' is a FIFO (named pipe), not a regular file"),
        (2, "missing_artifact", "'evidence/loop-a.log' is a symlink loop"),
        (3, "artifact_outside", "'evidence/zero.log' resolves outside the package root"),
        (4, "artifact_outside", "'evidence/null.log' resolves outside the package root"),
    ]
    for number, rule, words in expected:
        line = record_line(number) + (0 if number == 1 else 1)
        assert re.search(
            rf"^pkg/evidence.md:{line}: ERROR: EV_REC_{number}: .*{re.escape(words)}.*\[handover.{rule}\]$",
            result.stderr,
            re.MULTILINE,
        ), (number, result.stderr)
    assert not list((site(package) / "_evidence").rglob("*.log*"))


def _assert_evidence_links_resolve(package) -> None:
    html = site(package)
    for page in html.rglob("*.html"):
        for href in re.findall(r'href="([^"#]*_evidence/[^"#]*)"', page.read_text("utf-8")):
            target = (page.parent / href).resolve()
            assert target.is_file(), (page, href)


def test_a_hidden_artifact_is_scanned_like_any_file(cli, package):
    package.artifact("evidence/.env.sample", "APP_MODE=staging\n")
    package.artifact("evidence/.env.production", "SESSION_SECRET=Wq8zN3vLp5Xt2Rm7\n")
    make(package, "evidence/.env.sample", "evidence/.env.production")
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1 and "pkg/evidence/.env.production:1: ERROR: " in result.err
    assert "APP_MODE=staging" in (site(package) / "_evidence" / "evidence" / ".env.sample.html").read_text("utf-8")
    for path in output_files(package):
        assert b"Wq8zN3vLp5Xt2Rm7" not in path.read_bytes(), path


def test_a_file_whose_name_holds_a_secret_is_named_redacted_and_paged_under_a_digest(cli, package):
    package.artifact("evidence/drill/run.log", "restore completed\n")
    package.artifact("evidence/drill/password=FnmPw9x2q.log", "clean\n")
    package.artifact("evidence/drill/token=TkName8y3r.txt", "clean\n")
    make(package, "evidence/drill")
    built = cli("build", package.root, "--as-of", AS_OF)
    assert "Traceback" not in built.output
    for secret in ("FnmPw9x2q", "TkName8y3r"):
        assert not [
            path for path in output_files(package) if secret in str(path) or secret.encode() in path.read_bytes()
        ]
    folder = (site(package) / "_evidence" / "evidence" / "drill.html").read_text("utf-8")
    assert "run.log" in folder and folder.count("[REDACTED]") >= 2
    pages = sorted(path.name for path in (site(package) / "_evidence").rglob("withheld-*.html"))
    assert len(pages) == 2 and len(set(pages)) == 2  # two files, two pages, though both names read [REDACTED]


def test_artifacts_with_names_near_the_file_systems_limit_are_published(cli, package):
    # 255 bytes is the longest name most file systems take: the page (name + ".html") of the
    # longest does not fit, and the temporary file of an atomic write must not be longer.
    near = "evidence/" + "n" * 240 + ".log"
    longest = "evidence/" + "l" * 247 + ".log"
    longest_ja = "evidence/" + "記" * 83 + ".log"  # 249 + 4 bytes of UTF-8
    for artifact in (near, longest, longest_ja):
        package.artifact(artifact, "restore completed\n")
    make(package, near, longest, longest_ja)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 0, result.output
    pages = {path.name for path in (site(package) / "_evidence").rglob("*.html")}
    assert "n" * 240 + ".log.html" in pages
    assert len([name for name in pages if name.startswith("long-")]) == 2
    _assert_evidence_links_resolve(package)


@pytest.mark.parametrize(
    "artifact",
    [
        "evidence/" + "a" * 3000 + ".log",  # a name longer than a file system holds (ENAMETOOLONG)
        "evidence/" + "記" * 200 + ".log",  # 600 bytes of UTF-8 in one name
        "/".join(["evidence", *["d" * 200] * 30, "run.log"]),  # a path longer than PATH_MAX
    ],
    ids=["long name", "long japanese name", "long path"],
)
def test_an_artifact_name_no_file_system_holds_is_located_and_shortened(cli, package, artifact):
    """It stopped the whole build with a traceback's last line and no place (exit 2), and
    its message echoed the 3,000 characters: now the record's own problem, at its line,
    with the name shortened on the console and whole in the report."""
    package.artifact("evidence/other.log", "the folder exists: the name itself is what fails\n")
    make(package, artifact)
    result = cli("build", package.root, "--as-of", AS_OF)
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    [line] = [line for line in result.err.splitlines() if "[handover.missing_artifact]" in line]
    assert line.startswith("pkg/evidence.md:3: ERROR: EV_REC_1: artifact "), line
    assert "cannot be read" in line and "characters)" in line and len(line) < 500, line
    [problem] = [p for p in package.report()["problems"] if p["rule"] == "handover.missing_artifact"]
    assert artifact in problem["message"]
