"""Findings as the report shows them: the finding itself with its evidence and story, and the
summary's rows of people left waiting."""

from __future__ import annotations


from auditor.render.formatting import Formatter, finding_anchor, label, safe_link
from auditor.render.story import clock_story, story_keys, waited_text
from auditor.render.views import EvidenceView, FindingView, WaitingView
from auditor.result import Evidence, Finding, Timing

# Finding kinds the executive summary lists by name (docs/report.md, "What the PDF holds, page by page").
WAITING_TYPES = ("response_time",)
# Measure keys not shown as details: plumbing (ids of posts already quoted as evidence), or words the
# message already says (a cannot-tell finding's reason).
_HIDDEN_KEYS = {"response_id", "reason"}


def worst_first(finding: Finding) -> tuple:
    # Counted failures first, then waived ones, then pending items; the longest waits first
    # when the rule measured a time, else in the order they happened.
    group = 2 if not finding.is_failure else (1 if finding.waived else 0)
    timing = finding.timing
    weight = -timing.elapsed_seconds if timing is not None and timing.elapsed_seconds is not None else 0
    return group, weight, finding.occurred_at, finding.account, finding.fingerprint


def finding_view(finding: Finding, number: int, rule_anchor: dict[str, str], fmt: Formatter) -> FindingView:
    measure = finding.measure if isinstance(finding.measure, dict) else {}
    timing = finding.timing
    within = timing.within_seconds if timing is not None else None
    told = story_keys(timing)
    details = [(label(k), fmt.lines(k, v)) for k, v in measure.items() if k not in told and k not in _HIDDEN_KEYS]
    waived = None
    if finding.waived:
        waived = {k: fmt.value(k, v) for k, v in finding.waived.items()}
    return FindingView(
        anchor=finding_anchor(finding),
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
        waited=waited_text(finding.wait, timing, fmt),
        limit=fmt.duration(within) if within is not None else None,
        answered=fmt.when(timing.answered_at) if timing is not None and timing.answered_at else None,
        story=clock_story(timing, fmt, finding.wait),
        details=details,
        evidence=[_evidence_view(e, fmt) for e in finding.evidence],
        waived=waived,
        baseline=finding.baseline,
        check=finding.check,
        network=fmt.network(finding.platform),
    )


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


def waiting_longest(findings: tuple[Finding, ...], rule_anchor: dict[str, str], fmt: Formatter) -> list[WaitingView]:
    """Late or unanswered people (not waived), the longest wait first (in calendar time, nights and weekends
    included), each wait said as the rule measured it: on a business-hours clock, open hours with
    the calendar time beside them."""
    # A waived finding no longer counts (docs/contract.md): it is in its rule's evidence, marked, not here.
    rows = [f for f in findings if f.type in WAITING_TYPES and f.is_failure and f.wait is not None and not f.waived]
    rows.sort(key=lambda f: (-f.wait.calendar_seconds, f.occurred_at, f.fingerprint))
    return [
        WaitingView(
            counterpart=f.counterpart,
            account=f.account,
            rule=f.rule,
            rule_anchor=rule_anchor.get(f.rule, ""),
            anchor=finding_anchor(f),
            started=fmt.short(f.wait.started_at),
            waited=f.wait.text,
            limit=_limit(f.timing, fmt),
            answered=fmt.short(f.wait.ended_at) if f.wait.answered else "no answer",
            network=fmt.network(f.platform),
        )
        for f in rows
    ]


def _limit(timing: Timing | None, fmt: Formatter) -> str | None:
    if timing is None or timing.within_seconds is None:
        return None
    clock = timing.clock
    return fmt.duration(timing.within_seconds) + (f" ({clock})" if clock and clock != "wall clock" else "")
