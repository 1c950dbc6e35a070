"""`handover add runbook NAME`: a new runbook from the template, listed in chapter 3,
never overwriting, all or nothing."""

from __future__ import annotations

import pytest

from handover_kit.authoring import add


@pytest.fixture
def fresh(cli, tmp_path):
    def make(language: str):
        answers = tmp_path / f"answers-{language}.yaml"
        answers.write_text(f"language: {language}\nrelease_date: 2026-12-01\n", "utf-8")
        assert cli("new", f"pkg-{language}", "--no-input", "--answers", answers).code == 0
        return tmp_path / f"pkg-{language}"

    return make


@pytest.mark.parametrize("language", ["ja", "en"])
def test_added_runbook_builds_and_is_listed(cli, fresh, language):
    root = fresh(language)
    result = cli("add", "runbook", "Certificate renewal", "--package", root)
    assert result.code == 0, result.err
    page = root / "runbooks" / "certificate-renewal.md"
    assert ":id: RB_CERTIFICATE_RENEWAL" in page.read_text("utf-8")
    assert "/runbooks/certificate-renewal\n" in (root / add.RUNBOOK_CHAPTER).read_text("utf-8")
    built = cli("build", root, "--as-of", "2026-11-20")
    assert "WARNING" not in built.err, built.err
    assert (root / "_build" / "html" / "runbooks" / "certificate-renewal.html").is_file()


def test_never_overwrites(cli, fresh):
    root = fresh("en")
    mine = root / "runbooks" / "monitoring-alert.md"
    original = mine.read_text("utf-8")
    result = cli("add", "runbook", "Monitoring alert", "--package", root)
    assert result.code == 2
    assert result.err.strip().endswith("monitoring-alert.md: exists; handover add never overwrites a file")
    assert mine.read_text("utf-8") == original


def test_refuses_a_runbooks_folder_linked_outside(cli, fresh, tmp_path):
    root = fresh("en")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "runbooks").rename(tmp_path / "moved")
    (root / "runbooks").symlink_to(outside)
    result = cli("add", "runbook", "Disk full", "--package", root)
    assert result.code == 2 and "pointing outside the package" in result.err
    assert list(outside.iterdir()) == []


def test_interrupted_add_leaves_the_package_as_it_was(fresh, monkeypatch):
    root = fresh("en")
    chapter = (root / add.RUNBOOK_CHAPTER).read_text("utf-8")
    before = sorted(p.name for p in (root / "runbooks").iterdir())

    def interrupted(path, text):
        raise KeyboardInterrupt

    monkeypatch.setattr(add, "write_atomically", interrupted)
    with pytest.raises(KeyboardInterrupt):
        add.add_runbook(root, "Disk full")
    assert sorted(p.name for p in (root / "runbooks").iterdir()) == before
    assert (root / add.RUNBOOK_CHAPTER).read_text("utf-8") == chapter
