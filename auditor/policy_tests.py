"""`auditor test POLICY --cases DIR`: unit tests for a policy, on small timelines with expected findings.

A case is a folder `NAME/` holding `events.jsonl` (canonical events) and
`expect.yaml`, or a pair of files `NAME.jsonl` and `NAME.yaml` in DIR:

```yaml
description: A customer asks on a Monday morning and gets no answer all day.
period: 2026-10                 # a fixed month, quarter or year; or from: / to: dates
as_of: 2026-10-06T12:00:00Z     # optional: the end of the data (default: the latest event)
findings:                       # each must be produced
  - {rule: answer-customers, account: acme_support, counterpart: bob, status: breached}
  - {rule: answer-customers, status: pending, count: 2}      # count: exactly that many
no_findings:                    # none of these may be produced
  - {rule: answer-customers, counterpart: carol}             # no status: no finding at all
```

`rule` is required and must be a rule of the policy; in `findings` `status` is
too, one of `result.FINDING_STATUSES`. `account` and `counterpart` narrow the match (`counterpart: null` means a
finding with no counterpart). A case passes when every expectation holds.
Folders whose name starts with `.` or `_` are not cases.
"""

from __future__ import annotations

from functools import partial
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from auditor.time.instants import parse_day, parse_instant
from auditor.networks import normalize_handle
from auditor.activity.model import Activity
from auditor.activity.sources.jsonl import read_jsonl
from auditor.errors import AuditorError, DataError
from auditor.time.period import Period, parse_period, period_from_dates
from auditor.policy.loader import LoadedPolicy
from auditor.yamlsrc import Positions, load_yaml
from auditor.result import FINDING_STATUSES, AuditResult, Finding
from auditor.run import read_and_audit

CASE_KEYS = ("description", "period", "from", "to", "as_of", "findings", "no_findings")
EXPECT_KEYS = ("rule", "account", "counterpart", "status", "count")
_ANY = object()  # an expectation that does not name a counterpart matches every counterpart


@dataclass(frozen=True)
class Expectation:
    must: bool  # True: must be produced (findings:); False: must not be (no_findings:)
    rule: str
    account: str | None
    counterpart: Any  # a handle, None (no counterpart) or _ANY
    status: str | None
    count: int | None

    def matches(self, finding: Finding) -> bool:
        return (finding.rule == self.rule
                and (self.account is None or finding.account == self.account)
                and (self.counterpart is _ANY or finding.counterpart == self.counterpart)
                and (self.status is None or finding.status == self.status))

    def target(self) -> str:
        who = self.account or ""
        if self.counterpart is not _ANY:
            who += f"/@{self.counterpart}" if self.counterpart else " (no counterpart)"
        return f" for {who.lstrip('/')}" if who else ""


@dataclass
class CaseOutcome:
    name: str
    description: str = ""
    failures: list[str] = field(default_factory=list)  # expectations that did not hold
    errors: list[str] = field(default_factory=list)  # bad input: the case could not run

    @property
    def passed(self) -> bool:
        return not self.failures and not self.errors


def find_cases(folder: Path) -> list[tuple[str, Path, Path]]:
    """(name, events, expect) for every case in the folder, sorted by name; DataError when there is none."""
    if not folder.is_dir():
        raise DataError(f"{folder}: no such folder of cases")
    cases: dict[str, tuple[Path, Path]] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir():
            cases[entry.name] = (entry / "events.jsonl", entry / "expect.yaml")
        elif entry.suffix in (".yaml", ".yml"):
            cases[entry.stem] = (entry.with_suffix(".jsonl"), entry)
    if not cases:
        raise DataError(f"{folder}: no cases (a case is a folder with events.jsonl and expect.yaml, "
                        "or NAME.jsonl with NAME.yaml)")
    return [(name, *paths) for name, paths in sorted(cases.items())]


def run_cases(loaded: LoadedPolicy, folder: Path) -> list[CaseOutcome]:
    return [run_case(loaded, name, events, expect) for name, events, expect in find_cases(Path(folder))]


def run_case(loaded: LoadedPolicy, name: str, events: Path, expect: Path) -> CaseOutcome:
    outcome = CaseOutcome(name)
    try:
        spec, positions = load_yaml(expect, str(expect))
    except AuditorError as exc:
        outcome.errors.extend(exc.lines())
        return outcome
    try:
        period, as_of, expectations = _read_spec(loaded, spec, positions, str(expect), outcome)
    except _Invalid as exc:
        outcome.errors.append(str(exc))
        return outcome
    if outcome.errors:
        return outcome
    if not events.is_file():
        outcome.errors.append(f"{events}: missing: a case needs its events next to {expect.name}")
        return outcome
    try:
        result = read_and_audit(loaded, partial(_read_case, events), period, as_of=as_of, workers=False)
    except AuditorError as exc:
        outcome.errors.extend(exc.lines())
        return outcome
    disabled = frozenset(rule.id for rule in loaded.policy.rules if not rule.enabled)
    outcome.failures.extend(check(name, result, expectations, disabled))
    return outcome


def _read_case(events: Path, window) -> Activity:
    """A case's events, all of them (a case is a handful of lines, so the window is not needed). A line
    it cannot read is a mistake in the test, not data to skip: the case does not run."""
    activity = read_jsonl(events, str(events))
    if activity.skipped:
        raise _UnreadableCase([f"{s.source}:{s.line}: {s.reason}" for s in activity.skipped])
    return activity


class _UnreadableCase(AuditorError):
    def __init__(self, lines: list[str]):
        super().__init__(lines[0])
        self._lines = lines

    def lines(self) -> list[str]:
        return self._lines

def check(name: str, result: AuditResult, expectations: list[Expectation], disabled: frozenset[str] = frozenset()
          ) -> list[str]:
    """One line per expectation that does not hold, naming the case, the rule and what was found (`disabled`:
    the policy's rules with `enabled: false`, which find nothing)."""
    failures = []
    for expected in expectations:
        found = [f for f in result.findings if expected.matches(f)]
        status = expected.status or "anything"
        if expected.must:
            if expected.count is not None and len(found) != expected.count and found:
                failures.append(f"case {name}: expected rule {expected.rule} to find {status}{expected.target()} "
                                f"{expected.count} times, found it {len(found)} times")
            elif not found and expected.count != 0:
                instead = ("nothing: the rule is disabled (enabled: false)" if expected.rule in disabled
                           else _instead(result, expected))
                failures.append(f"case {name}: expected rule {expected.rule} to find {status}{expected.target()}, "
                                f"found {instead}")
        elif found:
            failures.append(f"case {name}: expected rule {expected.rule} not to find {status}{expected.target()}, "
                            f"found {found[0].status}: {found[0].message}"
                            + (f" (and {len(found) - 1} more)" if len(found) > 1 else ""))
    return failures


def _instead(result: AuditResult, expected: Expectation) -> str:
    """What the rule found for the same account and counterpart, to make a wrong status easy to see."""
    near = [f for f in result.findings if f.rule == expected.rule
            and (expected.account is None or f.account == expected.account)
            and (expected.counterpart is _ANY or f.counterpart == expected.counterpart)]
    if not near:
        return "nothing"
    statuses = sorted({f.status for f in near})
    return f"{' and '.join(statuses)} instead: {near[0].message}"


class _Invalid(Exception):
    pass


def _read_spec(loaded: LoadedPolicy, spec: Any, positions: Positions, display: str, outcome: CaseOutcome):
    def where(path: tuple) -> str:
        file, line, col = positions.of_value(path)
        return f"{file}:{line}:{col}"

    def key_where(path: tuple) -> str:
        file, line, col = positions.of_key(path)
        return f"{file}:{line}:{col}"

    if not isinstance(spec, dict):
        raise _Invalid(f"{display}:1:1: a case is a mapping with period, findings and no_findings")
    for key in spec:
        if key not in CASE_KEYS:
            raise _Invalid(f"{key_where((key,))}: {key}: unknown key; expected one of: {', '.join(CASE_KEYS)}")
    outcome.description = str(spec.get("description") or "")
    zone = loaded.policy.zone
    try:
        if "period" in spec:
            if "from" in spec or "to" in spec:
                raise ValueError("give either period or from/to, not both")
            text = str(spec["period"]).strip()
            if text.lower().startswith(("last-", "this-")):
                raise ValueError(f"a case needs a fixed period like 2026-10, not {text!r} "
                                 "(it would change with the day)")
            period: Period = parse_period(text, zone, date(2000, 1, 1))
        elif "from" in spec and "to" in spec:
            period = period_from_dates(parse_day(spec["from"], "from"), parse_day(spec["to"], "to"), zone)
        else:
            raise ValueError("missing period (e.g. period: 2026-10, or from: and to: dates)")
    except ValueError as exc:
        path = ("period",) if "period" in spec else ("from",) if "from" in spec else ()
        raise _Invalid(f"{where(path)}: {exc}") from None
    as_of = None
    if spec.get("as_of") is not None:
        try:
            as_of = _moment(spec["as_of"])
        except ValueError as exc:
            raise _Invalid(f"{where(('as_of',))}: {exc}") from None
    rule_ids = {rule.id for rule in loaded.policy.rules}
    expectations = []
    for key, must in (("findings", True), ("no_findings", False)):
        entries = spec.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise _Invalid(f"{where((key,))}: {key}: expected a list of {{rule, account, counterpart, status}}")
        for i, entry in enumerate(entries):
            try:
                expectations.append(_expectation(entry, must, rule_ids))
            except ValueError as exc:
                outcome.errors.append(f"{where((key, i))}: {key}[{i}]: {exc}")
    if not expectations and not outcome.errors:
        raise _Invalid(f"{display}:1:1: the case expects nothing; list findings: and/or no_findings:")
    return period, as_of, expectations


def _expectation(entry: Any, must: bool, rule_ids: set[str]) -> Expectation:
    if not isinstance(entry, dict):
        raise ValueError("expected a mapping like {rule: answer-customers, account: acme_support, status: breached}")
    unknown = [key for key in entry if key not in EXPECT_KEYS]
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; expected: {', '.join(EXPECT_KEYS)}")
    rule = entry.get("rule")
    if not isinstance(rule, str) or not rule:
        raise ValueError("missing required key 'rule'")
    if rule not in rule_ids:
        raise ValueError(f"the policy has no rule {rule!r}; its rules: {', '.join(sorted(rule_ids))}")
    status = entry.get("status")
    if must and not status:
        raise ValueError("missing required key 'status' (the finding's status, e.g. breached)")
    if isinstance(status, str) and status not in FINDING_STATUSES:
        raise ValueError(f"status {status[:40]!r} is no finding's status; expected one of: {', '.join(FINDING_STATUSES)}")
    count = entry.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise ValueError(f"count must be a whole number, got {count!r}")
    if count is not None and not must:
        raise ValueError("count goes with findings:, not no_findings:")
    for key in ("account", "counterpart", "status"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise ValueError(f"{key} must be text, got {entry[key]!r}")
    counterpart = entry["counterpart"] if "counterpart" in entry else _ANY
    return Expectation(
        must=must,
        rule=rule,
        account=normalize_handle(entry["account"]) if entry.get("account") else None,
        counterpart=normalize_handle(counterpart) if isinstance(counterpart, str) else counterpart,
        status=status,
        count=count,
    )


def _moment(value: Any) -> datetime:
    # YAML reads an unquoted time stamp as a datetime: read its text like any other time.
    return parse_instant(value.isoformat() if isinstance(value, datetime) else str(value), "as_of")


def report_lines(outcomes: list[CaseOutcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        if outcome.errors:
            lines.append(f"ERROR {outcome.name}")
            lines.extend(f"  {error}" for error in outcome.errors)
        elif outcome.failures:
            lines.append(f"FAIL  {outcome.name}")
            lines.extend(f"  {failure}" for failure in outcome.failures)
        else:
            lines.append(f"ok    {outcome.name}")
    passed = sum(1 for o in outcomes if o.passed)
    failed = sum(1 for o in outcomes if o.failures and not o.errors)
    errors = sum(1 for o in outcomes if o.errors)
    lines.append(f"{len(outcomes)} case{'s' if len(outcomes) != 1 else ''}: {passed} passed, {failed} failed"
                 + (f", {errors} could not run" if errors else ""))
    return lines


def exit_code(outcomes: list[CaseOutcome]) -> int:
    if any(o.errors for o in outcomes):
        return 2
    return 1 if any(o.failures for o in outcomes) else 0
