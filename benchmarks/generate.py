"""Write a synthetic handover package of about N needs, and its two reference twins.

The package is examples/ec-order-service (handover.yaml, index, traceability, the ten
chapters, the six runbooks and their evidence) plus synthetic runbooks
(:mod:`.runbooks`) until the need count is reached. It is READY on :data:`AS_OF`.
``bare/`` and ``plain/`` hold the same sources for sphinx-needs alone and for plain
Sphinx (:mod:`.variants`).

    python -m benchmarks.generate --needs 1000 OUT   # OUT/handover, OUT/bare, OUT/plain
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import blocks, variants
from .runbooks import NEEDS_PER_RUNBOOK, SyntheticRunbook, Template

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "ec-order-service"
#: The day after the T-7 review (2026-11-24): every check but T+30 is due.
AS_OF = dt.date(2026, 11, 25)
NEED_TYPES = ("req", "check", "evidence", "runbook")
VARIANTS = ("handover", "bare", "plain")

#: The example's chapter 3 lists its six runbooks; the package lists every runbook.
_RUNBOOK_TOCTREE = "```{toctree}\n:maxdepth: 1\n:caption: 手順書\n:glob:\n\n/runbooks/*\n```\n"
#: A diagram of every need is unreadable at thousands and costs Graphviz superlinear
#: time in every variant alike; chapter 10's diagram keeps to the chapters' needs.
_NEEDFLOW_FILTER = ':filter: type in ["req", "check", "evidence"] and docname.startswith("chapters/")'


@dataclass(frozen=True)
class Generated:
    root: Path
    needs: int
    runbooks: list[SyntheticRunbook]

    def package(self, variant: str) -> Path:
        return self.root / variant

    @property
    def edited(self) -> SyntheticRunbook:
        """The runbook the incremental benchmark edits."""
        return self.runbooks[len(self.runbooks) // 2]


def generate(needs: int, out: Path, as_of: dt.date = AS_OF) -> Generated:
    handover = out / "handover"
    if handover.exists():
        raise FileExistsError(f"{handover} exists")
    base = _copy_example(handover)
    count = max(1, round((needs - base) / NEEDS_PER_RUNBOOK))
    templates = [Template.read(path) for path in sorted((EXAMPLE / "runbooks").glob("*.md"))]
    runbooks = [SyntheticRunbook(n, templates[(n - 1) % len(templates)], as_of) for n in range(1, count + 1)]
    for runbook in runbooks:
        artifacts = runbook.artifacts()
        for path, text in artifacts.items():
            _write(handover / path, text)
        _write(handover / f"{runbook.docname}.md", runbook.page(artifacts))
    variants.write_twins(handover, out / "bare", out / "plain")
    return Generated(out, base + count * NEEDS_PER_RUNBOOK, runbooks)


def count_needs(package: Path) -> int:
    text = "".join(path.read_text(encoding="utf-8") for path in package.rglob("*.md"))
    return sum(len(blocks.find(text, kind)) for kind in NEED_TYPES)


def _copy_example(target: Path) -> int:
    """Copy the example's sources; return its need count."""
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("_build", ".*"))
    chapter3 = target / "chapters" / "03-runbooks.md"
    chapter3.write_text(blocks.rewrite(chapter3.read_text(encoding="utf-8"), _runbook_toctree), encoding="utf-8")
    chapter10 = target / "chapters" / "10-acceptance.md"
    chapter10.write_text(blocks.rewrite(chapter10.read_text(encoding="utf-8"), _chapter_needflow), encoding="utf-8")
    return count_needs(target)


def _runbook_toctree(block: blocks.Block) -> str | None:
    return _RUNBOOK_TOCTREE if block.name == "toctree" else None


def _chapter_needflow(block: blocks.Block) -> str | None:
    if block.name != "needflow":
        return None
    options = [f":{key}: {value}" for key, value in block.options if key != "filter"]
    return "\n".join(["```{needflow}", _NEEDFLOW_FILTER, *options, "```"]) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=1000, help="about this many needs (default 1000)")
    parser.add_argument("out", type=Path, help="folder to create: OUT/handover, OUT/bare, OUT/plain")
    args = parser.parse_args(argv)
    generated = generate(args.needs, args.out)
    print(
        f"{generated.needs} needs in {len(generated.runbooks)} synthetic runbooks: {', '.join(str(generated.package(v)) for v in VARIANTS)}"
    )
    print(f"handover build {generated.package('handover')} --as-of {AS_OF}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
