"""The wheel holds the whole template tree and the extension: `pip install .` must be enough."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_contains_every_template_file_and_the_extension(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("handover_kit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    template = REPO / "docs_template"
    expected = {
        "handover_kit/docs_template/" + path.relative_to(template).as_posix()
        for path in template.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected <= names, sorted(expected - names)
    assert "sphinx_handover/__init__.py" in names
    assert "sphinx_handover/static/handover.css" in names
    assert "sphinx_handover/locale/ja/LC_MESSAGES/sphinx_handover.mo" in names
