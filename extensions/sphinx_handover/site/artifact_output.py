"""Writing what :mod:`.artifact_publishing` decided into the site, and nothing else.

The site's ``_evidence/`` folder holds exactly what this build publishes: the evidence
pages and the downloads of this build are written (a page only when it changed, a
download only when its file did), and whatever an earlier build left there is removed,
so a file that has since been found to hold a secret, or that is gone from the
package, does not stay published. The folder is the build's own: a symlink in it
(which an output folder shipped inside a package could hold) is removed, never
followed, and every file is written beside its target and moved into place.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from sphinx.application import Sphinx

from ..integration.files import write_atomically
from ..model.artifacts import open_regular, read_regular
from ..rules.verdict import Verdict
from ..secret_scan.secrets_scan import redact
from ..untrusted.confinement import Refused
from .artifact_pages import PageContext, file_page, folder_page
from .artifact_publishing import ARTIFACTS_DIR, Published, plan_of

#: Served beside the pages: applies the reader's light/dark choice made in the theme.
THEME_SCRIPT = "_static/handover-theme.js"


def publish_artifacts(app: Sphinx) -> None:
    """Write this build's evidence pages and downloads into the HTML output."""
    plan = plan_of(app)
    if plan is None:
        return
    out = Path(app.outdir)
    folder = out / ARTIFACTS_DIR
    _own_folder(folder)
    context = page_context(app, plan.verdict)
    written: set[Path] = set()
    for entry in plan.entries():
        target = out / entry.target
        _make_parents(folder, target.parent)
        if entry.form == "download":
            _copy(entry.source, target)
        else:
            _write_if_changed(target, _page(context, entry))
        written.add(target)
    _remove_stale(folder, written | _sphinx_pages_in(app, out))


def page_context(app: Sphinx, verdict: Verdict) -> PageContext:
    config = app.config
    style = config.html_style
    theme = getattr(app.builder, "theme", None)
    if isinstance(style, str):
        sheets = [style]
    elif style is not None:
        sheets = list(style)
    else:
        sheets = list(getattr(theme, "stylesheets", ()))
    return PageContext(
        language=verdict.language,
        site_title=str(config.html_title or config.project or ""),
        index_uri=app.builder.get_target_uri(config.root_doc),
        stylesheets=[f"_static/{sheet}" for sheet in sheets if "://" not in sheet] + ["_static/handover.css"],
        theme_script=THEME_SCRIPT,
        doc_uri=app.builder.get_target_uri,
        redact=lambda text: redact(text, verdict.redactions),
    )


def _page(context: PageContext, entry: Published) -> str:
    if entry.form == "folder":
        return folder_page(context, entry)
    text = None
    if entry.form == "page":
        try:
            text = read_regular(entry.source).decode("utf-8")
        except (Refused, UnicodeDecodeError):
            text = None  # changed since it was planned: the page shows no content
    return file_page(context, entry, text)


def _own_folder(folder: Path) -> None:
    """*folder* as a real folder of the output, with no symlink or special file in it."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        folder.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    for parent, subfolders, names in os.walk(folder, followlinks=False):
        for name in subfolders + names:
            path = Path(parent, name)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                path.unlink()


def _make_parents(folder: Path, parent: Path) -> None:
    """Create *parent* below *folder*; a stale file where a folder belongs is removed."""
    current = folder
    for part in parent.relative_to(folder).parts:
        current = current / part
        if current.exists() and not current.is_dir():
            current.unlink()
        current.mkdir(exist_ok=True)


def _write_if_changed(target: Path, text: str) -> None:
    try:
        if target.read_text("utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    if target.is_dir():
        _remove_tree(target)
    write_atomically(target, text)


def _copy(source: Path, target: Path) -> None:
    """Copy *source* to *target*, unless *target* is the copy an earlier build made."""
    try:
        wanted = source.stat()
    except OSError:
        return  # gone since it was planned
    try:
        present = target.lstat()
        if stat.S_ISREG(present.st_mode) and (wanted.st_size, wanted.st_mtime_ns) == (
            present.st_size,
            present.st_mtime_ns,
        ):
            return
    except OSError:
        pass
    if target.is_dir():
        _remove_tree(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with open_regular(source) as stream, os.fdopen(handle, "wb") as copy:
            while chunk := stream.read(1 << 20):
                copy.write(chunk)
        os.utime(temporary, ns=(wanted.st_atime_ns, wanted.st_mtime_ns))
        os.replace(temporary, target)
    except Refused:
        Path(temporary).unlink(missing_ok=True)  # gone or replaced since it was planned
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sphinx_pages_in(app: Sphinx, out: Path) -> set[Path]:
    """Pages Sphinx itself writes under _evidence/ (a document of that name): kept."""
    prefix = ARTIFACTS_DIR + "/"
    return {out / app.builder.get_target_uri(doc) for doc in app.env.found_docs if doc.startswith(prefix)}


def _remove_stale(folder: Path, keep: set[Path]) -> None:
    for parent, subfolders, names in os.walk(folder, topdown=False, followlinks=False):
        for name in names:
            path = Path(parent, name)
            if path not in keep:
                path.unlink()
        for name in subfolders:
            path = Path(parent, name)
            if not os.listdir(path):
                path.rmdir()


def _remove_tree(path: Path) -> None:
    for parent, subfolders, names in os.walk(path, topdown=False, followlinks=False):
        for name in names:
            Path(parent, name).unlink()
        for name in subfolders:
            Path(parent, name).rmdir()
    path.rmdir()
