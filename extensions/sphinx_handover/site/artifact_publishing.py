"""What the site publishes of each evidence artifact, and where.

The site is opened in reviewers' browsers, from the site's own origin, so an artifact
is never served as the package wrote it unless its type is inert there. Each regular
file of the package that an evidence record points at (a folder: each regular file in
it, as :mod:`.confinement` lists them) is published in one of three forms:

- ``page``: a file the secret scan can read as text (UTF-8, no NUL byte) is shown,
  escaped, in a page the build generates (:mod:`.artifact_pages`), whatever its
  suffix: an ``.svg`` or ``.html`` artifact is shown as its source, never run, and a
  Japanese log reads correctly from any web server because the page declares its
  charset;
- ``download``: a binary file whose content is the type its suffix names (PNG, JPEG,
  GIF, WebP, PDF, ZIP and the Office formats built on it, gzip, legacy Office) is
  copied under its own name and linked as a download; none of these types runs
  script in the site's origin;
- ``withheld``: anything else is not published, and the page says why: it holds a
  secret, it is text in another encoding (Shift_JIS, UTF-16: the scan could not read
  it, so it may hold a secret nobody found), the scan never saw it (the file appeared
  after the scan), or it is binary of a type that may be active (``.svgz``, ``.swf``)
  or unknown. What the scan made of each file is :class:`.secrets_scan.ScanResult`.

The plan is made once per verdict, the first time a page links an artifact, so the
links written and the files published always agree.
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sphinx.application import Sphinx

from ..integration import state
from ..model.artifacts import ArtifactFiles, is_url, read_regular
from ..rules.verdict import CheckStatus, EvidenceStatus, Verdict
from ..secret_scan.secrets_scan import ScanResult, redact
from ..untrusted.confinement import Refused

#: Where the HTML site keeps what it publishes of the artifacts.
ARTIFACTS_DIR = "_evidence"

#: Binary types offered as downloads: suffix -> the magic numbers its content must start
#: with. A suffix not listed here (html, svg, svgz, xml, xsl, js, css, swf...) is never
#: copied into the site; a listed suffix whose content is something else is not either.
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
DOWNLOAD_TYPES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".pdf": (b"%PDF-",),
    ".zip": _ZIP,
    ".xlsx": _ZIP,
    ".docx": _ZIP,
    ".pptx": _ZIP,
    ".ods": _ZIP,
    ".odt": _ZIP,
    ".gz": (b"\x1f\x8b",),
    ".tgz": (b"\x1f\x8b",),
    ".xls": _OLE2,
    ".doc": _OLE2,
    ".ppt": _OLE2,
}

#: Why a file is not published (keys of :mod:`.artifact_labels`).
SECRET, NOT_UTF8, UNSCANNED, BINARY = "withheld_secret", "withheld_not_utf8", "withheld_unscanned", "withheld_binary"

#: Folders and files the secret scan does not read (as :func:`.secrets_scan.package_files`).
_UNSCANNED_NAMES = ("_build", "__pycache__")


@dataclass
class Published:
    """One regular file (or folder) of the package and what the site shows of it."""

    source: Path
    #: Its path relative to the package root, as the page shows it.
    relative: str
    #: "page", "download", "withheld" or "folder".
    form: str
    #: Path under the output folder of its page (text, withheld, folder) or copy (download).
    target: str
    #: For "withheld": why (a key of :mod:`.artifact_labels`); the lines of its secrets.
    reason: str = ""
    secret_lines: tuple[int, ...] = ()
    #: SHA-256 computed by this build (files only).
    sha256: str = ""
    size: int = 0
    #: For "folder": its files; for a file in a folder: that folder.
    files: list[Published] = field(default_factory=list)
    folder: Published | None = None
    #: The records pointing at it (for a file in a folder: at the folder).
    records: list[EvidenceStatus] = field(default_factory=list)
    #: record id -> the checks it proves.
    proves: dict[str, list[CheckStatus]] = field(default_factory=dict)

    @property
    def download(self) -> bool:
        return self.form == "download"


@dataclass
class Plan:
    verdict: Verdict
    #: The artifact as a record writes it -> what is published of it.
    by_artifact: dict[str, Published] = field(default_factory=dict)

    def entries(self) -> Iterable[Published]:
        """Every published entry once, folders' files included."""
        seen: set[str] = set()
        for entry in self.by_artifact.values():
            for item in (entry, *entry.files):
                if item.target not in seen:
                    seen.add(item.target)
                    yield item


_PLANS: weakref.WeakKeyDictionary[Sphinx, Plan] = weakref.WeakKeyDictionary()
#: The longest file name most file systems take, in bytes.
_NAME_MAX = 255


def plan_of(app: Sphinx) -> Plan | None:
    """This build's plan (None before the verdict exists), made once per verdict."""
    verdict = state.get_verdict(app)
    if verdict is None:
        return None
    plan = _PLANS.get(app)
    if plan is None or plan.verdict is not verdict:
        # The verdict gains the build's warnings when it ends: same checks, same plan.
        if plan is not None and plan.verdict.checks == verdict.checks:
            plan.verdict = verdict
        else:
            plan = _PLANS[app] = make_plan(app, verdict)
    return plan


def uri_path(target: str) -> str:
    """*target* as a URL path: a file name may hold '#', '?', spaces or Japanese."""
    return quote(target, safe="/")


def make_plan(app: Sphinx, verdict: Verdict) -> Plan:
    build = state.of(app)
    files = build.artifacts or ArtifactFiles(build.root, (Path(app.outdir), Path(app.doctreedir)))
    secrets: dict[Path, list[int]] = {}
    for finding in build.secrets:
        secrets.setdefault(finding.path.resolve(), []).append(finding.line)
    planner = _Planner(files, secrets, build.scan, lambda text: redact(text, verdict.redactions))
    plan = Plan(verdict)
    by_source: dict[Path, Published] = {}
    for check in verdict.checks:
        for record in check.evidence:
            if is_url(record.artifact):
                continue
            entry = plan.by_artifact.get(record.artifact)
            if entry is None:
                entry = planner.entry(record.artifact)
                if entry is None:
                    continue
                entry = by_source.setdefault(entry.source, entry)
                plan.by_artifact[record.artifact] = entry
            if record.id not in entry.proves:
                entry.records.append(record)
                entry.proves[record.id] = []
            if check not in entry.proves[record.id]:
                entry.proves[record.id].append(check)
    for entry in by_source.values():
        for item in entry.files:
            item.records, item.proves = entry.records, entry.proves
    return plan


class _Planner:
    def __init__(
        self, files: ArtifactFiles, secrets: dict[Path, list[int]], scan: ScanResult, redact: Callable[[str], str]
    ) -> None:
        self.files = files
        self.confinement = files.confinement
        self.secrets = secrets
        self.scan = scan
        self.redact = redact

    def entry(self, artifact: str) -> Published | None:
        """What is published of *artifact*; None when confinement refuses it (the gate
        reports it as ``missing_artifact`` or ``artifact_outside``)."""
        source = self.files.check(artifact).path
        if source is None:
            return None
        try:
            files = self.confinement.folder_files(source) if source.is_dir() else None
        except (Refused, OSError):
            return None
        if files is None:
            return self.file(source)
        relative, page = self._names(source)
        folder = Published(source, relative, "folder", page)
        for path in files:
            item = self.file(path)
            if item is not None:
                item.folder = folder
                folder.files.append(item)
        return folder

    def file(self, source: Path) -> Published | None:
        relative, page = self._names(source)
        if source in self.secrets:
            return Published(source, relative, "withheld", page, SECRET, tuple(sorted(set(self.secrets[source]))))
        try:
            content = read_regular(source)
        except Refused:
            return None
        digest, size = hashlib.sha256(content).hexdigest(), len(content)
        scanned = self.scan.kind(source)
        if scanned is None or any(part in _UNSCANNED_NAMES for part in relative.split("/")):
            return Published(source, relative, "withheld", page, UNSCANNED, sha256=digest, size=size)
        if not self.scan.publishable(source):
            return Published(source, relative, "withheld", page, NOT_UTF8, sha256=digest, size=size)
        form = content_form(source.suffix, content)
        if form == "page":
            return Published(source, relative, "page", page, sha256=digest, size=size)
        if form == "download":
            return Published(source, relative, "download", f"{ARTIFACTS_DIR}/{relative}", sha256=digest, size=size)
        return Published(source, relative, "withheld", page, form, sha256=digest, size=size)

    def _names(self, source: Path) -> tuple[str, str]:
        """The path shown for *source* (any secret its name holds redacted) and where its
        page goes: beside its path, or, for a name that held a secret, under a digest of
        the path (the redacted names of two files could read alike)."""
        actual = source.relative_to(self.confinement.root).as_posix()
        shown = self.redact(actual)
        digest = hashlib.sha256(actual.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        if shown != actual:
            return shown, f"{ARTIFACTS_DIR}/withheld-{digest}.html"
        if len(f"{source.name}.html".encode("utf-8", "surrogatepass")) > _NAME_MAX:
            return shown, f"{ARTIFACTS_DIR}/long-{digest}.html"  # no room for ".html"
        return shown, f"{ARTIFACTS_DIR}/{shown}.html"


def content_form(suffix: str, content: bytes) -> str:
    """ "page" for text the scan reads, "download" for an inert binary type, else why not."""
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "page"
    magics = DOWNLOAD_TYPES.get(suffix.lower(), ())
    webp_or_other = suffix.lower() != ".webp" or content[8:12] == b"WEBP"
    if webp_or_other and any(content.startswith(magic) for magic in magics):
        return "download"
    return BINARY if b"\x00" in content or magics else NOT_UTF8
