"""No frozen dates: the timeline's dates on the site follow handover.yaml's release date,
also on an incremental build, and `{handover-date}` names only dates that exist."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from handover_kit.authoring import scaffold
from sphinx_handover.model.timeline import review_dates

RELEASE = dt.date(2026, 12, 1)
MOVED = RELEASE + dt.timedelta(days=14)
AS_OF = "2026-11-20"  # neither timeline's date


def timeline(release_date: dt.date) -> set[str]:
    """T0, the four reviews and the end of hypercare (T+30), as the site writes them."""
    return {day.isoformat() for day in review_dates(release_date).values()}


def html_files(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text("utf-8") for path in sorted(site.rglob("*.html"))}


def assert_pages_show(pages: dict[str, str], release_date: dt.date) -> None:
    """The cover shows the whole timeline; chapter 9 the hypercare window (T0 to T+30);
    chapter 10 the final go/no-go (T-7)."""
    dates = review_dates(release_date)
    cover = set(re.findall(r"\d{4}-\d{2}-\d{2}", pages["index.html"]))
    assert timeline(release_date) <= cover
    for day in (dates["T0"], dates["T+30"]):
        assert day.isoformat() in pages["chapters/09-hypercare.html"]
    assert dates["T-7"].isoformat() in pages["chapters/10-acceptance.html"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_no_rendered_page_holds_a_date_computed_when_it_was_scaffolded(language):
    files = scaffold.render(scaffold.Answers(language, "S", "V", "C", RELEASE, "24/365"))
    frozen = {
        name: sorted(day for day in timeline(RELEASE) if day in text)
        for name, text in files.items()
        if name != "handover.yaml"
    }
    assert {name: days for name, days in frozen.items() if days} == {}
    assert yaml.safe_load(files["handover.yaml"])["project"]["release_date"] == RELEASE


@pytest.mark.parametrize("language", ["ja", "en"])
def test_moving_the_release_date_moves_every_date_on_the_site(cli, tmp_path, language):
    assert not timeline(RELEASE) & timeline(MOVED)
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"language: {language}\nrelease_date: {RELEASE}\n", "utf-8")
    assert cli("new", "pkg", "--no-input", "--answers", answers).code == 0
    package = tmp_path / "pkg"
    site = package / "_build" / "html"

    assert cli("build", "pkg", "--as-of", AS_OF).code == 1
    assert_pages_show(html_files(site), RELEASE)
    untouched = site / "runbooks" / "batch-rerun.html"  # no date, no view: not written again
    untouched_mtime = untouched.stat().st_mtime_ns

    data = package / "handover.yaml"
    text = data.read_text("utf-8")
    assert f"release_date: {RELEASE}" in text
    data.write_text(text.replace(f"release_date: {RELEASE}", f"release_date: {MOVED}"), "utf-8")
    assert cli("build", "pkg", "--as-of", AS_OF).code == 1  # the same output folder: incremental

    after = html_files(site)
    stale = {page: sorted(day for day in timeline(RELEASE) if day in html) for page, html in after.items()}
    assert {page: days for page, days in stale.items() if days} == {}
    assert_pages_show(after, MOVED)
    assert untouched.stat().st_mtime_ns == untouched_mtime


def test_each_name_renders_its_date_and_an_unknown_name_is_a_located_input_error(cli, package):
    package.page(
        "dates",
        """
        # Dates

        T0 is {handover-date}`T0`, the reviews are {handover-date}`T-60`, {handover-date}`T-30`
        and {handover-date}`T-7`, hypercare ends on {handover-date}`T+30`.

        | Review | Date |
        |---|---|
        | final | {handover-date}`T-8` |

        Hypercare starts on {handover-date}`T+0` and ends at the {handover-date}`hypercare exit`.
        """,
    )
    result = cli("build", "pkg", "--as-of", AS_OF)
    assert result.code == 2, result.output
    errors = [line for line in result.err.splitlines() if "handover-date" in line]
    names = "T-60, T-30, T-7, T0, T+30"
    assert errors == [
        f"pkg/dates.md:8: ERROR: {{handover-date}}`T-8`: unknown review: use one of {names} (did you mean T-7?) [handover.invalid_option]",
        f"pkg/dates.md:10: ERROR: {{handover-date}}`hypercare exit`: unknown review: use one of {names} [handover.invalid_option]",
    ]
    page = (package.root / "_build" / "html" / "dates.html").read_text("utf-8")
    # conftest's package: release 2026-12-01
    for day in ("2026-12-01", "2026-10-02", "2026-11-01", "2026-11-24", "2026-12-31"):
        assert f'<span class="handover-date">{day}</span>' in page
    assert page.count('<span class="handover-date">2026-12-01</span>') == 2  # T0, T+0
    assert "T-8" in page  # shown as written, not dropped


def test_an_unknown_name_is_said_in_the_packages_language(cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"language: ja\nrelease_date: {RELEASE}\n", "utf-8")
    assert cli("new", "pkg", "--no-input", "--answers", answers).code == 0
    chapter = tmp_path / "pkg" / "chapters" / "09-hypercare.md"
    lines = chapter.read_text("utf-8").splitlines()
    chapter.write_text("\n".join([*lines, "", "移行判定は {handover-date}`T+31` です。", ""]), "utf-8")
    result = cli("check", "pkg", "--as-of", AS_OF)
    assert result.code == 2
    assert (
        f"pkg/chapters/09-hypercare.md:{len(lines) + 2}: ERROR: {{handover-date}}`T+31`: そのようなレビューはありません。"
        "T-60, T-30, T-7, T0, T+30 のいずれかを書いてください（T+30 の誤りではありませんか） [handover.invalid_option]"
    ) in result.err.splitlines()
