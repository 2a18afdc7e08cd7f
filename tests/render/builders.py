"""AuditResults built directly (no audit run): any size, any text, in a second."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from auditor.result import (
    AccountResult,
    AuditResult,
    DataCoverage,
    Evidence,
    Figures,
    Finding,
    Moment,
    RuleResult,
    SourceCoverage,
    Timing,
    Wait,
    WeekFigures,
)
from auditor.time.durations import format_wait

START = datetime(2026, 10, 1, 4, 0, tzinfo=timezone.utc)  # 2026-10-01 00:00 in Toronto
HOUR = 3600


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _figures(checked: int, failed: int, pending: int = 0, **metrics) -> Figures:
    passed = checked - failed
    return Figures(checked, passed, failed, pending, round(passed / checked, 4) if checked else None, metrics)


def _rule(rule_id: str, kind: str, severity: str, target: float, figures: Figures, item_name: str,
          previous: float | None = None, options: dict | None = None) -> RuleResult:
    weeks = tuple(WeekFigures(f"2026-10-{day:02d}", figures.checked // 4, (figures.passed // 4) - n)
                  for n, day in enumerate((5, 12, 19, 26)))
    compliance = figures.compliance
    status = "no_data" if compliance is None else ("pass" if compliance >= target else "fail")
    return RuleResult(rule_id, kind, severity, f"The {rule_id} rule.", f"What {kind} means.", item_name, target,
                      status, figures, previous, weeks, options or {})


def make_wait(start: datetime, end: datetime, on_clock: int, clock: str = "wall clock", answered: bool = True) -> Wait:
    """A wait as response_time words it."""
    return Wait(iso(start), iso(end), answered, clock, on_clock, int((end - start).total_seconds()), 4 * HOUR,
                format_wait(timedelta(seconds=on_clock), end - start, business_hours=clock != "wall clock"))


def sla_finding(rule: str, account: str, customer: str, n: int, *, text: str = "where is my order?",
                dm: bool = False, url: str | None = "auto", answered: bool = True, severity: str = "high",
                waived: dict | None = None, start: datetime | None = None, elapsed: int | None = None,
                calendar: int | None = None, clock: str = "wall clock") -> Finding:
    start = start or START + timedelta(minutes=37 * n)
    elapsed = elapsed or 4 * HOUR + 60 * (n % 500) + 1
    kind = "dm" if dm else "post"
    link = (f"https://x.com/{customer}/status/{9000 + n}" if url == "auto" else url) if not dm else None
    evidence = [Evidence(f"{9000 + n}", kind, customer, iso(start), text, link, "inbound")]
    measure = {"channel": "dm" if dm else "mention", "items": 1, "clock": clock, "within_seconds": 4 * HOUR,
               "started_at": iso(start), "elapsed_seconds": elapsed}
    end = start + timedelta(seconds=calendar or elapsed)
    wait = make_wait(start, end, elapsed, clock, answered)
    told = ("channel", "items", "clock", "within_seconds", "started_at", "elapsed_seconds")
    timing = Timing((Moment("started", iso(start)),), 4 * HOUR, clock, elapsed_seconds=elapsed, items=1,
                    channel=measure["channel"], measure_keys=told)
    if answered:
        answer = end
        measure.update(answered_at=iso(answer), answered_by=account, response_id=f"r{n}")
        timing = replace(timing, moments=timing.moments + (Moment("answered", iso(answer), account),),
                         measure_keys=told + ("answered_at", "answered_by"))
        evidence.append(Evidence(f"r{n}", kind, account, iso(answer), f"@{customer} sorry for the wait", None,
                                 "response"))
        message = f"@{customer} waited {wait.text} for an answer (limit 4h on wall clock)"
    else:
        measure["deadline"] = iso(start + timedelta(hours=4))
        timing = replace(timing, deadline=measure["deadline"], unanswered=True, measure_keys=told + ("deadline",))
        message = f"@{customer} got no answer: waited {wait.text} by the end of the data (limit 4h on wall clock)"
    return Finding(rule, "response_time", severity, account, customer, "breached", message, iso(start), measure,
                   tuple(evidence), _fingerprint(rule, account, customer, n), waived=waived, wait=wait, timing=timing)


def promise_finding(rule: str, account: str, customer: str, n: int, text: str = "DM me and we can talk") -> Finding:
    promised = START + timedelta(hours=5 * n)
    measure = {"promise": "DM me", "promised_at": iso(promised), "counterpart_wrote_at": iso(promised + timedelta(minutes=20)),
               "deadline": iso(promised + timedelta(hours=24, minutes=20)), "waited_seconds": 3 * 86400,
               "within_seconds": 86400}
    evidence = (Evidence(f"p{n}", "post", account, iso(promised), f"@{customer} {text}",
                         f"https://x.com/{account}/status/p{n}", "promise"),
                Evidence(f"d{n}", "dm", customer, iso(promised + timedelta(minutes=20)), "my phone is 555-0100",
                         None, "unanswered-dm"))
    timing = Timing((Moment("promised", measure["promised_at"]), Moment("counterpart_wrote", measure["counterpart_wrote_at"])),
                    86400, deadline=measure["deadline"], elapsed_seconds=3 * 86400, unanswered=True,
                    measure_keys=("promised_at", "counterpart_wrote_at", "deadline", "waited_seconds", "within_seconds"))
    return Finding(rule, "follow_through", "critical", account, customer, "broken",
                   f"@{customer} wrote by DM after the promise \"DM me\" and got no answer (limit 1d)",
                   iso(promised), measure, evidence, _fingerprint(rule, account, customer, n), timing=timing)


def tone_finding(rule: str, account: str, n: int, text: str) -> Finding:
    when = START + timedelta(hours=3 * n)
    return Finding(rule, "tone", "medium", account, None, "violation", "banned: \"whatever\"", iso(when),
                   {"words": ["whatever"]}, (Evidence(f"t{n}", "post", account, iso(when), text,
                                                      f"https://x.com/{account}/status/t{n}", "offending"),),
                   _fingerprint(rule, account, "", n), check="banned")


def _fingerprint(*parts) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:20]


def result(findings: list[Finding], *, accounts: int = 3, company: str = "Acme Corp",
           previous: float | None = 0.9, channels_missing: tuple[str, ...] = ()) -> AuditResult:
    """A result around `findings`, with figures consistent enough to read well."""
    rule_ids: dict[str, tuple[str, str]] = {}
    for f in findings:
        rule_ids.setdefault(f.rule, (f.type, f.severity))
    for default, kind in (("answer", "response_time"), ("keep-promises", "follow_through"), ("tone", "tone")):
        if not any(k == kind for k, _ in rule_ids.values()):
            rule_ids[default] = (kind, "high")
    handles = [f"agent{n:03d}" for n in range(accounts)]
    for f in findings:
        if f.account not in handles:
            handles.append(f.account)
    handles.sort()
    rules, per_account = [], {h: {} for h in handles}
    for rule_id, (kind, severity) in rule_ids.items():
        mine = [f for f in findings if f.rule == rule_id]
        failed = sum(1 for f in mine if f.is_failure)
        checked = max(20, failed * 4)
        item = {"response_time": "waiting episodes", "follow_through": "promises"}.get(kind, "posts")
        figures = _figures(checked, failed, median_response_seconds=1800 if kind == "response_time" else None)
        rules.append(_rule(rule_id, kind, severity, 0.95, figures, item, previous,
                           {"within": "4h", "inbound": ["mention", "reply", "dm"]} if kind == "response_time" else {}))
        for h in handles:
            own = sum(1 for f in mine if f.account == h and f.is_failure)
            per_account[h][rule_id] = _figures(max(own * 3, 5), own)
    account_results = tuple(
        AccountResult(h, f"Agent {h}", "employee", "support" if n % 2 else "sales", "Dana Reyes", per_account[h],
                      sum(1 for f in findings if f.account == h and f.is_failure))
        for n, h in enumerate(handles)
    )
    last = max((f.occurred_at for f in findings), default=iso(START))
    return AuditResult(
        tool={"name": "auditor", "version": "0.1.0"},
        policy={"name": "Acme social media policy", "version": "2026.1", "company": company,
                "timezone": "America/Toronto", "file": "policies/example.yaml", "sha256": "ab" * 32},
        period={"label": "October 2026", "start": "2026-10-01T00:00:00-04:00", "end": "2026-11-01T00:00:00-04:00",
                "timezone": "America/Toronto"},
        data=DataCoverage(
            sources=(SourceCoverage("sample.jsonl", "jsonl", 5000, 2, ("mention", "reply", "dm")),),
            events=5000, posts=4000, dms=1000, accounts=len(handles) + 100, skipped=2,
            skipped_lines=({"source": "sample.jsonl", "line": 7, "reason": "created_at has no offset"},
                           {"source": "sample.jsonl", "line": 9, "reason": "not JSON"}),
            first_event=iso(START - timedelta(days=7)), last_event=last, as_of="2026-11-02T12:00:00Z",
            channels_missing=channels_missing,
        ),
        summary={"score": 87.5, "rules_passed": 0, "rules_failed": len(rules), "rules_no_data": 0,
                 "findings": sum(1 for f in findings if f.is_failure), "pending": 0,
                 "waived": sum(1 for f in findings if f.waived),
                 "findings_by_severity": {"critical": 0, "high": len(findings), "medium": 0, "low": 0, "info": 0}},
        rules=tuple(rules),
        accounts=account_results,
        findings=tuple(sorted(findings, key=lambda f: (f.rule, f.account, f.occurred_at, f.fingerprint))),
    )


def large(accounts: int, findings: int) -> AuditResult:
    """`findings` findings over `accounts` accounts and three rules of three kinds."""
    handles = [f"agent{n:03d}" for n in range(accounts)]
    made = []
    for n in range(findings):
        account, customer = handles[n % accounts], f"customer{n % 997}"
        if n % 5 == 3:
            made.append(promise_finding("keep-promises", account, customer, n))
        elif n % 5 == 4:
            made.append(tone_finding("tone", account, n, f"whatever, not my problem #{n}"))
        else:
            made.append(sla_finding("answer", account, customer, n, text=f"@{account} question number {n}?",
                                    dm=n % 7 == 0, answered=n % 3 != 0))
    return result(made, accounts=accounts)
