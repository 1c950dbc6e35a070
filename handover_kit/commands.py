"""The verbs that run the gate on a package: ``build``, ``check``, ``export`` and ``serve``,
each its parser beside its handler (registered in ``handover_kit/cli.py``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sphinx_handover import Verdict
from sphinx_handover.integration.gate import write_report
from sphinx_handover.model.package_conf import read_conf
from sphinx_handover.secret_scan.redact_values import redact_data

from .builder_output import discard_builder_output
from .cli_parser import Commands, add_gate_options, add_package_argument, add_verbose_option
from .errors import ExitCode, UserError
from .export.pdf import export_pdf
from .export.xlsx import export_xlsx
from .locate import package_or_containing
from .review.junit import write_junit
from .review.summary import verdict_line, write_summary
from .runner import REPORT_NAME, BuildRequest, require_output_file, require_package, run


def add_build_parsers(commands: Commands) -> None:
    for name, function, help_text in (
        ("build", run_build, "build the HTML site and the JSON report; exit 1 when not ready"),
        ("check", run_check, "run the gate without writing HTML (faster); exit 1 when not ready"),
    ):
        sub = commands.add_parser(name, help=help_text)
        add_package_argument(sub)
        add_gate_options(sub)
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
        add_verbose_option(sub)
        if name == "check":
            sub.add_argument("--json", action="store_true", help="print the verdict as JSON on stdout")
        sub.set_defaults(command=function)


def run_build(args: argparse.Namespace) -> int:
    request = _request(args, html=True, out=args.out)
    verdict = run(request)
    with _reader_may_leave():
        _summary(verdict, sys.stdout)
        print(f"site:   {request.site / 'index.html'}")
        print(f"report: {request.report}")
    _write_views(verdict, args)
    return _exit_code(verdict)


def run_check(args: argparse.Namespace) -> int:
    request = _request(args, html=False, out=args.out)
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


def _request(args: argparse.Namespace, *, html: bool, out: Path | None = None) -> BuildRequest:
    """The build of the package DIR names (or holds the current folder), at --as-of and
    --gate, into *out* (default: DIR/_build). DIR becomes the package found. The files
    asked for beside it are checked first: a bad one is refused before the build."""
    args.directory = package_or_containing(args.directory)
    package = require_package(args.directory)
    for option, example in (("junit", "handover-junit.xml"), ("summary", "handover-summary.md")):
        if getattr(args, option, None) is not None:
            require_output_file(package, getattr(args, option), f"--{option}", example)
    return BuildRequest(
        package=args.directory,
        out=out or args.directory / "_build",
        as_of=args.as_of,
        gate=args.gate,
        html=html,
        verbose=args.verbose,
        then_exit=args.then_exit,
    )


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


#: Per format: what is written, the function that checks the package and writes it, the
#: default file name in DIR/_build.
_EXPORTS: dict[str, tuple[str, Callable[[BuildRequest, Path], Verdict], str]] = {
    "xlsx": ("workbook", export_xlsx, "handover.xlsx"),
    "pdf": ("go / no-go sheet", export_pdf, "go-no-go.pdf"),
}


def add_export_parser(commands: Commands) -> None:
    export = commands.add_parser(
        "export", help="the verdict as a workbook (xlsx) or the go / no-go sheet as a PDF (pdf)"
    )
    export.add_argument(
        "format",
        choices=list(_EXPORTS),
        help="xlsx: one Excel workbook (checklist, problems, RACI, coverage, SLA chain...); "
        "pdf: the go / no-go sheet (needs handover-kit[pdf])",
    )
    add_package_argument(export)
    export.add_argument(
        "--out",
        dest="out_file",
        type=Path,
        metavar="FILE",
        help="the file to write (default: DIR/_build/handover.xlsx or go-no-go.pdf)",
    )
    add_gate_options(export)
    add_verbose_option(export)
    export.set_defaults(command=run_export)


def run_export(args: argparse.Namespace) -> int:
    """The verdict as a workbook (checked as `handover check` does), or the go / no-go
    sheet as a PDF (built as `handover build` does, then printed)."""
    request = _request(args, html=False)
    what, write, default = _EXPORTS[args.format]
    out = require_output_file(request.package, args.out_file, "--out", default) if args.out_file else None
    out = out or args.directory / "_build" / default
    verdict = write(request, out)
    with _reader_may_leave():
        _summary(verdict, sys.stdout)
        print(f"{what}: {out}")
    return _exit_code(verdict)


def add_serve_parser(commands: Commands) -> None:
    serve = commands.add_parser("serve", help="live preview: rebuild on every save (needs handover-kit[serve])")
    add_package_argument(serve)
    add_gate_options(serve, gate_help="the review to evaluate")
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.set_defaults(command=run_serve)


def run_serve(args: argparse.Namespace) -> int:
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


def _summary(verdict: Verdict, stream: TextIO) -> None:
    """The verdict in one line, in the package's language."""
    print(verdict_line(verdict), file=stream)
