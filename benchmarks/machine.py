"""The machine and software a benchmark ran on, for its results table."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from importlib import metadata

from .generate import REPO

_PACKAGES = ("handover-kit", "sphinx", "sphinx-needs", "myst-parser", "docutils", "furo")


def describe() -> dict[str, str]:
    about = {
        "cpu": f"{_cpu_model()} ({os.cpu_count()} logical CPUs)",
        "memory": f"{_memory_gib():.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    about.update({name: _version(name) for name in _PACKAGES})
    about["commit"] = _commit()
    return about


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    """HEAD, and which of the extension's and CLI's files differ from it (measured as on disk)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", "extensions", "handover_kit").splitlines()
    return f"{head} + uncommitted changes in {len(changed)} files of extensions/, handover_kit/" if changed else head


def code_digest() -> str:
    """A digest of the extension's and CLI's sources as they are on disk now: rounds of
    one run measured different code if their digests differ."""
    digest = hashlib.sha256()
    for folder in ("extensions", "handover_kit"):
        for path in sorted((REPO / folder).rglob("*.py")):
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
