"""What the PDF and HTML reports show: an `AuditResult` turned into sorted, capped, formatted lists.

The templates only lay out what this module hands them; they format nothing and
decide nothing. No rule is evaluated here and no rule kind is special-cased,
with two exceptions the executive summary names (docs/report.md, "What the PDF holds, page by page"):
"customers left waiting" (findings of the kinds in `WAITING_TYPES`) and
"promises broken" (findings of the kinds in `PROMISE_TYPES`). Everything
else is chosen from the data present: a finding whose rule filled its `timing`
gets a "how the clock ran" story (`story.py`), whatever kind produced it; its
`measure` is listed as details, less what the story tells.

Times are shown in the policy's time zone (`result.policy["timezone"]`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from auditor.render.cover import cover_view, methodology_view, scope_view
from auditor.render.finding_views import WAITING_TYPES, finding_view, waiting_longest, worst_first
from auditor.render.formatting import Formatter, generated_now, label
from auditor.time.durations import format_on_clock
from auditor.types import format_share_against, format_target
from auditor.render.views import AccountView, FindingView, RuleView, ScoreRow, Trend
from auditor.result import TREND_MIN_ITEMS, AccountResult, AuditResult, Finding, RuleResult, below_target

# Finding kinds the executive summary lists by name (docs/report.md).
PROMISE_TYPES = ("follow_through",)
SUMMARY_ROWS = 5  # rows of each list on the one-page executive summary
WORST_CASES = 5  # rows of the "worst cases" table of a rule section
# Metrics drawn as a chart (see charts.py), said in the rule's "not counted" line, or a rule's sentence
# about its figures (`note`): printed under the figures rather than as rows.
_NOTE_METRIC = "note"
_NOT_LISTED_METRICS = {"histogram", "not_counted", _NOTE_METRIC}


def _is_wait(rule: RuleResult, key: str, value: Any) -> bool:
    """A response time among a rule's figures (its median, its 90th percentile)."""
    return rule.type == "response_time" and key.endswith("_seconds") and isinstance(value, (int, float))


def _wait_metric(rule: RuleResult, seconds: float) -> list[str]:
    """A response time written as the rule's findings write a wait: in open hours on a calendar ("30h of open
    hours", never days), else to the minute ("1d 30m")."""
    return [format_on_clock(timedelta(seconds=seconds), business_hours=bool(rule.options.get("clock")))]


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
        ordered = sorted(by_rule.get(rule.id, []), key=worst_first)
        quoted = min(len(ordered), evidence_cap)
        rest = len(ordered) - quoted
        listed = min(rest, max(0, appendix_cap - len(appendix)))
        # Views only for the findings the report prints: a large month has thousands it only counts. The
        # worst cases are the first failures, and failures sort before pending items: among the first few.
        views = [finding_view(f, n, rule_anchor, fmt)
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
    waiting = waiting_longest(result.findings, rule_anchor, fmt)
    broken_findings = [f for f in result.findings if f.type in PROMISE_TYPES and f.is_failure]
    broken_findings.sort(key=lambda f: (f.occurred_at, f.account, f.fingerprint))
    broken = [finding_view(f, 0, rule_anchor, fmt) for f in broken_findings[:SUMMARY_ROWS]]
    for item in [*waiting, *broken, *(w for rule in rules for w in rule.worst)]:
        if item.anchor not in printed:
            item.anchor = None
    generated = generated_at or generated_now()
    methodology = methodology_view(result, fmt, redaction, targets)
    for waiver in methodology["waivers"]:
        if waiver["anchor"] not in printed:
            waiver["anchor"] = None

    scope = scope_view(result) if result.scope is not None else None
    return {
        "medium": "print",
        "paper": paper,
        "title": f"Social media policy audit: {result.policy.get('company') or result.policy.get('name')}, "
                 f"{result.period.get('label', '')}" + (f", {scope['label']}" if scope else ""),
        "cover": {**cover_view(result, fmt, generated, redaction), "scope": scope},
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
            # "Nobody was left waiting" only where something was checked: on data without inbound items it is no news.
            "waiting_judged": _judged(result, WAITING_TYPES),
            "broken": broken,
            "broken_more": max(0, len(broken_findings) - SUMMARY_ROWS),
            "broken_shown": any(r.type in PROMISE_TYPES for r in result.rules),
            "broken_judged": _judged(result, PROMISE_TYPES),
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


def _with_company(view: RuleView, rule: RuleResult, scope: dict[str, Any], fmt: Formatter) -> None:
    """A group has no trend of its own (its accounts' figures do not hold the previous period): it shows the
    company's, said to be the company's, beside the company's share and status."""
    company = scope["company"]["rules"].get(rule.id)
    if company is None:
        return
    view.company = {"share": fmt.share(company["compliance"]), "status": company["status"],
                    "status_label": _status_label(company["status"])}
    view.trend = trend(company["compliance"], company["previous_compliance"], fmt, company["previous_checked"])


def _status_label(status: str) -> str:
    return {"pass": "PASS", "fail": "FAIL", "no_data": "NO DATA"}.get(status, status.upper())


def trend(current: float | None, previous: float | None, fmt: Formatter, previous_checked: int | None = None) -> Trend:
    """Against the previous period, only when that period checked enough items to compare with
    (TREND_MIN_ITEMS): a swing on two items says nothing."""
    if previous is None and previous_checked is None:
        # The data holds no previous period, or does not reach back to its start (a partial month would
        # compare the period with a few days).
        return Trend("", "none", "not fully in the data")
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


def _judged(result: AuditResult, types) -> str:
    """What rules of these kinds had before them: `checked` items (then "nobody was left waiting" is news), items
    only `set_aside` or listed (pending, cannot tell), or `nothing`."""
    chosen = [r for r in result.rules if r.type in types]
    if any(r.status != "no_data" for r in chosen):
        return "checked"
    rules = {r.id for r in chosen}
    if any(r.figures.pending or r.figures.metrics.get("not_counted") for r in chosen) or any(
            f.rule in rules for f in result.findings):
        return "set_aside"
    return "nothing"


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
        target=format_target(rule.target),
        share=format_share_against(figures.compliance, rule.target),
        status=rule.status,
        status_label=_status_label(rule.status),
        checked=figures.checked,
        passed=figures.passed,
        failed=figures.failed,
        pending=figures.pending,
        trend=trend(figures.compliance, rule.previous_compliance, fmt, rule.previous_checked),
        not_counted=not_counted_line(figures.metrics),
        metrics=[(label(k), _wait_metric(rule, v) if _is_wait(rule, k, v) else fmt.lines(k, v))
                 for k, v in figures.metrics.items() if k not in _NOT_LISTED_METRICS],
        notes=[str(figures.metrics[_NOTE_METRIC])] if figures.metrics.get(_NOTE_METRIC) else [],
        settings=[(label(k), fmt.lines(k, v)) for k, v in rule.options.items()],
        weeks=[(f"week of {fmt.day(w.week_start)}", format_share_against(w.passed / w.checked if w.checked else None,
                                                                          rule.target), w.checked)
               for w in rule.weeks],
        findings_total=total,
        worst=(worst := [f for f in findings if f.failure][:WORST_CASES]),
        worst_measured=any(f.waited for f in worst),
        evidence=findings[:cap],
        in_appendix=in_appendix,
        not_printed=not_printed,
    )


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
                             figures.pending, format_share_against(figures.compliance, rule.target),
                             format_target(rule.target), status,
                             _status_label(status)))
    return AccountView(f"account-{n}", account.handle, account.name, account.kind, account.team, account.manager,
                       account.findings, below, rows, fmt.network(account.platform))
