"""One build in a fresh process: wall time, CPU time, peak memory and what it read and wrote.

The child's resource usage comes from ``os.wait4``, so each number belongs to that
process alone (and the Graphviz processes it waited for), never to earlier runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

_READ = re.compile(r"^reading sources\.\.\. \[", re.MULTILINE)
_WRITTEN = re.compile(r"^writing output\.\.\. \[", re.MULTILINE)


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    exit_code: int
    docs_read: int
    docs_written: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def handover_command(action: str, package: Path, out: Path, as_of: str) -> list[str]:
    # -v puts Sphinx's progress in the log, as sphinx-build prints it by default.
    return [sys.executable, "-m", "handover_kit", action, str(package), "--as-of", as_of, "--out", str(out), "-v"]


def sphinx_command(source: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-j",
        "1",
        "-d",
        str(out / "doctrees"),
        str(source),
        str(out / "html"),
    ]


def run(command: list[str], log: Path) -> Sample:
    """Run *command* to completion, its output into *log*."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with log.open("w", encoding="utf-8") as stream:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    return Sample(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        exit_code=code,
        docs_read=len(_READ.findall(text)),
        docs_written=len(_WRITTEN.findall(text)),
    )
