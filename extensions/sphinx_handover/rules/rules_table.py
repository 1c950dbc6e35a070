"""Every rule id the gate reports, in one table.

Each id is shown as ``[handover.<id>]`` and can be silenced with Sphinx's
``suppress_warnings = ["handover.<id>"]``. The README's rule reference is this table.
"""

from __future__ import annotations

from enum import Enum


class Rule(str, Enum):
    """A stable rule id; the member's docstring-like description says what it catches."""

    description: str

    def __new__(cls, value: str, description: str) -> Rule:
        member = str.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    MISSING_EVIDENCE = (
        "missing_evidence",
        "a check due at the evaluated review has no valid evidence record",
    )
    STALE_EVIDENCE = (
        "stale_evidence",
        (
            "evidence older than its allowed age (the check's max_age, else the policy for its kind), counted at the "
            "review the check is due at (or the as-of date, if earlier; always the as-of date with :freshness: "
            "continuous)"
        ),
    )
    FUTURE_EVIDENCE = ("future_evidence", "evidence dated after the as-of date")
    FAILED_EVIDENCE = ("failed_evidence", "evidence whose result is 'fail': it does not count")
    MISSING_ARTIFACT = (
        "missing_artifact",
        (
            "the evidence artifact does not exist, is empty, or is no regular file (a FIFO, a device, a symlink "
            "loop, a folder holding a link to a folder)"
        ),
    )
    ARTIFACT_OUTSIDE = (
        "artifact_outside",
        (
            "the artifact, or a file of its folder, resolves outside the package root ('..', an absolute path, "
            "a symlink out) or into the build's output"
        ),
    )
    ARTIFACT_HASH = ("artifact_hash", "the artifact does not match its :sha256:")
    UNCOVERED_REQUIREMENT = ("uncovered_requirement", "a requirement that no check verifies")
    WRONG_LINK_TYPE = (
        "wrong_link_type",
        "a link to a need of the wrong type (evidence proving a requirement, a check verifying a check)",
    )
    UNKNOWN_ID = ("unknown_id", "a link to a need id that does not exist")
    MISSING_OPTION = ("missing_option", "a required option of a need is missing (input error, exit 2)")
    INVALID_OPTION = ("invalid_option", "an option value is not valid: date, gate, result, ... (input error, exit 2)")
    UNKNOWN_OPTION = (
        "unknown_option",
        "a need option that no need type takes, with a did-you-mean (input error, exit 2)",
    )
    SET_ELSEWHERE = (
        "set_elsewhere",
        (
            "a field the gate reads (result, date, artifact, sha256, proves, verifies, gate, owner, ...) has another "
            "value than the need's block writes: set by needextend, a dynamic function, a variant or a default of "
            "conf.py; read as written (input error, exit 2)"
        ),
    )
    HIDDEN_NEED = (
        "hidden_need",
        (
            "a need the site would not show in its one form where it is written: :hide:, :collapse:, :layout: or "
            ":style: set in its block, by needextend or by a default; written inside {only}, a container, a table, "
            "another need or any block but a section, a list, a quote or a named admonition, or inside one with a "
            "class (input error, exit 2)"
        ),
    )
    DUPLICATE_ID = ("duplicate_id", "a need id written twice; both places are named (input error, exit 2)")
    ID_PREFIX = ("id_prefix", "a need id does not start with its type's prefix (REQ_, CHK_, EV_, RB_)")
    OUTSIDE_PACKAGE = (
        "outside_package",
        "a page, include, image, download or other file a page names that resolves outside the package or into "
        "the build's output, or is not a regular file (a FIFO, a device, a symlink loop, a link to a folder)",
    )
    PAGE_LIMITS = (
        "page_limits",
        "a page beyond what the build reads: nested too deeply (an include of itself), a line over "
        "100,000 characters, a toctree that leads back to a page above it (input error, exit 2)",
    )
    SECRET = ("secret", "a password, key, token or connection string with a password in a package file")
    UNSCANNED_FILE = (
        "unscanned_file",
        "a package file the secret scan cannot read: text that is not UTF-8 (Shift_JIS, cp932 CSV) or unreadable; "
        "it is never published",
    )
    UNSAFE_HTML = ("unsafe_html", "raw HTML with <script>, an event-handler attribute or a javascript: URL")
    UNSAFE_EXPRESSION = (
        "unsafe_expression",
        (
            "Python that sphinx-needs would run while building: a filter outside the filter language (a call, "
            "name or attribute it does not hold), filter code, :filter-func:, a dynamic function's filter, "
            "needuml / needarch / needreport / needservice / needgantt / needsequence"
        ),
    )
    RACI_ACCOUNTABLE = ("raci_accountable", "a RACI row without exactly one accountable role (A)")
    RACI_RESPONSIBLE = ("raci_responsible", "a RACI row without a responsible role (R)")
    UNKNOWN_ROLE = ("unknown_role", "a RACI row or escalation level names a role that roles does not define")
    COVERAGE_HOLE = ("coverage_hole", "a coverage cell that is missing, empty or undecided (TBD, 未定, ?)")
    COVERAGE_NA_REASON = ("coverage_na_reason", "a coverage cell marked N/A without a reason")
    SLA_CHAIN = (
        "sla_chain",
        "an OLA or UC slower than the SLA it supports, or UC hours that do not cover the SLA hours",
    )
    CONTACT_UNTESTED = (
        "contact_untested",
        "an escalation level never tested, or tested longer ago than the policy allows",
    )
    HYPERCARE_EXIT = ("hypercare_exit", "at the T+30 review, a hypercare exit KPI unmeasured or outside its threshold")
    WAIVER_EXPIRED = ("waiver_expired", "a waiver past its expiry date: its check counts as missing again")
    WAIVER_INVALID = (
        "waiver_invalid",
        "a waiver for an unknown check, by an undefined role, or without reason or expiry",
    )
    TARGET_MISSED = (
        "target_missed",
        (
            "a restore test or dry run whose measured RTO or RPO is over the target (the check's :target_rto: / "
            ":target_rpo:, else service.rto / service.rpo): it does not count"
        ),
    )
    MEASUREMENT_MISSING = (
        "measurement_missing",
        (
            "a record of a kind that must be measured (policy.required_measurements: restore-test, dry-run) "
            "without its :measured_rto: / :measured_rpo:: it does not count"
        ),
    )
    REQUIRED_CHECK_MISSING = (
        "required_check_missing",
        "a check that policy.required_checks (default: every check the template ships) requires is not in the package",
    )
    RUNBOOK_UNEXERCISED = (
        "runbook_unexercised",
        (
            "a runbook never exercised, or last exercised longer ago than policy.max_age_days.runbook-exercise "
            "(default 365 days); blocks from the T-7 review unless waived"
        ),
    )
    RUNBOOK_OWNER = (
        "runbook_owner",
        "a runbook whose :owner: is still a placeholder ([FILL IN: owner], 【要記入】); blocks from the T-7 review",
    )
    PLACEHOLDER = (
        "placeholder",
        (
            "template text not yet filled in ([FILL IN], [CONFIRM], 【要記入】, 【要確認】) in a page, a need or "
            "handover.yaml; blocks from the review its check is due at (a check, its evidence, the requirements it "
            "verifies; a page: its earliest check), and every marker by T-7"
        ),
    )
    SIGNOFF_STALE = (
        "signoff_stale",
        (
            "the latest sign-off of a review approved other content than the current build's (needs, handover.yaml, "
            "artifacts; at its own review also the statuses and the verdict); blocks at a review of "
            "policy.signoff_required"
        ),
    )
    SIGNOFF_MISSING = (
        "signoff_missing",
        "at a review of policy.signoff_required, no go or conditional sign-off by the accountable role",
    )
    SIGNOFF_SIGNER = (
        "signoff_signer",
        (
            "a sign-off by someone its role does not name (roles.ROLE.who of handover.yaml), or by a role "
            "handover.yaml does not have; blocks at a review of policy.signoff_required"
        ),
    )
    PACKAGE_DATA = (
        "package_data",
        (
            "handover.yaml cannot be read as the package's data (invalid YAML or UTF-8, nested too deep, a wrong type, "
            "an unknown key, a bad date...): the build stops before reading the pages (input error, exit 2)"
        ),
    )
    PACKAGE_CONF = (
        "package_conf",
        (
            "conf.py sets what a handover package may not (or is not valid Python), a docutils.conf is present, the "
            "languages of conf.py and handover.yaml differ, or handover_as_of / handover_gate is not valid: the build "
            "stops (input error, exit 2)"
        ),
    )
    PACKAGE_FILE = (
        "package_file",
        (
            "a page or data file is not UTF-8, is empty, or is over policy.max_file_mb: the build stops before "
            "reading it (input error, exit 2)"
        ),
    )
    DIAGRAM_INVALID = (
        "diagram_invalid",
        (
            "a {graphviz} diagram whose DOT source Graphviz cannot read: shown as its source with a notice, "
            "reported at its line (a build warning, exit 1)"
        ),
    )
    MARKUP_FAILED = (
        "markup_failed",
        (
            "a directive or role that Sphinx, docutils or an extension could not process (it raised instead of "
            "warning): while reading, the build stops at its line (exit 2); while writing, the page is written "
            "without it (a build warning, exit 1)"
        ),
    )
    SIGNOFF_INVALID = ("signoff_invalid", "signoffs.yaml cannot be read as sign-off records (input error, exit 2)")

    @property
    def label(self) -> str:
        return f"handover.{self.value}"

    @property
    def silenceable(self) -> bool:
        """Whether ``suppress_warnings`` may hide it from the console: never for the rules
        that protect the site's readers (a package must not hide its own secret)."""
        return self.value not in _PROTECTING_READERS

    @property
    def input_error(self) -> bool:
        """Malformed input rather than missing work: the build exits 2, not 1."""
        return self in _INPUT_ERRORS


_INPUT_ERRORS = frozenset(
    {
        Rule.MISSING_OPTION,
        Rule.INVALID_OPTION,
        Rule.UNKNOWN_OPTION,
        Rule.DUPLICATE_ID,
        Rule.SET_ELSEWHERE,
        Rule.HIDDEN_NEED,
        Rule.PAGE_LIMITS,
        Rule.SIGNOFF_INVALID,
        Rule.PACKAGE_DATA,
        Rule.PACKAGE_CONF,
        Rule.PACKAGE_FILE,
    }
)
#: Rule ids whose console lines no package may suppress.
_PROTECTING_READERS = frozenset(
    {
        "secret",
        "unsafe_html",
        "unsafe_expression",
        "outside_package",
        "artifact_outside",
        "unscanned_file",
        "page_limits",
    }
)


def honoured_suppressions(suppressions: list[str]) -> list[str]:
    """*suppressions* without the rules that protect readers; a bare ``handover`` (every
    rule) becomes the list of the others."""
    kept: list[str] = []
    for entry in suppressions:
        if entry == "handover":
            kept.extend(rule.label for rule in Rule if rule.silenceable)
        elif entry.removeprefix("handover.") not in _PROTECTING_READERS:
            kept.append(entry)
    return kept
