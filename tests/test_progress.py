"""Progress on a terminal: phase and count in one line, rewritten in place; nothing elsewhere."""

from __future__ import annotations

import io
import re

import pytest
from conftest import AS_OF

from handover_kit.review import progress as progress_module
from handover_kit.review.progress import Progress
from handover_kit.runner import BuildRequest, run


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def at_once(monkeypatch):
    """No delay before the first line and none between updates, so a small build shows all."""
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    monkeypatch.setattr(progress_module, "INTERVAL", 0.0)


def frames(text: str) -> list[str]:
    """The successive contents of the progress line."""
    return [frame for frame in re.split(r"\r\x1b\[2K", text) if frame]


def test_build_on_a_terminal_shows_phase_and_count_then_erases_the_line(example_copy, tmp_path, at_once):
    root = example_copy()
    terminal = FakeTerminal()
    run(BuildRequest(package=root, out=root / "_build", html=True), messages=terminal)
    shown = frames(terminal.getvalue())
    assert shown[0].startswith("handover: reading 0/")
    pages = int(shown[0].split("/")[1].split()[0])
    assert pages >= 17  # index, ten chapters, six runbooks, ...
    assert f"handover: reading 1/{pages} pages" in shown
    assert f"handover: reading {pages}/{pages} pages" in shown
    assert "handover: running the gate" in shown
    writing = [frame for frame in shown if frame.startswith("handover: writing ")]
    assert (
        writing[0] == f"handover: writing 0/{pages} pages" and writing[-1] == f"handover: writing {pages}/{pages} pages"
    )
    assert shown[-1] == "handover: finishing"
    assert terminal.getvalue().endswith("\r\x1b[2K")  # erased: the verdict line starts clean
    phases = [frame.split()[1] for frame in shown]
    assert phases.index("reading") < phases.index("running") < phases.index("writing") < phases.index("finishing")


def test_check_shows_reading_and_gate_and_no_writing(example_copy, at_once):
    root = example_copy()
    terminal = FakeTerminal()
    run(BuildRequest(package=root, out=root / "_build", html=False), messages=terminal)
    shown = frames(terminal.getvalue())
    assert any(frame.startswith("handover: reading ") for frame in shown)
    assert shown[-1] == "handover: running the gate"
    assert not any("writing" in frame for frame in shown)


def test_warnings_are_printed_on_lines_of_their_own(example_copy, at_once):
    root = example_copy("ec-order-service-incomplete")
    terminal = FakeTerminal()
    run(BuildRequest(package=root, out=root / "_build", html=False), messages=terminal)
    lines = [line for line in terminal.getvalue().split("\n") if "ERROR:" in line]
    assert lines
    for line in lines:
        visible = line.rsplit("\r\x1b[2K", 1)[-1]  # what the terminal shows: the count was erased first
        assert "ERROR:" in visible and not visible.startswith("handover:"), line


def test_nothing_is_shown_when_not_on_a_terminal_or_with_verbose(example_copy, at_once, capfd):
    root = example_copy()
    plain = io.StringIO()
    run(BuildRequest(package=root, out=root / "_build", html=False), messages=plain)
    assert "\r" not in plain.getvalue() and "handover:" not in plain.getvalue()
    terminal = FakeTerminal()
    run(BuildRequest(package=root, out=root / "_build", html=False, verbose=True), messages=terminal)
    assert "handover: reading" not in terminal.getvalue()


def test_a_quick_build_shows_nothing_and_updates_are_throttled():
    now = [0.0]
    terminal = FakeTerminal()
    progress = Progress(terminal, clock=lambda: now[0])
    progress.show("reading", 1, 10)  # before DELAY: nothing
    assert terminal.getvalue() == ""
    now[0] = progress_module.DELAY + 0.01
    progress.show("reading", 2, 10)
    now[0] += progress_module.INTERVAL / 2
    progress.show("reading", 3, 10)  # too soon after the last: not drawn
    progress.show("running the gate")  # a new phase: drawn at once
    assert frames(terminal.getvalue()) == ["handover: reading 2/10 pages", "handover: running the gate"]
    with progress:
        pass
    assert terminal.getvalue().endswith("\r\x1b[2K")


def test_cli_build_on_a_terminal_keeps_the_summary_line_clean(cli, example_copy, monkeypatch, at_once):
    root = example_copy()
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    result = cli("check", root, "--as-of", AS_OF)
    assert result.code == 0
    assert "handover: reading" in terminal.getvalue()
    assert result.out.startswith("READY")
