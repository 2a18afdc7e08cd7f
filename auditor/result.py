"""The audit result: computed once, rendered by every format, never recomputed by them.

Plain frozen dataclasses; `as_dict()` gives the JSON shape of docs/contract.md ("Reports"). Nothing
here depends on the clock or the machine, so the same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from operator import attrgetter
from typing import Any

from auditor.types import meets_target


@dataclass(frozen=True)
class Evidence:
    id: str
    type: str  # post | dm
    author: str
    created_at: str  # ISO 8601 UTC
    text: str
    url: str | None
    role: str = ""  # inbound, response, promise, ... (what the item is in the finding's story)


# Finding statuses that are listed and never counted: not in a rule's failures, share or status, the
# score, the scorecards or --fail-on. `pending`: its deadline is still ahead; `cannot_tell`: the data
# cannot show the outcome (a promise kept by DM, where no source holds the account's DMs).
LISTED_ONLY = ("pending", "cannot_tell")
# Every status a finding can have, whatever its rule kind (what `auditor test` cases may expect).
FINDING_STATUSES = ("automation", "breached", "broken", "cannot_tell", "low-engagement", "no-offer", "pending",
                    "too-many-public-replies", "violation")


# A trend against the previous period is shown only when that period checked at least this many items.
TREND_MIN_ITEMS = 20


@dataclass(frozen=True)
class Wait:
    """How long somebody waited: measured once by the rule, said the same way in every format."""

    started_at: str  # ISO 8601 UTC: the first item of the episode
    ended_at: str  # ISO 8601 UTC: the answer, or the end of the data when there was none
    answered: bool
    clock: str  # "wall clock" or the calendar's name
    seconds: int  # on the rule's clock (open seconds on a calendar)
    calendar_seconds: int  # from start to end, nights and weekends included
    within_seconds: int  # the limit, on the same clock
    text: str  # "142h40m of open hours (6d 2h calendar time)", "3d 4h15m"


@dataclass(frozen=True)
class Moment:
    """A moment in the story of a finding's clock: what happened, when, and by whom."""

    what: str  # started (the clock), promised, counterpart_wrote, answered
    at: str  # ISO 8601 UTC
    by: str | None = None


@dataclass(frozen=True)
class Timing:
    """How the clock ran for a finding, as its rule measured it: what the report's story tells ("Clock
    started...", the limit, the deadline, the time measured). Filled by the rule beside its `measure`,
    which report.json keeps as it is; the reports for people read this, never the measure's key names."""

    moments: tuple[Moment, ...]  # in the order the rule saw them; the story puts them in time order
    within_seconds: int | None = None  # the limit, on the clock
    clock: str = "wall clock"  # or the calendar's name
    deadline: str | None = None  # ISO 8601 UTC, when the rule computed one
    elapsed_seconds: int | None = None  # the time measured, on the clock (a wait, a delay)
    items: int | None = None  # the messages an episode held
    channel: str | None = None  # how it came in: mention, reply, dm
    unanswered: bool = False  # a deadline was set and nothing in the data answered
    measure_keys: tuple[str, ...] = ()  # the keys of `measure` this tells: not listed again as details

    @property
    def answered_at(self) -> str | None:
        return next((moment.at for moment in self.moments if moment.what == "answered"), None)


@dataclass(frozen=True)
class Finding:
    rule: str
    type: str
    severity: str
    account: str
    counterpart: str | None
    status: str  # breached, broken, violation, pending, cannot_tell ...
    message: str
    occurred_at: str
    measure: dict[str, Any]
    evidence: tuple[Evidence, ...]
    fingerprint: str
    check: str | None = None
    wait: Wait | None = None  # for findings about somebody left waiting
    # False for what is listed but not counted against anyone: pending items, promises nobody
    # took up, items the data cannot judge.
    counted: bool = True
    waived: dict[str, Any] | None = None  # {reason, approved_by, expires} when a waiver applies
    baseline: str | None = None  # new | existing, when a baseline was given
    platform: str = "x"  # the network of the account (and so of the counterpart and evidence)
    # What the reports' clock story tells; not in report.json (its `measure` says the same).
    timing: Timing | None = field(default=None, metadata={"json": False})

    @property
    def is_failure(self) -> bool:
        """Pending and other uncounted items (cannot tell...) are listed, not counted against anyone."""
        return self.counted


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


def status_of(figures: Figures, target: float) -> str:
    """A rule's status over its figures: `pass` or `fail` against its target, judged on the counts
    (never on a rounded share); `no_data` when nothing was checked."""
    if figures.compliance is None:
        # Items were there, and every failure among them is waived: nothing counts against the rule.
        return "pass" if figures.waived else "no_data"
    return "pass" if meets_target(figures.passed, figures.checked, target) else "fail"


def below_target(figures: Figures, target: float) -> bool:
    """Whether figures that checked something miss the target (an account's row, a group's rule)."""
    return figures.compliance is not None and not meets_target(figures.passed, figures.checked, target)


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
    previous_checked: int | None = None  # items the previous period checked (a trend needs TREND_MIN_ITEMS)
    # What waivers need to count the rule again (`audit.recount`); never rendered. None: not kept
    # (`audit(keep_checks=False)`, an audit without waivers).
    checks: tuple[Any, ...] | None = field(default=(), compare=False, repr=False)
    check_fingerprints: tuple[tuple[str, ...], ...] | None = field(default=(), compare=False, repr=False)
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
    platform: str = "x"


@dataclass(frozen=True)
class SourceCoverage:
    name: str
    kind: str
    events: int
    skipped: int
    channels: tuple[str, ...]
    notes: tuple[str, ...] = ()
    dm_accounts: tuple[str, ...] = ()  # whose DMs the source holds ("*": every account it names)


@dataclass(frozen=True)
class NetworkCoverage:
    """One network's share of the data: its roster accounts, its events, whose DMs are missing."""

    platform: str  # x | bluesky | mastodon
    accounts: int  # roster accounts on it
    events: int
    posts: int
    dms: int
    first_event: str | None
    last_event: str | None
    dms_not_held: tuple[str, ...] = ()  # its audited accounts whose DMs no source holds
    # inbound channels no source of this network shows (a source of no one network counts for each)
    channels_missing: tuple[str, ...] = ()


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
    # Audited accounts whose DMs no source holds: answers and kept promises by DM cannot be seen for them.
    dms_not_held: tuple[str, ...] = ()
    # The policy's ignore_accounts patterns, and the events of the period written by accounts they match.
    ignored_accounts: tuple[str, ...] = ()
    ignored_events: int = 0
    # SHA-256 of the events read (deduplicated, in time order, canonical JSON): pins the data a report is about
    sha256: str | None = None
    # Events in the period (up to the end of the data) by, to or mentioning a roster account:
    # none means there was nothing to audit (`auditor audit` then fails unless --allow-empty).
    period_events: int = 0
    # Per network (those with roster accounts or events), X first.
    networks: tuple[NetworkCoverage, ...] = ()


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
    # A group's report (`--split`): which group it is and the company's figures beside its own
    # (auditor/render/split.py). None for the company's report, whose JSON then has no "scope".
    scope: dict[str, Any] | None = None

    def as_dict(self, *, findings: bool = True) -> dict[str, Any]:
        """The JSON shape of report.json (docs/contract.md, "Reports"). Without `findings`, every
        section but the findings: report.json's writer (auditor/render/json_report.py) streams them."""
        scope = {"scope": self.scope} if self.scope is not None else {}
        listed = {"findings": [finding_dict(f) for f in self.findings]} if findings else {}
        return {
            "tool": self.tool,
            "policy": self.policy,
            "period": self.period,
            "data": _plain(self.data),
            "summary": self.summary,
            "rules": [_rule_dict(rule) for rule in self.rules],
            "accounts": [
                {
                    "handle": a.handle, "platform": a.platform, "name": a.name, "kind": a.kind, "team": a.team,
                    "manager": a.manager, "findings": a.findings,
                    "rules": {rule_id: _plain(figures) for rule_id, figures in a.rules.items()},
                }
                for a in self.accounts
            ],
            **listed,
            "notes": list(self.notes),
            **scope,
        }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding as report.json lists it: `_plain(finding)`, written out for the one type a report
    holds tens of thousands of (a third of the generic walk's time). The fields are read in C by
    `attrgetter`, not through `__dict__`, which would give every finding and item of evidence a dict
    of its own for the rest of the run."""
    out = dict(zip(*_FINDING(finding)))
    if finding.evidence:  # none stays the empty tuple, as `_plain` leaves it
        out["evidence"] = [dict(zip(*_EVIDENCE(item))) for item in finding.evidence]
    if finding.wait is not None:  # evidence and waits hold no dataclass of their own
        out["wait"] = dict(zip(*_WAIT(finding.wait)))
    return out


def _fields_of(cls: type):
    """A function giving an instance's report.json field names and, in the same order, their values."""
    names = tuple(f.name for f in fields(cls) if f.metadata.get("json", True))
    values = attrgetter(*names)
    return lambda obj: (names, values(obj))


def _plain(obj: Any) -> dict[str, Any]:
    """A result dataclass as a dict, nested result dataclasses too; like `dataclasses.asdict`
    without its deep copy of every value (a third of writing a large month's report.json).
    Values are shared, not copied: report.json is written from it at once."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj) if f.metadata.get("json", True))
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
_FINDING, _EVIDENCE, _WAIT = _fields_of(Finding), _fields_of(Evidence), _fields_of(Wait)


def _rule_dict(rule: RuleResult) -> dict[str, Any]:
    figures = rule.figures
    return {
        "id": rule.id, "type": rule.type, "severity": rule.severity, "description": rule.description,
        "target": rule.target, "checked": figures.checked, "passed": figures.passed, "failed": figures.failed,
        "pending": figures.pending, "waived": figures.waived, "compliance": figures.compliance, "status": rule.status,
        "metrics": figures.metrics, "previous_compliance": rule.previous_compliance,
        "previous_checked": rule.previous_checked,
        "weeks": [_plain(w) for w in rule.weeks], "options": rule.options,
    }
