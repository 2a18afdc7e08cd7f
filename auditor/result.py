"""The audit result: computed once, rendered by every format, never recomputed by them.

Plain frozen dataclasses; `as_dict()` gives the JSON shape of PRODUCT.md. Nothing
here depends on the clock or the machine, so the same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any


@dataclass(frozen=True)
class Evidence:
    id: str
    type: str  # post | dm
    author: str
    created_at: str  # ISO 8601 UTC
    text: str
    url: str | None
    role: str = ""  # inbound, response, promise, ... (what the item is in the finding's story)


@dataclass(frozen=True)
class Finding:
    rule: str
    type: str
    severity: str
    account: str
    counterpart: str | None
    status: str  # breached, broken, violation, pending ...
    message: str
    occurred_at: str
    measure: dict[str, Any]
    evidence: tuple[Evidence, ...]
    fingerprint: str
    check: str | None = None
    waived: dict[str, Any] | None = None  # {reason, approved_by, expires} when a waiver applies
    baseline: str | None = None  # new | existing, when a baseline was given

    @property
    def is_failure(self) -> bool:
        """Pending items are listed, not counted against anyone."""
        return self.status != "pending"


@dataclass(frozen=True)
class Figures:
    """Checked items of one rule, overall or for one account."""

    checked: int
    passed: int
    failed: int
    pending: int
    compliance: float | None  # passed / checked, None when nothing was checked
    metrics: dict[str, Any]
    # Failed items whose every finding a waiver covers: in none of the figures above, nor the metrics.
    waived: int = 0


@dataclass(frozen=True)
class WeekFigures:
    week_start: str  # date, in the policy's time zone
    checked: int
    passed: int


@dataclass(frozen=True)
class RuleResult:
    id: str
    type: str
    severity: str
    description: str
    meaning: str
    item_name: str
    target: float
    status: str  # pass | fail | no_data
    figures: Figures
    previous_compliance: float | None  # the same rule over the previous period, when the data holds it
    weeks: tuple[WeekFigures, ...]
    options: dict[str, Any]
    # What waivers need to count the rule again (`audit.recount`); never rendered.
    checks: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    check_fingerprints: tuple[tuple[str, ...], ...] = field(default=(), compare=False, repr=False)
    kind: Any = field(default=None, compare=False, repr=False)  # the rule itself, for its metrics


@dataclass(frozen=True)
class AccountResult:
    handle: str
    name: str | None
    kind: str
    team: str | None
    manager: str | None
    rules: dict[str, Figures]  # rule id -> figures for this account
    findings: int


@dataclass(frozen=True)
class SourceCoverage:
    name: str
    kind: str
    events: int
    skipped: int
    channels: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataCoverage:
    sources: tuple[SourceCoverage, ...]
    events: int
    posts: int
    dms: int
    accounts: int
    skipped: int
    skipped_lines: tuple[dict[str, Any], ...]
    first_event: str | None
    last_event: str | None
    as_of: str | None
    channels_missing: tuple[str, ...]  # inbound channels no source could show
    # SHA-256 of the events read (deduplicated, in time order, canonical JSON): pins the data a report is about
    sha256: str | None = None
    # Events in the period (up to the end of the data) by, to or mentioning a roster account:
    # none means there was nothing to audit (`auditor audit` then fails unless --allow-empty).
    period_events: int = 0


@dataclass(frozen=True)
class AuditResult:
    tool: dict[str, str]
    policy: dict[str, Any]  # name, version, company, sha256, file, timezone
    period: dict[str, str]  # label, start, end, timezone
    data: DataCoverage
    summary: dict[str, Any]
    rules: tuple[RuleResult, ...]
    accounts: tuple[AccountResult, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = field(default=())  # e.g. expired waivers, baseline counts

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of report.json (PRODUCT.md)."""
        return {
            "tool": self.tool,
            "policy": self.policy,
            "period": self.period,
            "data": _plain(self.data),
            "summary": self.summary,
            "rules": [_rule_dict(rule) for rule in self.rules],
            "accounts": [
                {
                    "handle": a.handle, "name": a.name, "kind": a.kind, "team": a.team, "manager": a.manager,
                    "findings": a.findings,
                    "rules": {rule_id: _plain(figures) for rule_id, figures in a.rules.items()},
                }
                for a in self.accounts
            ],
            "findings": [_plain(f) for f in self.findings],
            "notes": list(self.notes),
        }


def _plain(obj: Any) -> dict[str, Any]:
    """A result dataclass as a dict, nested result dataclasses too; like `dataclasses.asdict`
    without its deep copy of every value (a third of writing a large month's report.json).
    Values are shared, not copied: report.json is written from it at once."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    out = {}
    for name in names:
        value = getattr(obj, name)
        if is_dataclass(value):
            value = _plain(value)
        elif type(value) is tuple and value and is_dataclass(value[0]):
            value = [_plain(item) for item in value]
        out[name] = value
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _rule_dict(rule: RuleResult) -> dict[str, Any]:
    figures = rule.figures
    return {
        "id": rule.id, "type": rule.type, "severity": rule.severity, "description": rule.description,
        "target": rule.target, "checked": figures.checked, "passed": figures.passed, "failed": figures.failed,
        "pending": figures.pending, "waived": figures.waived, "compliance": figures.compliance, "status": rule.status,
        "metrics": figures.metrics, "previous_compliance": rule.previous_compliance,
        "weeks": [_plain(w) for w in rule.weeks], "options": rule.options,
    }
