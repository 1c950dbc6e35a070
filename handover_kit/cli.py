"""The ``handover`` command: new, init, build, check, add, evidence add, rehash, serve.

Exit codes: 0 ready, 1 not ready, 2 usage or input error, 3 internal error (a bug).
Expected errors become one line on stderr; only a bug shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shlex
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sphinx import locale as sphinx_locale
from sphinx.errors import ConfigError, ExtensionError, SphinxError

from sphinx_handover import Verdict
from sphinx_handover._version import __version__
from sphinx_handover.i18n.messages import CATALOG
from sphinx_handover.integration.gate import write_report
from sphinx_handover.model.errors import HandoverInputError, input_errors_raised
from sphinx_handover.model.package_conf import read_conf
from sphinx_handover.model.timeline import REVIEWS
from sphinx_handover.model.yamlsrc import parse_date
from sphinx_handover.secret_scan.redact_values import redact_data

from .authoring import init, questions, scaffold
from .authoring.add import RUNBOOK_CHAPTER, add_runbook
from .authoring.evidence_add import EvidenceRequest, add_evidence
from .authoring.option_values import shown
from .authoring.rehash import compare_hashes, write_hashes
from .builder_output import discard_builder_output
from .errors import ExitCode, UserError
from .export.pdf import export_pdf
from .export.xlsx import export_xlsx
from .locate import package_or_containing
from .review import diff, signoff
from .review.junit import write_junit
from .review.summary import verdict_line, write_summary
from .runner import REPORT_NAME, BuildRequest, require_package, run


def main(argv: Sequence[str] | None = None, *, then_exit: bool = False) -> int:
    """Run one command; *then_exit*: the process ends right after (see entrypoint)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version or a usage error
        return int(exc.code or 0)
    args.then_exit = then_exit
    try:
        with input_errors_raised():
            return int(args.command(args))
    except (UserError, HandoverInputError, ConfigError) as exc:
        _error(str(exc))
    except SphinxError as exc:
        if isinstance(exc, ExtensionError) and isinstance(exc.orig_exc, OSError) and exc.orig_exc.filename:
            _error(_file_system_error(exc.orig_exc))
        elif isinstance(exc, ExtensionError) and exc.orig_exc is not None:
            return _internal_error(exc)
        else:
            _error(f"{exc.category}: {exc}")
    except OSError as exc:
        if not exc.filename:
            return _internal_error(exc)
        _error(_file_system_error(exc))
    except KeyboardInterrupt:
        _error("interrupted; nothing was left half-written")
        return ExitCode.INTERRUPTED
    except Exception as exc:
        return _internal_error(exc)
    return ExitCode.INPUT_ERROR


def entrypoint() -> None:
    code = main(sys.argv[1:], then_exit=True)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (handover check --json | head)
            stream.flush()
    if sys.getprofile() or sys.gettrace():
        sys.exit(code)  # a profiler or coverage writes its data at exit
    # As mypy does (mypy.util.hard_exit): the objects of a whole build are not freed one
    # by one on the way out, which took over a second at 1,000 needs.
    os._exit(code)


def _new(args: argparse.Namespace) -> int:
    answers = questions.collect(_given_answers(args), interactive=not args.no_input)
    scaffold.create(args.directory, scaffold.render(answers))
    build = f"handover build {_quoted(args.directory)}"
    if answers.language == "ja":
        print(f"作成しました：{args.directory}（ja）：{answers.system_name}、リリース日 {answers.release_date}")
        print(f"次に：各章を記入し、エビデンスを記録してから実行してください：{build}")
    else:
        print(f"Created {args.directory} ({answers.language}): {answers.system_name}, release {answers.release_date}")
        print(f"Next: fill in the chapters, add evidence, then run: {build}")
    return ExitCode.READY


def _given_answers(args: argparse.Namespace) -> dict[str, str]:
    """--answers FILE, then each --set KEY=VALUE, then --language: the later one wins."""
    given = questions.read_answers_file(args.answers) if args.answers else {}
    given.update(questions.parse_set(args.set))
    if args.language:
        given["language"] = args.language
    return given


def _init(args: argparse.Namespace) -> int:
    root = init.require_sphinx_project(args.directory)
    given = _given_answers(args)
    if "language" not in given and (stated := init.conf_language(root)):
        given["language"] = stated  # the site's language is the project's
    if problem := init.conf_language_mismatch(root, given.get("language", questions.DEFAULT_LANGUAGE)):
        raise UserError(problem)
    answers = questions.collect(given, interactive=not args.no_input)
    adoption = init.adopt(root, answers)
    where = _quoted(args.directory)
    print(
        f"Added handover.yaml and {len(adoption.files) - 1} files to {args.directory} ({answers.language}); nothing of the project was changed"
    )
    steps = []
    if not adoption.conf_lists_extension:
        steps.append(
            f'in {_quoted(args.directory / "conf.py")}, add "sphinx_handover" to extensions (it loads myst_parser and '
            'sphinx_needs itself): extensions = [..., "sphinx_handover"]; your theme, project and title stay yours'
        )
    steps.append(f"list the handover's cover in your index's toctree: {init.COVER.removesuffix('.md')}")
    steps.append(
        f"build: sphinx-build {where} {_quoted(args.directory / '_build' / 'html')} (runs conf.py), or "
        f"handover build {where} while conf.py holds only settings handover reads without running it (see its README)"
    )
    print("Next:")
    for number, step in enumerate(steps, 1):
        print(f"  {number}. {step}")
    return ExitCode.READY


def _quoted(path: Path | str) -> str:
    return shlex.quote(str(path))


def _build(args: argparse.Namespace) -> int:
    args.directory = package_or_containing(args.directory)
    request = BuildRequest(
        package=args.directory,
        out=args.out or args.directory / "_build",
        as_of=args.as_of,
        gate=args.gate,
        html=True,
        verbose=args.verbose,
        then_exit=args.then_exit,
    )
    verdict = run(request)
    with _reader_may_leave():
        _summary(verdict, sys.stdout)
        print(f"site:   {request.site / 'index.html'}")
        print(f"report: {request.report}")
    _write_views(verdict, args)
    return _exit_code(verdict)


def _check(args: argparse.Namespace) -> int:
    args.directory = package_or_containing(args.directory)
    request = BuildRequest(
        package=args.directory,
        out=args.out or args.directory / "_build",
        as_of=args.as_of,
        gate=args.gate,
        html=False,
        verbose=args.verbose,
        then_exit=args.then_exit,
    )
    verdict = run(request)
    discard_builder_output(request.out / "check")
    if args.out is not None:
        write_report(verdict, request.report)
    with _reader_may_leave():
        if args.json:
            report = redact_data(verdict.as_dict(), verdict.redactions)
            sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        else:
            _summary(verdict, sys.stdout)
    _write_views(verdict, args)
    return _exit_code(verdict)


@contextmanager
def _reader_may_leave() -> Iterator[None]:
    """`handover check --json | head` closes the pipe early: the JUnit file is still
    written and the verdict still decides the exit code."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # As the Python docs advise: nothing more may reach the closed pipe, not even at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _write_views(verdict: Verdict, args: argparse.Namespace) -> None:
    """The JUnit XML and the Markdown summary asked for: views of the same verdict."""
    if args.junit is not None:
        write_junit(verdict, args.junit)
    if args.summary is not None:
        write_summary(verdict, args.summary)


def _add(args: argparse.Namespace) -> int:
    package = package_or_containing(args.package)
    added = add_runbook(package, args.name, slug=args.slug)
    for note in added.notes:
        print(f"handover: warning: {note}", file=sys.stderr)
    print(
        f"Created {os.path.relpath(added.path)}, listed in {package / RUNBOOK_CHAPTER} (its toctree and its table of runbooks)"
    )
    return ExitCode.READY


def _evidence_add(args: argparse.Namespace) -> int:
    _messages_in_english()
    request = EvidenceRequest(
        package=args.package,
        check=args.check,
        artifact=args.artifact,
        owner=args.owner,
        kind=args.kind,
        result=args.result,
        date=args.date,
        measured_rto=args.measured_rto,
        measured_rpo=args.measured_rpo,
        record_id=args.id,
        title=args.title,
        page=args.file,
    )
    written = add_evidence(request)
    print(f"{os.path.relpath(written.path)}:{written.line}: added {written.id} (proves {args.check})")
    print(f"  artifact {written.artifact}, sha256 {written.sha256}")
    for note in written.notes:
        print(f"handover: note: {note}", file=sys.stderr)
    return ExitCode.READY


def _export(args: argparse.Namespace) -> int:
    """The verdict as a workbook (checked as `handover check` does), or the go / no-go
    sheet as a PDF (built as `handover build` does, then printed)."""
    args.directory = package_or_containing(args.directory)
    request = BuildRequest(
        package=args.directory,
        out=args.directory / "_build",
        as_of=args.as_of,
        gate=args.gate,
        html=False,
        verbose=args.verbose,
        then_exit=args.then_exit,
    )
    what, write, default = _EXPORTS[args.format]
    out = args.out or args.directory / "_build" / default
    verdict = write(request, out)
    with _reader_may_leave():
        _summary(verdict, sys.stdout)
        print(f"{what}: {out}")
    return _exit_code(verdict)


_EXPORTS = {"xlsx": ("workbook", export_xlsx, "handover.xlsx"), "pdf": ("go / no-go sheet", export_pdf, "go-no-go.pdf")}


def _rehash(args: argparse.Namespace) -> int:
    _messages_in_english()
    root = require_package(args.directory)
    mismatches, unhashable = compare_hashes(root)
    for problem in unhashable:
        print(
            f"{problem.where}: {shown(problem.record.id)}: cannot be hashed: {shown(problem.reason)}", file=sys.stderr
        )
    for mismatch in mismatches:
        print(
            f"{mismatch.where}: {shown(mismatch.record.id)}: {shown(mismatch.artifact)} no longer matches its :sha256:"
        )
        print(f"  recorded {shown(mismatch.recorded)}")
        print(f"  file now {mismatch.actual}")
    if mismatches and args.write:
        write_hashes(mismatches)
        pages = len({mismatch.record.page.path for mismatch in mismatches})
        print(f"Updated :sha256: of {len(mismatches)} record(s) in {pages} file(s)")
    elif mismatches:
        print(
            f"{len(mismatches)} record(s) do not match; if the changes are intended, run: handover rehash {shlex.quote(str(args.directory))} --write"
        )
    elif not unhashable:
        print("Every hashed artifact matches its record")
    return ExitCode.NOT_READY if unhashable or (mismatches and not args.write) else ExitCode.READY


def _messages_in_english() -> None:
    """The extension's reasons (why a path is refused) join this command's English
    lines; a Japanese build earlier in this process leaves its catalog loaded."""
    sphinx_locale.translators.pop(("general", CATALOG), None)


def _serve(args: argparse.Namespace) -> int:
    """Live preview: sphinx-autobuild rebuilds the site on every save and reloads the page."""
    try:
        from sphinx_autobuild.__main__ import main as autobuild
    except ImportError:
        raise UserError(
            "handover serve needs sphinx-autobuild, an optional extra: pip install 'handover-kit[serve]'"
        ) from None
    args.directory = package_or_containing(args.directory)
    package = require_package(args.directory)
    out = args.directory / "_build"
    # Its own output and doctrees (_build/serve): a preview never invalidates the next
    # `handover build`'s cache, nor the build the preview's.
    # -C: Sphinx runs no conf.py; its literal settings come as -D, as `handover build` takes them.
    # -q: only warnings, as `handover build` shows them.
    argv = [str(package), str(out / "serve" / "html"), "--doctree-dir", str(out / "serve" / "doctrees"), "-C", "-q"]
    conf = read_conf(package / "conf.py", os.path.relpath(package / "conf.py"))
    overrides = {
        **{name: ",".join(value) if isinstance(value, list) else value for name, value in conf.items()},
        "handover_report": f"../{REPORT_NAME}",
        "handover_fail_on_not_ready": "0",
        "handover_as_of": args.as_of,
        "handover_gate": args.gate,
    }
    for name, value in overrides.items():
        if value:
            argv += ["-D", f"{name}={value}"]
    argv += ["--host", args.host, "--port", str(args.port), "--ignore", str(out.resolve())]
    # Each rebuild is a `python -m sphinx` process: deprecation notices about Sphinx's API
    # inside dependencies are not the user's business there either.
    os.environ["PYTHONWARNINGS"] = ",".join(
        filter(
            None, [os.environ.get("PYTHONWARNINGS"), "ignore::DeprecationWarning", "ignore::PendingDeprecationWarning"]
        )
    )
    autobuild(argv)
    return ExitCode.READY


def _exit_code(verdict: Verdict) -> int:
    return ExitCode(verdict.exit_code)


def _summary(verdict: Verdict, stream) -> None:
    """The verdict in one line, in the package's language."""
    print(verdict_line(verdict), file=stream)


def _file_system_error(error: OSError) -> str:
    """A file the build could not read or write (a read-only output folder, a full disk,
    a name too long for the file system): one line naming it, not a traceback."""
    return f"{os.path.relpath(os.fsdecode(error.filename))}: {error.strerror or error}"


def _error(message: str) -> None:
    print(f"handover: error: {message}", file=sys.stderr)


def _internal_error(exc: BaseException) -> int:
    traceback.print_exception(exc, file=sys.stderr)
    print(
        "handover: internal error (a bug in handover-kit or a Sphinx extension); please report it with the traceback above",
        file=sys.stderr,
    )
    return ExitCode.INTERNAL_ERROR


def _date(value: str) -> dt.date:
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid date (YYYY-MM-DD)")
    return parsed


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for every input error
        self.exit(ExitCode.INPUT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="handover", description="Operations handover packages as docs-as-code.")
    parser.add_argument("--version", action="version", version=f"handover-kit {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, parser_class=_Parser)

    new = commands.add_parser("new", help="scaffold a new handover package in DIR")
    new.add_argument("directory", type=Path, metavar="DIR")
    new.add_argument("--no-input", action="store_true", help="take the defaults for unanswered questions")
    _answer_options(new)
    new.set_defaults(command=_new)

    adopt = commands.add_parser(
        "init", help="add handover.yaml and the handover pages to an existing Sphinx project (never overwrites)"
    )
    adopt.add_argument(
        "directory",
        type=Path,
        nargs="?",
        default=Path("."),
        metavar="DIR",
        help="the folder holding conf.py (default: .)",
    )
    adopt.add_argument("--no-input", action="store_true", help="take the defaults for unanswered questions")
    _answer_options(adopt)
    adopt.set_defaults(command=_init)

    add = commands.add_parser("add", help="add a runbook from the template, listed in chapter 3")
    add.add_argument("kind", choices=["runbook"], help="what to add")
    add.add_argument(
        "name", metavar="TITLE", help="the runbook's title, in any language; its file name is made from it"
    )
    add.add_argument("--slug", help="the file name (without .md), e.g. cert-renewal: Latin letters, digits and -")
    add.add_argument(
        "--package", type=Path, metavar="DIR", help="the package (default: the one holding the current folder)"
    )
    add.set_defaults(command=_add)

    _evidence_parser(commands)
    _export_parser(commands)
    signoff.add_parser(commands)
    diff.add_parser(commands)
    rehash = commands.add_parser("rehash", help="list evidence whose artifact no longer matches its :sha256:")
    rehash.add_argument(
        "directory", type=Path, nargs="?", default=Path("."), metavar="DIR", help="the package (default: .)"
    )
    rehash.add_argument("--write", action="store_true", help="update those :sha256: lines (and nothing else)")
    rehash.set_defaults(command=_rehash)

    serve = commands.add_parser("serve", help="live preview: rebuild on every save (needs handover-kit[serve])")
    serve.add_argument("directory", type=Path, nargs="?", metavar="DIR", help=_PACKAGE_HELP)
    serve.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="evaluate on this day (default: today)")
    serve.add_argument("--gate", choices=list(REVIEWS), help="the review to evaluate")
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(command=_serve)

    for name, function, help_text in (
        ("build", _build, "build the HTML site and the JSON report; exit 1 when not ready"),
        ("check", _check, "run the gate without writing HTML (faster); exit 1 when not ready"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("directory", type=Path, nargs="?", metavar="DIR", help=_PACKAGE_HELP)
        sub.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="evaluate on this day (default: today)")
        sub.add_argument(
            "--gate",
            choices=list(REVIEWS),
            help="the review to evaluate (default: the latest review held by the as-of date)",
        )
        sub.add_argument(
            "--out",
            type=Path,
            metavar="OUT",
            help="output folder (default: DIR/_build)" + ("; the report is written there" if name == "check" else ""),
        )
        sub.add_argument("--junit", type=Path, metavar="FILE", help="also write the verdict as JUnit XML")
        sub.add_argument(
            "--summary", type=Path, metavar="FILE", help="also write the verdict as Markdown (for $GITHUB_STEP_SUMMARY)"
        )
        sub.add_argument("-v", "--verbose", action="store_true", help="show Sphinx's progress")
        if name == "check":
            sub.add_argument("--json", action="store_true", help="print the verdict as JSON on stdout")
        sub.set_defaults(command=function)
    return parser


_PACKAGE_HELP = "the package (default: the one holding the current folder, found upwards)"


def _answer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", choices=["ja", "en"], help="the package's language (asked otherwise)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"an answer, repeatable; keys: {', '.join(questions.KEYS)}",
    )
    parser.add_argument("--answers", type=Path, metavar="FILE", help="YAML file with the answers (the same keys)")


def _evidence_parser(commands) -> None:
    evidence = commands.add_parser("evidence", help="record evidence: handover evidence add CHECK ARTIFACT ...")
    verbs = evidence.add_subparsers(title="verbs", required=True, parser_class=_Parser)
    add = verbs.add_parser("add", help="record an evidence record for a check, with its artifact's SHA-256")
    add.add_argument("check", metavar="CHECK", help="the id of the check it proves, e.g. CHK_RESTORE_TEST")
    add.add_argument("artifact", type=Path, metavar="ARTIFACT", help="the artifact file, inside the package")
    add.add_argument("--owner", required=True, help="who produced the evidence (a person or team)")
    add.add_argument("--kind", help="the evidence kind (default: the check's :evidence_kind:)")
    add.add_argument("--result", choices=["pass", "fail"], default="pass", help="default: pass")
    add.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="when it was produced (default: today)")
    add.add_argument("--measured-rto", metavar="DURATION", help="measured RTO, e.g. 45m (restore-test, dry-run)")
    add.add_argument("--measured-rpo", metavar="DURATION", help="measured RPO, e.g. 5m (restore-test)")
    add.add_argument("--id", metavar="EV_...", help="the record's id (default: made from the check and the date)")
    add.add_argument("--title", help="the record's title (default: kind and file name)")
    add.add_argument(
        "--file", type=Path, metavar="PAGE", help="append to this page instead of writing beside the check"
    )
    add.add_argument("--package", type=Path, default=Path("."), metavar="DIR", help="the package (default: .)")
    add.set_defaults(command=_evidence_add)


def _export_parser(commands) -> None:
    export = commands.add_parser(
        "export", help="the verdict as a workbook (xlsx) or the go / no-go sheet as a PDF (pdf)"
    )
    export.add_argument(
        "format",
        choices=list(_EXPORTS),
        help="xlsx: one Excel workbook (checklist, problems, RACI, coverage, SLA chain...); "
        "pdf: the go / no-go sheet (needs handover-kit[pdf])",
    )
    export.add_argument("directory", type=Path, nargs="?", metavar="DIR", help=_PACKAGE_HELP)
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="the file to write (default: DIR/_build/handover.xlsx or go-no-go.pdf)"
    )
    export.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="evaluate on this day (default: today)")
    export.add_argument(
        "--gate",
        choices=list(REVIEWS),
        help="the review to evaluate (default: the latest review held by the as-of date)",
    )
    export.add_argument("-v", "--verbose", action="store_true", help="show Sphinx's progress")
    export.set_defaults(command=_export)
