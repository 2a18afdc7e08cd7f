"""What the PDF and HTML reports show: an `AuditResult` turned into sorted, capped, formatted lists.

The templates only lay out what this module hands them; they format nothing and
decide nothing. No rule is evaluated here and no rule kind is special-cased,
with two exceptions PRODUCT.md asks for by name in the executive summary:
"customers left waiting" (findings of the kinds in `WAITING_TYPES`) and
"promises broken" (findings of the kinds in `PROMISE_TYPES`). Everything
else is chosen from the data present: a finding whose `measure` has
`started_at`, `within_seconds`, `elapsed_seconds` ... gets a "how the clock ran"
story, whatever kind produced it.

Times are shown in the policy's time zone (`result.policy["timezone"]`).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from auditor.activity.networks import platform_label
from auditor.policy.durations import format_duration, format_elapsed, format_open_hours
from auditor.result import (
    TREND_MIN_ITEMS,
    AccountResult,
    AuditResult,
    Evidence,
    Figures,
    Finding,
    RuleResult,
    Wait,
    format_share,
    meets_target,
)

# Finding kinds the executive summary lists by name (PRODUCT.md, Reports).
WAITING_TYPES = ("response_time",)
PROMISE_TYPES = ("follow_through",)
SUMMARY_ROWS = 5  # rows of each list on the one-page executive summary
WORST_CASES = 5  # rows of the "worst cases" table of a rule section
SAFE_LINK_SCHEMES = ("https://", "http://")
# Measure keys not shown as details: plumbing (ids of posts already quoted as evidence), or words the
# message already says (a cannot-tell finding's reason).
_HIDDEN_KEYS = {"response_id", "reason"}
# Metrics drawn as a chart (see charts.py), said in the rule's "not counted" line, or a rule's sentence
# about its figures (`note`): printed under the figures rather than as rows.
_NOTE_METRIC = "note"
_NOT_LISTED_METRICS = {"histogram", "not_counted", _NOTE_METRIC}
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


# -- formatting ---------------------------------------------------------------------------------


class Formatter:
    """Times in one time zone, durations, shares: the report's one way of writing each."""

    def __init__(self, zone_name: str | None):
        try:
            self.zone = ZoneInfo(zone_name or "UTC")
        except (ValueError, KeyError, OSError):
            self.zone = ZoneInfo("UTC")
        self.networks = False  # whether the report spans several networks (so each account's is named)

    def network(self, platform: str) -> str | None:
        """The network's name beside an account ("Bluesky"), when the report spans several networks."""
        return platform_label(platform) if self.networks else None

    def moment(self, value: str | datetime | None) -> datetime | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(self.zone)

    def when(self, value: str | datetime | None) -> str:
        """`Mon 5 Oct 2026, 10:02 EDT`"""
        local = self.moment(value)
        if local is None:
            return "–"
        return (f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}, "
                f"{local:%H:%M} {local.tzname()}")

    def short(self, value: str | datetime | None) -> str:
        """`5 Oct 10:02`: for table cells, where the year and zone are in the heading."""
        local = self.moment(value)
        if local is None:
            return "–"
        return f"{local.day} {_MONTHS[local.month - 1]} {local:%H:%M}"

    def day(self, value: str | date | datetime | None) -> str:
        """`5 Oct 2026`"""
        if value is None or value == "":
            return "–"
        if isinstance(value, str) and len(value) == 10:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, (str, datetime)):
            local = self.moment(value)
            if local is None:
                return "–"
            value = local.date()
        return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"

    @staticmethod
    def duration(seconds: float | None) -> str:
        """Exact: `6d 21h46m56s`. For the clock story, where a second over the limit matters."""
        return "–" if seconds is None else format_duration(timedelta(seconds=seconds))

    @staticmethod
    def rounded(seconds: float | None) -> str:
        """For tables: to the minute past an hour, to the hour past a day; always rounded *up*,
        so a wait that missed a limit never reads as the limit itself."""
        if seconds is None:
            return "–"
        unit = 3600 if seconds >= 86400 else 60 if seconds >= 3600 else 1
        return format_duration(timedelta(seconds=-(-int(seconds) // unit) * unit))

    @staticmethod
    def share(value: float | None) -> str:
        """`95%`, `94.7%`, `–` for nothing checked (rounded toward the truth: result.format_share)."""
        return format_share(value)

    def value(self, key: str, value: Any) -> str:
        """A measure or metric value, written by what its key says it is."""
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if "seconds" in key.split("_") and isinstance(value, (int, float)):
            return self.rounded(value)
        if isinstance(value, str) and _ISO_RE.match(value):
            return self.when(value)
        if (key.startswith("share") or key.endswith("_share")) and isinstance(value, float):
            return self.share(value)
        if isinstance(value, float):
            return f"{value:g}"
        if isinstance(value, (list, tuple)):
            return ", ".join(self.value("", item) for item in value)
        if isinstance(value, dict):
            return "; ".join(f"{label(k)}: {self.value(k, v)}" for k, v in value.items())
        return str(value)

    def lines(self, key: str, value: Any) -> list[str]:
        """A value as lines: one per key of a mapping (`checks: {profanity: true, ...}`), else one."""
        if isinstance(value, dict) and value:
            return [f"{label(k)}: {self.value(k, v)}" for k, v in value.items()]
        return [self.value(key, value)]


def label(key: str) -> str:
    """`median_response_seconds` -> `median response`, `median_seconds_to_keep` -> `median time to keep`."""
    words = key.split("_")
    if words[-1] == "seconds" and len(words) > 1:
        words = words[:-1]
    return " ".join("time" if w == "seconds" else "DM" if w == "dm" else "DMs" if w == "dms" else w for w in words)


def safe_link(url: str | None) -> str | None:
    """Only web links become links; `file:`, `javascript:` and the like stay plain text."""
    if url and url.lower().startswith(SAFE_LINK_SCHEMES):
        return url
    return None


# -- the view -------------------------------------------------------------------------------------


@dataclass
class Trend:
    arrow: str  # ▲ ▼ ▶ or empty
    direction: str  # up | down | flat | none
    text: str  # "+3.2 pts vs 91.0%", "no earlier data"


@dataclass
class EvidenceView:
    role: str
    type: str
    author: str
    when: str
    text: str
    link: str | None
    url: str | None  # as given, shown as text when it is not a web link


@dataclass
class FindingView:
    anchor: str | None
    number: int  # 1-based, within its rule
    rule: str
    rule_anchor: str
    severity: str
    status: str
    failure: bool
    account: str
    counterpart: str | None
    message: str
    when: str
    when_short: str
    waited: str | None  # the measured time, when the measure has one
    limit: str | None
    answered: str | None
    story: list[str]
    details: list[tuple[str, list[str]]]
    evidence: list[EvidenceView]
    waived: dict[str, str] | None
    baseline: str | None
    check: str | None
    network: str | None = None  # "Bluesky", beside the account, when the report spans several networks


@dataclass
class Chart:
    title: str
    caption: str
    uri: str  # a data: URI of an SVG
    alt: str
    narrow_uri: str | None = None  # the same chart drawn for a phone's width (the HTML file only)


@dataclass
class RuleView:
    anchor: str
    id: str
    type: str
    severity: str
    description: str
    meaning: str
    item_name: str
    target: str
    share: str
    status: str  # pass | fail | no_data
    status_label: str
    checked: int
    passed: int
    failed: int
    pending: int
    trend: Trend
    not_counted: str | None  # "Not counted: acknowledgement (80), passing mention (120)"
    metrics: list[tuple[str, list[str]]]
    notes: list[str]  # sentences about the figures (what was not scored, and why)
    settings: list[tuple[str, list[str]]]
    weeks: list[tuple[str, str, int]]
    findings_total: int
    worst: list[FindingView]
    worst_measured: bool  # whether any worst case has a measured time (else the column is left out)
    evidence: list[FindingView]
    in_appendix: int  # findings past the body that the appendix lists
    not_printed: int  # findings past the appendix's cap: counted, and in the JSON and CSV reports
    charts: list[Chart] = field(default_factory=list)
    company: dict[str, str] | None = None  # a group's report: the company's share and status of the rule


@dataclass
class ScoreRow:
    rule: str
    rule_anchor: str
    checked: int
    passed: int
    failed: int
    pending: int
    share: str
    target: str
    status: str
    status_label: str


@dataclass
class AccountView:
    anchor: str
    handle: str
    name: str | None
    kind: str
    team: str | None
    manager: str | None
    findings: int
    rules_below: list[str]
    rows: list[ScoreRow]
    network: str | None = None


def build_view(result: AuditResult, *, evidence_cap: int = 25, appendix_cap: int = 500, redaction: str = "dms",
               paper: str = "A4", generated_at: datetime | None = None, charts: bool = True,
               narrow_charts: bool = False) -> dict[str, Any]:
    """Everything the report templates show, from an (already redacted) result. `narrow_charts`: draw each
    chart a second time for a phone's width (the HTML file shows that one on a small screen)."""
    fmt = Formatter(result.policy.get("timezone") or result.period.get("timezone"))
    # A report of one network's accounts names none: the network is said beside each account only when
    # the roster or the data spans several.
    fmt.networks = len({a.platform for a in result.accounts} | {n.platform for n in result.data.networks}) > 1
    evidence_cap, appendix_cap = max(0, evidence_cap), max(0, appendix_cap)
    by_rule: dict[str, list[Finding]] = {rule.id: [] for rule in result.rules}
    for finding in result.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    rule_anchor = {rule.id: f"rule-{n}" for n, rule in enumerate(result.rules, 1)}
    targets = {rule.id: rule.target for rule in result.rules}

    rules: list[RuleView] = []
    appendix: list[FindingView] = []
    appendix_groups: list[dict[str, Any]] = []
    left_out = 0
    for rule in result.rules:
        ordered = sorted(by_rule.get(rule.id, []), key=_worst_first)
        quoted = min(len(ordered), evidence_cap)
        rest = len(ordered) - quoted
        listed = min(rest, max(0, appendix_cap - len(appendix)))
        # Views only for the findings the report prints: a large month has thousands it only counts. The
        # worst cases are the first failures, and failures sort before pending items: among the first few.
        views = [_finding_view(f, n, rule_anchor, fmt)
                 for n, f in enumerate(ordered[:max(quoted + listed, WORST_CASES)], 1)]
        if listed:
            appendix.extend(views[quoted:quoted + listed])
            appendix_groups.append({"rule": rule.id, "rule_anchor": rule_anchor[rule.id], "first": quoted + 1,
                                    "last": quoted + listed, "total": len(ordered),
                                    "findings": views[quoted:quoted + listed]})
        left_out += rest - listed
        view = _rule_view(rule, rule_anchor[rule.id], views, len(ordered), evidence_cap, listed, rest - listed, fmt)
        if charts:
            from auditor.render import charts as chart_module

            view.charts = chart_module.rule_charts(rule, ordered, result.accounts, fmt, narrow=narrow_charts)
        if result.scope is not None:
            _with_company(view, rule, result.scope, fmt)
        rules.append(view)

    accounts = [_account_view(a, n, result.rules, rule_anchor, fmt) for n, a in enumerate(result.accounts, 1)]
    attention = sorted((a for a in accounts if a.rules_below or a.findings),
                       key=lambda a: (-len(a.rules_below), -a.findings, a.handle))
    # Links point only at findings the report prints (in the body or the appendix).
    printed = {v.anchor for rule in rules for v in rule.evidence} | {v.anchor for v in appendix}
    waiting = _waiting_longest(result.findings, rule_anchor, fmt)
    broken_findings = [f for f in result.findings if f.type in PROMISE_TYPES and f.is_failure]
    broken_findings.sort(key=lambda f: (f.occurred_at, f.account, f.fingerprint))
    broken = [_finding_view(f, 0, rule_anchor, fmt) for f in broken_findings[:SUMMARY_ROWS]]
    for item in [*waiting, *broken, *(w for rule in rules for w in rule.worst)]:
        if item.anchor not in printed:
            item.anchor = None
    generated = generated_at or generated_now()
    methodology = _methodology(result, fmt, redaction, targets)
    for waiver in methodology["waivers"]:
        if waiver["anchor"] not in printed:
            waiver["anchor"] = None

    scope = _scope(result) if result.scope is not None else None
    return {
        "medium": "print",
        "paper": paper,
        "title": f"Social media policy audit: {result.policy.get('company') or result.policy.get('name')}, "
                 f"{result.period.get('label', '')}" + (f", {scope['label']}" if scope else ""),
        "cover": {**_cover(result, fmt, generated, redaction), "scope": scope},
        "summary": {
            "score": "–" if result.summary.get("score") is None else f"{result.summary['score']:.1f}".removesuffix(".0"),
            "score_value": result.summary.get("score"),
            "rules_passed": result.summary.get("rules_passed", 0),
            "rules_failed": result.summary.get("rules_failed", 0),
            "rules_no_data": result.summary.get("rules_no_data", 0),
            "findings": result.summary.get("findings", 0),
            "pending": result.summary.get("pending", 0),
            "cannot_tell": result.summary.get("cannot_tell", 0),
            "waived": result.summary.get("waived", 0),
            "by_severity": [(sev, n) for sev, n in result.summary.get("findings_by_severity", {}).items() if n],
            "attention": attention[:SUMMARY_ROWS],
            "attention_more": max(0, len(attention) - SUMMARY_ROWS),
            "waiting": waiting[:SUMMARY_ROWS],
            "waiting_more": max(0, len(waiting) - SUMMARY_ROWS),
            "waiting_shown": any(r.type in WAITING_TYPES for r in result.rules),
            "broken": broken,
            "broken_more": max(0, len(broken_findings) - SUMMARY_ROWS),
            "broken_shown": any(r.type in PROMISE_TYPES for r in result.rules),
            "notes": list(result.notes),
            "scope": scope,
        },
        "rules": rules,
        "accounts": accounts,
        "attention_count": len(attention),
        "appendix": appendix,
        "appendix_groups": appendix_groups,  # the appendix by rule: {rule, rule_anchor, first, last, total, findings}
        "appendix_cap": appendix_cap,
        "evidence_cap": evidence_cap,
        "left_out": left_out,
        "has_evidence": any(rule.evidence for rule in rules),
        "methodology": methodology,
    }


def generated_now() -> datetime:
    # SOURCE_DATE_EPOCH makes the "generated at" line (and so the report) reproducible.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _scope(result: AuditResult) -> dict[str, Any]:
    """A group's report (`--split`): which accounts it covers, and the company's figures beside its own."""
    scope, company = result.scope, result.scope["company"]
    handles = [f"@{h}" for h in scope["accounts"]]
    return {
        "label": scope["label"],
        "accounts": len(handles),
        "handles": ", ".join(handles[:12]) + (f" and {len(handles) - 12} more" if len(handles) > 12 else ""),
        "company_accounts": company["accounts"],
        "company_score": "–" if company["score"] is None else f"{company['score']:.1f}".removesuffix(".0"),
        "company_rules_passed": company["rules_passed"],
        "company_rules": len(company["rules"]),
        "company_findings": company["findings"],
    }


def _with_company(view: RuleView, rule: RuleResult, scope: dict[str, Any], fmt: Formatter) -> None:
    """A group has no trend of its own (its accounts' figures do not hold the previous period): it shows the
    company's, said to be the company's, beside the company's share and status."""
    company = scope["company"]["rules"].get(rule.id)
    if company is None:
        return
    view.company = {"share": fmt.share(company["compliance"]), "status": company["status"],
                    "status_label": _status_label(company["status"])}
    view.trend = trend(company["compliance"], company["previous_compliance"], fmt, company["previous_checked"])


def _worst_first(finding: Finding) -> tuple:
    # Counted failures first, then waived ones, then pending items; the longest waits first
    # when the measure has a time, else in the order they happened.
    group = 2 if not finding.is_failure else (1 if finding.waived else 0)
    key = _elapsed_key(finding.measure) if isinstance(finding.measure, dict) else None
    weight = -finding.measure[key] if key else 0
    return group, weight, finding.occurred_at, finding.account, finding.fingerprint


def _finding_view(finding: Finding, number: int, rule_anchor: dict[str, str], fmt: Formatter) -> FindingView:
    measure = finding.measure if isinstance(finding.measure, dict) else {}
    key = _elapsed_key(measure)
    elapsed, within = (measure[key] if key else None), measure.get("within_seconds")
    told = story_keys(measure)
    details = [(label(k), fmt.lines(k, v)) for k, v in measure.items() if k not in told and k not in _HIDDEN_KEYS]
    waived = None
    if finding.waived:
        waived = {k: fmt.value(k, v) for k, v in finding.waived.items()}
    return FindingView(
        anchor=f"finding-{finding.fingerprint}",
        number=number,
        rule=finding.rule,
        rule_anchor=rule_anchor.get(finding.rule, ""),
        severity=finding.severity,
        status=finding.status,
        failure=finding.is_failure,
        account=finding.account,
        counterpart=finding.counterpart,
        message=finding.message,
        when=fmt.when(finding.occurred_at),
        when_short=fmt.short(finding.occurred_at),
        waited=_waited(finding.wait, elapsed, fmt),
        limit=fmt.duration(within) if isinstance(within, (int, float)) else None,
        answered=fmt.when(measure["answered_at"]) if measure.get("answered_at") else None,
        story=clock_story(measure, fmt, finding.wait),
        details=details,
        evidence=[_evidence_view(e, fmt) for e in finding.evidence],
        waived=waived,
        baseline=finding.baseline,
        check=finding.check,
        network=fmt.network(finding.platform),
    )


def _waited(wait: Wait | None, elapsed: Any, fmt: Formatter) -> str | None:
    """The finding's one wait: as the rule measured and worded it, else the measure's time."""
    if wait is not None:
        return wait.text
    return fmt.rounded(elapsed) if isinstance(elapsed, (int, float)) else None


def _is_time(key: str, value: Any) -> bool:
    return isinstance(value, str) and (key.endswith("_at") or key == "deadline") and _ISO_RE.match(value) is not None


def _elapsed_key(measure: dict[str, Any]) -> str | None:
    """The measured time of a finding: `elapsed_seconds`, `waited_seconds`, ... (not the limit)."""
    for key, value in measure.items():
        if key.endswith("_seconds") and key != "within_seconds" and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            return key
    return None


def has_story(measure: dict[str, Any]) -> bool:
    """A clock story needs a limit, or at least two moments to put in order."""
    times = sum(1 for k, v in measure.items() if _is_time(k, v))
    return isinstance(measure.get("within_seconds"), (int, float)) or times >= 2


def story_keys(measure: dict[str, Any]) -> set[str]:
    """The measure keys the clock story tells, so they are not listed again as details."""
    if not has_story(measure):
        return set()
    keys = {k for k, v in measure.items() if _is_time(k, v)}
    keys |= {k[:-3] + "_by" for k in keys if k.endswith("_at")}
    keys |= {"within_seconds", "clock", "items", "channel", _elapsed_key(measure) or "within_seconds"}
    return keys


def clock_story(measure: dict[str, Any], fmt: Formatter, wait: Wait | None = None) -> list[str]:
    """How the clock ran: the measure's moments in time order, the limit, and the time measured.

    Built from whatever the measure holds (`started_at`, `promised_at`, `deadline`,
    `answered_at` with `answered_by`, `within_seconds`, `elapsed_seconds` or
    `waited_seconds`, `clock`), so any kind that measures time gets one.
    """
    if not has_story(measure):
        return []
    clock = measure.get("clock") or "wall clock"
    moments = []
    for key, value in measure.items():
        if not _is_time(key, value):
            continue
        moment = fmt.moment(value)
        if key == "deadline":
            text = f"Deadline {fmt.when(moment)}."
        else:
            name = key[:-3]
            by = measure.get(name + "_by")
            text = f"{_moment_label(name)} {fmt.when(moment)}" + (f" by @{by}" if isinstance(by, str) and by else "")
            if key == "started_at":
                items = measure.get("items")
                if isinstance(items, int) and items > 1:
                    text += f", at the first of {items} messages"
                if measure.get("channel"):
                    text += f" (by {measure['channel']})"
            text += "."
        moments.append((moment, key != "deadline", text))
    moments.sort(key=lambda m: (m[0], m[1]))
    steps = [text for _, _, text in moments]
    within = measure.get("within_seconds")
    if isinstance(within, (int, float)):
        limit = f"Limit: {fmt.duration(within)} on the {clock}" + (" (open hours only)." if clock != "wall clock" else ".")
        steps.insert(1 if steps else 0, limit)
    answered = any(k in measure for k in ("answered_at", "kept_at", "first_dm_at"))
    if "deadline" in measure and not answered:
        steps.append("No answer in the data.")
    key = _elapsed_key(measure)
    if wait is not None:
        # The wait as every part of the report says it; over the limit on the same clock.
        line = f"Waited {wait.text}"
        if wait.seconds > wait.within_seconds:
            over = wait.seconds - wait.within_seconds
            line += f": {_on_clock(over, wait.clock)} over the limit."
        else:
            line += ": within the limit."
        steps.append(line)
    elif key is not None:
        elapsed = measure[key]
        if clock == "wall clock":
            line = f"{fmt.duration(elapsed)} on the clock"
        else:
            # "2d" of open hours is 48 open hours, not two working days: say it in hours too.
            hours = (f" ({elapsed / 3600:,.1f}".removesuffix(".0") + " open hours)") if elapsed >= 86400 else ""
            line = f"{fmt.duration(elapsed)}{hours} of {clock} time"
        if isinstance(within, (int, float)):
            line += (f": {fmt.duration(elapsed - within)} over the limit." if elapsed > within
                     else ": within the limit.")
        else:
            line += "."
        steps.append(line[0].upper() + line[1:])
    return steps


def _on_clock(seconds: int, clock: str) -> str:
    """A time on a wall or business-hours clock, open hours never written as days."""
    if clock == "wall clock":
        return format_elapsed(timedelta(seconds=seconds))
    return format_open_hours(timedelta(seconds=seconds)) + " of open hours"


_MOMENT_LABELS = {"started": "Clock started", "promised": "Promise made"}


def _moment_label(name: str) -> str:
    if name in _MOMENT_LABELS:
        return _MOMENT_LABELS[name]
    words = [("DM" if w == "dm" else w) for w in name.split("_")]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _evidence_view(evidence: Evidence, fmt: Formatter) -> EvidenceView:
    return EvidenceView(
        role=evidence.role or evidence.type,
        type=evidence.type,
        author=evidence.author,
        when=fmt.when(evidence.created_at),
        text=evidence.text,
        link=safe_link(evidence.url),
        url=evidence.url,
    )


def _status_label(status: str) -> str:
    return {"pass": "PASS", "fail": "FAIL", "no_data": "NO DATA"}.get(status, status.upper())


def trend(current: float | None, previous: float | None, fmt: Formatter, previous_checked: int | None = None) -> Trend:
    """Against the previous period, only when that period checked enough items to compare with
    (TREND_MIN_ITEMS): a swing on two items says nothing."""
    if previous is None and previous_checked is None:
        return Trend("", "none", "no earlier data")
    if previous_checked is not None and previous_checked < TREND_MIN_ITEMS:
        return Trend("", "none", f"too few items last period ({previous_checked})")
    was = f"was {fmt.share(previous)}" + (f", n={previous_checked:,}" if previous_checked is not None else "")
    if current is None:
        return Trend("", "none", f"nothing checked ({was})")
    delta = round((current - previous) * 100, 1)
    if delta > 0:
        return Trend("▲", "up", f"+{delta:g} pts ({was})")
    if delta < 0:
        return Trend("▼", "down", f"−{-delta:g} pts ({was})")
    return Trend("▶", "flat", f"unchanged ({was})")


def not_counted_line(metrics: dict[str, Any]) -> str | None:
    """What a rule looked at and did not count, and why, in one line (from the `not_counted` metric)."""
    reasons = metrics.get("not_counted")
    if not isinstance(reasons, dict) or not any(reasons.values()):
        return None
    return "Not counted: " + ", ".join(f"{reason} ({count:,})" for reason, count in reasons.items() if count) + "."


def _rule_view(rule: RuleResult, anchor: str, findings: list[FindingView], total: int, cap: int, in_appendix: int,
               not_printed: int, fmt: Formatter) -> RuleView:
    """`findings`: views of the first of the rule's `total` findings, worst first (at least the quoted ones)."""
    figures = rule.figures
    return RuleView(
        anchor=anchor,
        id=rule.id,
        type=rule.type,
        severity=rule.severity,
        description=rule.description,
        meaning=rule.meaning,
        item_name=rule.item_name,
        target=fmt.share(rule.target),
        share=fmt.share(figures.compliance),
        status=rule.status,
        status_label=_status_label(rule.status),
        checked=figures.checked,
        passed=figures.passed,
        failed=figures.failed,
        pending=figures.pending,
        trend=trend(figures.compliance, rule.previous_compliance, fmt, rule.previous_checked),
        not_counted=not_counted_line(figures.metrics),
        metrics=[(label(k), fmt.lines(k, v)) for k, v in figures.metrics.items() if k not in _NOT_LISTED_METRICS],
        notes=[str(figures.metrics[_NOTE_METRIC])] if figures.metrics.get(_NOTE_METRIC) else [],
        settings=[(label(k), fmt.lines(k, v)) for k, v in rule.options.items()],
        weeks=[(f"week of {fmt.day(w.week_start)}", fmt.share(w.passed / w.checked if w.checked else None), w.checked)
               for w in rule.weeks],
        findings_total=total,
        worst=(worst := [f for f in findings if f.failure][:WORST_CASES]),
        worst_measured=any(f.waited for f in worst),
        evidence=findings[:cap],
        in_appendix=in_appendix,
        not_printed=not_printed,
    )


def below_target(figures: Figures, target: float) -> bool:
    # The same comparison the audit makes for a rule, on the counts.
    return figures.compliance is not None and not meets_target(figures.passed, figures.checked, target)


def _account_view(account: AccountResult, n: int, rules: tuple[RuleResult, ...], rule_anchor: dict[str, str],
                  fmt: Formatter) -> AccountView:
    rows, below = [], []
    for rule in rules:
        figures = account.rules.get(rule.id)
        if figures is None:
            continue
        if figures.compliance is None:
            status = "no_data"
        elif below_target(figures, rule.target):
            status = "fail"
            below.append(rule.id)
        else:
            status = "pass"
        rows.append(ScoreRow(rule.id, rule_anchor[rule.id], figures.checked, figures.passed, figures.failed,
                             figures.pending, fmt.share(figures.compliance), fmt.share(rule.target), status,
                             _status_label(status)))
    return AccountView(f"account-{n}", account.handle, account.name, account.kind, account.team, account.manager,
                       account.findings, below, rows, fmt.network(account.platform))


@dataclass
class WaitingView:
    counterpart: str | None
    account: str
    rule: str
    rule_anchor: str
    anchor: str | None
    started: str
    waited: str
    limit: str | None
    answered: str
    network: str | None = None


def _waiting_longest(findings: tuple[Finding, ...], rule_anchor: dict[str, str], fmt: Formatter) -> list[WaitingView]:
    """Late or unanswered people, the longest wait first (in calendar time, nights and weekends
    included), each wait said as the rule measured it: on a business-hours clock, open hours with
    the calendar time beside them."""
    rows = [f for f in findings if f.type in WAITING_TYPES and f.is_failure and f.wait is not None]
    rows.sort(key=lambda f: (-f.wait.calendar_seconds, f.occurred_at, f.fingerprint))
    return [
        WaitingView(
            counterpart=f.counterpart,
            account=f.account,
            rule=f.rule,
            rule_anchor=rule_anchor.get(f.rule, ""),
            anchor=f"finding-{f.fingerprint}",
            started=fmt.short(f.wait.started_at),
            waited=f.wait.text,
            limit=_limit(f.measure, fmt),
            answered=fmt.short(f.wait.ended_at) if f.wait.answered else "no answer",
            network=fmt.network(f.platform),
        )
        for f in rows
    ]


def _limit(measure: dict[str, Any], fmt: Formatter) -> str | None:
    within = measure.get("within_seconds")
    if not isinstance(within, (int, float)):
        return None
    clock = measure.get("clock")
    return fmt.duration(within) + (f" ({clock})" if clock and clock != "wall clock" else "")


def _cover(result: AuditResult, fmt: Formatter, generated: datetime, redaction: str) -> dict[str, Any]:
    data = result.data
    end = fmt.moment(result.period.get("end"))
    # The period's end is exclusive (local midnight after its last day).
    last_day = (end - timedelta(seconds=1)).date() if end else None
    return {
        "company": result.policy.get("company") or result.policy.get("name"),
        "policy_name": result.policy.get("name"),
        "policy_version": result.policy.get("version"),
        "period_label": result.period.get("label"),
        "period_range": f"{fmt.day(result.period.get('start'))} – {fmt.day(last_day)}",
        "timezone": str(fmt.zone.key),
        "generated_at": fmt.when(generated),
        "generated_iso": generated.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tool": f"{result.tool.get('name', 'auditor')} {result.tool.get('version', '')}".strip(),
        "events": data.events,
        "posts": data.posts,
        "dms": data.dms,
        "accounts": data.accounts,
        "roster": len(result.accounts),
        "sources": len(data.sources),
        "skipped": data.skipped,
        "first_event": fmt.when(data.first_event),
        "last_event": fmt.when(data.last_event),
        "as_of": fmt.when(data.as_of),
        "channels_missing": list(data.channels_missing),
        "dms_not_held": _handles_line(data.dms_not_held),
        "redaction": redaction,
        "networks": _networks(data, fmt) if fmt.networks else [],
    }


def _networks(data, fmt: "Formatter") -> list[dict[str, Any]]:
    """The data coverage per network: its audited accounts, its events, whose DMs are missing."""
    return [{"name": platform_label(n.platform), "accounts": n.accounts, "events": n.events, "posts": n.posts,
             "dms": n.dms, "first_event": fmt.when(n.first_event), "last_event": fmt.when(n.last_event),
             "dms_not_held": _handles_line(n.dms_not_held), "channels_missing": ", ".join(n.channels_missing)}
            for n in data.networks]


def _handles_line(handles, limit: int = 12) -> str:
    """"@a, @b and 3 more": accounts named in a coverage line, a long list cut short."""
    named = [f"@{handle}" for handle in handles[:limit]]
    more = len(handles) - limit
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def _dm_holders(dm_accounts) -> str:
    if "*" in dm_accounts:
        return "every account in it"
    return _handles_line(list(dm_accounts)) or "none"


_REDACTION_TEXT = {
    "dms": "Direct-message text is withheld: the report shows that a DM was sent, by whom and when.",
    "customers": "Customer handles are replaced by stable pseudonyms; roster accounts are named. "
                 "Direct-message text is withheld.",
    "none": "Nothing is redacted: direct-message text and customer handles are shown as recorded.",
}


def _methodology(result: AuditResult, fmt: Formatter, redaction: str, targets: dict[str, float]) -> dict[str, Any]:
    data = result.data
    reasons = Counter(str(line.get("reason", "")) for line in data.skipped_lines)
    waivers = [
        {
            "rule": f.rule, "account": f.account, "counterpart": f.counterpart, "when": fmt.short(f.occurred_at),
            "anchor": f"finding-{f.fingerprint}", "fingerprint": f.fingerprint,
            **{k: fmt.value(k, v) for k, v in (f.waived or {}).items()},
        }
        for f in result.findings if f.waived
    ]
    return {
        "sources": [
            {"name": s.name, "kind": s.kind, "events": s.events, "skipped": s.skipped,
             "channels": ", ".join(s.channels) or "none", "notes": list(s.notes),
             "dm_holders": _dm_holders(s.dm_accounts)}
            for s in data.sources
        ],
        "events": data.events,
        "posts": data.posts,
        "dms": data.dms,
        "accounts": data.accounts,
        "skipped": data.skipped,
        "skipped_reasons": reasons.most_common(),
        "skipped_listed": len(data.skipped_lines),
        "skipped_lines": [
            {"source": line.get("source"), "line": line.get("line"), "reason": line.get("reason")}
            for line in data.skipped_lines[:20]
        ],
        "first_event": fmt.when(data.first_event),
        "last_event": fmt.when(data.last_event),
        "as_of": fmt.when(data.as_of),
        "channels_missing": list(data.channels_missing),
        "dms_not_held": _handles_line(data.dms_not_held),
        "networks": _networks(data, fmt) if fmt.networks else [],
        "ignored_accounts": ", ".join(data.ignored_accounts),
        "ignored_events": data.ignored_events,
        "waivers": waivers,
        "notes": list(result.notes),
        "policy_sha256": result.policy.get("sha256"),
        "timezone": str(fmt.zone.key),
        "period_start": fmt.when(result.period.get("start")),
        "period_end": fmt.when(result.period.get("end")),
        "redaction": _REDACTION_TEXT.get(redaction, redaction),
        "targets": [(rule_id, fmt.share(target)) for rule_id, target in targets.items()],
    }
