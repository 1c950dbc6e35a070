"""The verbs that write a package: ``new``, ``init``, ``add runbook``, ``evidence add`` and
``rehash``, each its parser beside its handler (registered in ``handover_kit/cli.py``)."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from sphinx import locale as sphinx_locale

from sphinx_handover.i18n.messages import CATALOG

from ..cli_parser import Commands, Parser, date_value
from ..errors import ExitCode, UserError
from ..locate import package_or_containing
from ..runner import require_package
from . import init, questions, scaffold
from .add import RUNBOOK_CHAPTER, add_runbook
from .evidence_add import EvidenceRequest, add_evidence
from .option_values import shown
from .rehash import compare_hashes, write_hashes


def add_new_parser(commands: Commands) -> None:
    new = commands.add_parser("new", help="scaffold a new handover package in DIR")
    new.add_argument("directory", type=Path, metavar="DIR")
    new.add_argument("--no-input", action="store_true", help="take the defaults for unanswered questions")
    _answer_options(new)
    new.set_defaults(command=run_new)


def run_new(args: argparse.Namespace) -> int:
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


def add_init_parser(commands: Commands) -> None:
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
    adopt.set_defaults(command=run_init)


def run_init(args: argparse.Namespace) -> int:
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


def _given_answers(args: argparse.Namespace) -> dict[str, str]:
    """--answers FILE, then each --set KEY=VALUE, then --language: the later one wins."""
    given = questions.read_answers_file(args.answers) if args.answers else {}
    given.update(questions.parse_set(args.set))
    if args.language:
        given["language"] = args.language
    return given


def _quoted(path: Path | str) -> str:
    return shlex.quote(str(path))


def add_add_parser(commands: Commands) -> None:
    add = commands.add_parser("add", help="add a runbook from the template, listed in chapter 3")
    add.add_argument("kind", choices=["runbook"], help="what to add")
    add.add_argument(
        "name", metavar="TITLE", help="the runbook's title, in any language; its file name is made from it"
    )
    add.add_argument("--slug", help="the file name (without .md), e.g. cert-renewal: Latin letters, digits and -")
    add.add_argument(
        "--package", type=Path, metavar="DIR", help="the package (default: the one holding the current folder)"
    )
    add.set_defaults(command=run_add)


def run_add(args: argparse.Namespace) -> int:
    package = package_or_containing(args.package)
    added = add_runbook(package, args.name, slug=args.slug)
    for note in added.notes:
        print(f"handover: warning: {note}", file=sys.stderr)
    print(
        f"Created {os.path.relpath(added.path)}, listed in {package / RUNBOOK_CHAPTER} (its toctree and its table of runbooks)"
    )
    return ExitCode.READY


def add_evidence_parser(commands: Commands) -> None:
    evidence = commands.add_parser("evidence", help="record evidence: handover evidence add CHECK ARTIFACT ...")
    verbs = evidence.add_subparsers(title="verbs", required=True, parser_class=Parser)
    add = verbs.add_parser("add", help="record an evidence record for a check, with its artifact's SHA-256")
    add.add_argument("check", metavar="CHECK", help="the id of the check it proves, e.g. CHK_RESTORE_TEST")
    add.add_argument("artifact", type=Path, metavar="ARTIFACT", help="the artifact file, inside the package")
    add.add_argument("--owner", required=True, help="who produced the evidence (a person or team)")
    add.add_argument("--kind", help="the evidence kind (default: the check's :evidence_kind:)")
    add.add_argument("--result", choices=["pass", "fail"], default="pass", help="default: pass")
    add.add_argument("--date", type=date_value, metavar="YYYY-MM-DD", help="when it was produced (default: today)")
    add.add_argument("--measured-rto", metavar="DURATION", help="measured RTO, e.g. 45m (restore-test, dry-run)")
    add.add_argument("--measured-rpo", metavar="DURATION", help="measured RPO, e.g. 5m (restore-test)")
    add.add_argument("--id", metavar="EV_...", help="the record's id (default: made from the check and the date)")
    add.add_argument("--title", help="the record's title (default: kind and file name)")
    add.add_argument(
        "--file", type=Path, metavar="PAGE", help="append to this page instead of writing beside the check"
    )
    add.add_argument("--package", type=Path, default=Path("."), metavar="DIR", help="the package (default: .)")
    add.set_defaults(command=run_evidence_add)


def run_evidence_add(args: argparse.Namespace) -> int:
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


def add_rehash_parser(commands: Commands) -> None:
    rehash = commands.add_parser("rehash", help="list evidence whose artifact no longer matches its :sha256:")
    rehash.add_argument(
        "directory", type=Path, nargs="?", default=Path("."), metavar="DIR", help="the package (default: .)"
    )
    rehash.add_argument("--write", action="store_true", help="update those :sha256: lines (and nothing else)")
    rehash.set_defaults(command=run_rehash)


def run_rehash(args: argparse.Namespace) -> int:
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
