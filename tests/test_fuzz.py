"""Property-based tests: no value in handover.yaml and no need option makes `handover
build` or `handover check` end in an uncaught exception (exit 3, a traceback).

Every outcome that is an answer is fine: ready (0), not ready (1), input error (2).
CI runs a fixed, reproducible set of examples; for a longer random search:
``HANDOVER_FUZZ=deep HANDOVER_FUZZ_EXAMPLES=300 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import string
from collections.abc import Iterator
from typing import Any

import yaml
from conftest import AS_OF, EXAMPLES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_gate_rules import CHECK, REQ

DEEP = os.environ.get("HANDOVER_FUZZ") == "deep"
FUZZ = settings(
    max_examples=int(os.environ.get("HANDOVER_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=not DEEP,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EXAMPLE_YAML = (EXAMPLES / "ec-order-service" / "handover.yaml").read_text("utf-8")

#: Pages using every data view, so rendering is exercised as well as the rules.
DATA_VIEWS = """\
# Views

```{handover-sla-chain}
```

```{handover-raci}
```

```{handover-coverage}
```

```{handover-escalation}
```

```{handover-hypercare}
```

```{handover-timeline}
```

```{handover-checklist}
```

```{handover-charts}
```

```{handover-traceability}
```
"""

#: Values a handover author might really write, valid or nearly so.
DOMAIN_WORDS = [
    "24x7", "24/365", "Mon-Fri 09:00-18:00", "平日 9:00-18:00", "Sat 22:00-06:00", "30m", "4h",
    "1h30m", "2d", "0m", "-1h", "<= 2h", ">= 95%", "< 0.5%", "== 1", "TBD", "未定", "?", "N/A",
    "2026-02-30", "2026-11-20", "9999-12-31", "R", "A", "A/R", "C", "I", "RA", "P1", "S1",
    "yes", "no", "corrective", "予防保守", "", " ", "vault: ops/db", "T-7", "T+30", "CHK_NOPE",
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(DOMAIN_WORDS),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["who", "na", "sla", "x", "level", "hours"]) | st.text(max_size=8), inner, max_size=4
        )
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in the document that holds a value: mapping keys and list items."""
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


EXAMPLE_DATA = yaml.safe_load(EXAMPLE_YAML)
EXAMPLE_PATHS = list(_paths(EXAMPLE_DATA))


def _replaced(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replaced(data[head], tuple(rest), value)
    return copy


def assert_answers(result) -> None:
    """Any verdict or located input error; never an internal error."""
    event(f"exit {result.code}")  # shown by --hypothesis-show-statistics
    assert result.code in (0, 1, 2), result.output
    assert "Traceback" not in result.output, result.output
    if result.code == 2:
        assert result.err.strip(), "an input error must say what is wrong"


def fuzz_package(package, handover_yaml: str):
    package.page("req", REQ)
    package.page("checks", CHECK)
    package.page("views", DATA_VIEWS)
    (package.root / "handover.yaml").write_text(handover_yaml, "utf-8")


def _like(original: Any) -> st.SearchStrategy:
    """A value of the original's kind, so most cases get past parsing to the rules and views."""
    if isinstance(original, bool):
        return st.booleans()
    if isinstance(original, int):
        return st.integers(min_value=-5, max_value=10**6)
    if isinstance(original, dt.date):
        return st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))
    if isinstance(original, str):
        return st.sampled_from(DOMAIN_WORDS) | st.text(max_size=20)
    return yaml_values


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


@FUZZ
@given(path=st.sampled_from(EXAMPLE_PATHS), data=st.data())
def test_any_value_anywhere_in_handover_yaml(cli, tmp_path_factory, path, data):
    value = data.draw(_like(_get(EXAMPLE_DATA, path)) | yaml_values)
    package = _fresh_package(tmp_path_factory)
    changed = _replaced(EXAMPLE_DATA, path, value)
    fuzz_package(package, yaml.safe_dump(changed, allow_unicode=True, sort_keys=False))
    assert_answers(cli("build", package.root, "--as-of", AS_OF))


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(EXAMPLE_YAML)),
    cut=st.integers(0, 40),
    insert=st.text(max_size=20)
    | st.sampled_from(["\n", ": ", "- ", "  ", "\t", "{", "[", "&a", "*a", "!!python/object:os.system", "'", '"']),
)
def test_any_edit_of_the_handover_yaml_text(cli, tmp_path_factory, position, cut, insert):
    package = _fresh_package(tmp_path_factory)
    fuzz_package(package, EXAMPLE_YAML[:position] + insert + EXAMPLE_YAML[position + cut :])
    assert_answers(cli("check", package.root, "--as-of", AS_OF))


OPTION_NAMES = [
    "id",
    "proves",
    "date",
    "owner",
    "artifact",
    "result",
    "kind",
    "sha256",
    "verifies",
    "gate",
    "max_age",
    "evidence_kind",
    "last_exercised",
    "status",
    "tags",
    "links",
    "delete",
    "collapse",
    "layout",
    "template",
]
option_names = st.sampled_from(OPTION_NAMES) | st.text(alphabet=string.ascii_lowercase + "_-", min_size=1, max_size=12)
option_values = st.sampled_from(
    [
        *DOMAIN_WORDS,
        "EV_MON",
        "CHK_MON",
        "REQ_MON",
        "evidence/log.txt",
        "../x",
        "/etc/passwd",
        "https://example.com/a",
        "true",
        "0" * 64,
    ]
) | st.text(max_size=25)


@FUZZ
@given(
    directive=st.sampled_from(["evidence", "check", "req", "runbook"]),
    title=st.text(max_size=30),
    options=st.dictionaries(option_names, option_values, max_size=8),
    body=st.text(max_size=60),
    command=st.sampled_from(["build", "check"]),
)
def test_any_need_options(cli, tmp_path_factory, directive, title, options, body, command):
    package = _fresh_package(tmp_path_factory)
    package.page("req", REQ)
    package.page("checks", CHECK)
    package.artifact("evidence/log.txt", "restore finished\n")
    lines = "".join(f":{name}: {value}\n" for name, value in options.items())
    package.page("fuzz", f"# Fuzz\n\n```{{{directive}}} {title}\n{lines}\n{body}\n```\n")
    assert_answers(cli(command, package.root, "--as-of", AS_OF))


def _fresh_package(tmp_path_factory):
    from conftest import Package

    return Package(tmp_path_factory.mktemp("fuzz") / "pkg")
