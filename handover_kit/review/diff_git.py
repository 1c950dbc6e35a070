"""The reports of a package at two git revisions, for ``handover diff --git``.

Each revision's package folder is exported with ``git archive`` into a temporary folder
(the repository, its index and its worktrees are left as they are) and checked there
in-process, as ``handover check`` would.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from sphinx_handover.secret_scan.redact_values import redact_data

from ..errors import UserError
from ..runner import BuildRequest, run


def report_at(package: Path, revision: str, as_of: dt.date | None, gate: str | None) -> dict[str, Any]:
    top = Path(_git(package, "rev-parse", "--show-toplevel").decode().strip())
    inside = Path(os.path.relpath(package.resolve(), top.resolve())).as_posix()
    archive = _git(top, "archive", "--format=tar", revision, "--", inside, revision=revision)
    with tempfile.TemporaryDirectory(prefix="handover-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        root = Path(folder) / inside
        verdict = run(BuildRequest(root, Path(folder) / "_build", as_of=as_of, gate=gate, html=False))
        report: dict[str, Any] = redact_data(verdict.as_dict(), verdict.redactions)  # a copy of the same shape
        return report


def _git(where: Path, *args: str, revision: str = "") -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise UserError("handover diff --git needs git on the PATH") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        what = f"revision {revision!r}" if revision else str(where)
        raise UserError(f"{what}: git {args[0]} failed: {reason[-1] if reason else 'no message'}")
    return done.stdout
