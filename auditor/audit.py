"""audit(policy, activity, period) -> AuditResult: every rule evaluated once, counted one way. No I/O."""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from functools import partial
from operator import attrgetter
from typing import Callable, Iterable

import msgspec

from auditor import __version__, progress
from auditor.speedups import in_background, in_turn
from auditor.time.instants import utc_iso
from auditor.activity.model import CHANNELS, EVERY_ACCOUNT, Activity, Post
from auditor.networks import PLATFORMS, SOURCE_NETWORK, handle_platform
from auditor.index import ActivityIndex
from auditor.time.period import LOOK_AHEAD, Period
from auditor.policy.loader import LoadedPolicy
from auditor.result import (
    AccountResult,
    AuditResult,
    DataCoverage,
    Evidence,
    Figures,
    Finding,
    NetworkCoverage,
    RuleResult,
    SourceCoverage,
    WeekFigures,
    status_of,
)
from auditor.types import SEVERITIES, score_of, share_of
from auditor.rules.base import Check, RuleBase
from auditor.rules.context import RuleContext, ScoredAhead

# Options every kind has; the rest are shown as the rule's own settings.
_COMMON = {"id", "type", "severity", "description", "target", "enabled"}


def audit(loaded: LoadedPolicy, activity: Activity, period: Period, *, as_of: datetime | None = None,
          keep_checks: bool = True, scored_ahead: Callable[[], ScoredAhead] | None = None) -> AuditResult:
    """The period audited. `keep_checks`: each rule's result keeps its checks, which waivers need to
    count it again (`recount`); without waivers they are dropped once counted (a large month has
    about a million of them). `scored_ahead` gives what was scored for some rules while the data was
    read, asked for once the events are indexed (auditor/texts_ahead.py)."""
    policy = loaded.policy
    if as_of is not None:
        # The end of the data: what came later was not there yet (the same --as-of gives the same report
        # whatever was added to the sources since).
        activity = replace(activity, posts=[p for p in activity.posts if p.created_at <= as_of],
                           dms=[d for d in activity.dms if d.created_at <= as_of])
    index = ActivityIndex(activity, set(policy.roster_by_handle))
    # A source that runs on past the window read is complete up to the window's end: that is the end of the data
    # this audit can speak of (an item unanswered then is judged then, not at the last event read before it).
    read_until = activity.read_until() if as_of is None else None
    as_of = as_of or read_until or index.last_event or period.end
    ctx = rule_context(policy, index, period, as_of)
    if read_until is not None:
        ctx = replace(ctx, data_end="the end of what this audit reads")
    if scored_ahead is not None:
        ctx = replace(ctx, scored_ahead=scored_ahead())
    previous = period.previous()
    # The trend is only honest when the data reaches back over the whole previous period.
    has_previous = index.first_event is not None and index.first_event <= previous.start + timedelta(days=1)
    previous_ctx = ctx.for_period(previous)

    enabled = [rule for rule in policy.rules if rule.enabled]
    task = progress.current().task("evaluating rules", total=len(enabled), unit="rules")
    # A rule that scores texts in the workers starts first, in the background (speedups.in_background),
    # and its thread also counts its checks and builds its findings. Meanwhile this process evaluates
    # the other rules, then works out what depends on no rule (the data's coverage and hash), and only
    # then waits, taking each background rule as it finishes: while the workers score texts both
    # CPUs are busy, and what is left once they are done runs on one. Each rule's outcome is its own,
    # so the order changes nothing.
    trend_ctx = previous_ctx if has_previous else None
    outcome = partial(_outcome, previous_ctx=trend_ctx, keep_checks=keep_checks)
    started = {rule.id: in_background(partial(outcome, rule, ctx))
               for rule in enabled if type(rule).scores_texts_in_workers}
    outcomes: dict[str, tuple[RuleResult, dict[str, Figures], list[Finding]]] = {}
    for rule in enabled:
        if rule.id not in started:
            task.update(rule.id)
            outcomes[rule.id] = outcome(rule, ctx)
            task.advance(1)
    data = replace(_coverage(activity, index, as_of, policy, period, ctx.accounts),
                   period_events=_period_events(index, period, as_of))
    for rule_id, outcome in in_turn(started):
        task.update(rule_id)
        outcomes[rule_id] = outcome
        task.advance(1)
    task.done()

    # Put together in the policy's order.
    rule_results, findings = [], []
    per_account: dict[str, dict[str, Figures]] = defaultdict(dict)
    for rule in enabled:
        result, account_figures, found = outcomes[rule.id]
        rule_results.append(result)
        for handle, figures in account_figures.items():
            per_account[handle][rule.id] = figures
        findings.extend(found)

    findings.sort(key=lambda f: (f.rule, f.account, f.occurred_at, f.fingerprint))
    findings_count = Counter(f.account for f in findings if f.is_failure)
    accounts = tuple(
        AccountResult(a.handle, a.name, a.kind, a.team, a.manager, per_account.get(a.handle, {}), findings_count[a.handle],
                      a.platform)
        for a in sorted(policy.roster, key=lambda a: a.handle)
    )
    return AuditResult(
        tool={"name": "auditor", "version": __version__},
        policy={
            "name": policy.name,
            "version": policy.version,
            "company": policy.company or policy.name,
            "timezone": policy.timezone,
            "file": loaded.display_path,
            "sha256": loaded.sha256,
        },
        period={
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "timezone": policy.timezone,
        },
        data=data,
        summary=summarize(rule_results, findings),
        rules=tuple(rule_results),
        accounts=accounts,
        findings=tuple(findings),
        notes=_data_notes(index, read_until, policy.zone),
    )


def _data_notes(index: ActivityIndex, read_until: datetime | None, zone: ZoneInfo) -> tuple[str, ...]:
    """What the report must say about the data beside its coverage: events it could not audit."""
    notes = []
    if index.conflicting_ids:
        ids = index.conflicting_ids
        notes.append(f"{ids} event {'id names' if ids == 1 else 'ids name'} events of two different authors in the "
                     f"data (a broken export?): one of {'them' if ids == 1 else 'each'} is audited, the other left out")
    if read_until is not None:
        until = read_until.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        notes.append(f"the data runs on past {until}, {LOOK_AHEAD.days} days after the period, which this audit does "
                     f"not read: "
                     f"what was still unanswered then is judged then (--as-of a later time reads up to it)")
    return tuple(notes)


def _outcome(rule: RuleBase, ctx: RuleContext, previous_ctx: RuleContext | None, keep_checks: bool = True
             ) -> tuple[RuleResult, dict[str, Figures], list[Finding]]:
    """A rule evaluated: its result, its figures for each account it audits, and its findings."""
    checks, previous_checks = rule.evaluate_periods(ctx, previous_ctx)
    index = ctx.index
    figures = _figures(rule, checks)
    by_account: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        by_account[check.account].append(check)
    account_figures = {account.handle: _figures(rule, by_account.get(account.handle, []))
                       for account in ctx.audited(rule.id)}
    previous = _figures(rule, previous_checks) if previous_checks is not None else None
    per_check = [_check_findings(rule, check, index) if check.findings else () for check in checks]
    result = RuleResult(
        id=rule.id,
        type=rule.type,
        severity=rule.severity,
        description=rule.description or type(rule).meaning,
        meaning=type(rule).meaning,
        item_name=type(rule).item_name,
        target=rule.target,
        status=status_of(figures, rule.target),
        figures=figures,
        previous_compliance=previous.compliance if previous else None,
        previous_checked=previous.checked if previous else None,
        weeks=_weeks(checks, ctx.zone),
        options=rule.model_dump(mode="json", exclude=_COMMON, exclude_none=True),
        checks=tuple(checks) if keep_checks else None,
        check_fingerprints=(tuple(tuple(f.fingerprint for f in found if f.is_failure) for found in per_check)
                            if keep_checks else None),
        kind=rule,
    )
    return result, account_figures, [finding for found in per_check for finding in found]


def rule_context(policy, index: ActivityIndex, period: Period, as_of: datetime) -> RuleContext:
    """What every rule is given, built once: the accounts of each enabled rule, a clock per calendar."""
    clocks = {name: policy.clock(name) for name in (None, *policy.calendars)}
    accounts = {rule.id: policy.audited_by(rule) for rule in policy.rules if rule.enabled}
    return RuleContext(index, period, as_of, policy.zone, clocks, accounts, policy.is_ignored)


def summarize(rules: Iterable[RuleResult], findings: Iterable[Finding]) -> dict:
    rules = list(rules)
    counted = [f for f in findings if f.is_failure and not f.waived]
    by_severity = Counter(f.severity for f in counted)
    scored = [r.figures.compliance for r in rules if r.figures.compliance is not None]
    return {
        # The score is the mean compliance of the rules that had something to check.
        "score": score_of(scored),
        "rules_passed": sum(1 for r in rules if r.status == "pass"),
        "rules_failed": sum(1 for r in rules if r.status == "fail"),
        "rules_no_data": sum(1 for r in rules if r.status == "no_data"),
        "findings": len(counted),
        "pending": sum(1 for f in findings if f.status == "pending"),
        "cannot_tell": sum(1 for f in findings if f.status == "cannot_tell"),
        "waived": sum(1 for f in findings if f.waived),
        "findings_by_severity": {severity: by_severity.get(severity, 0) for severity in reversed(SEVERITIES)},
    }


def _figures(rule: RuleBase, checks: list[Check]) -> Figures:
    statuses = Counter(map(_status, checks))  # one pass, in C
    passed, failed = statuses["passed"], statuses["failed"]
    checked = passed + failed
    return Figures(checked, passed, failed, statuses["pending"], share_of(passed, checked), rule.metrics(checks))


_status = attrgetter("status")


def _weeks(checks: list[Check], zone) -> tuple[WeekFigures, ...]:
    # Counted by local day first: a month has some thirty, and their Mondays are worked out once each.
    days = Counter((check.occurred_at.astimezone(zone).date(), check.status) for check in checks
                   if check.status == "passed" or check.status == "failed")
    weeks: dict[str, list[int]] = {}
    for (local, status), count in days.items():
        entry = weeks.setdefault((local - timedelta(days=local.weekday())).isoformat(), [0, 0])
        entry[0] += count
        if status == "passed":
            entry[1] += count
    return tuple(WeekFigures(week, checked, passed) for week, (checked, passed) in sorted(weeks.items()))


def _check_findings(rule: RuleBase, check: Check, index: ActivityIndex) -> list[Finding]:
    findings = []
    # Handles are disjoint across networks: the account's names its network, and its evidence is there.
    platform = handle_platform(check.account)
    for draft in check.findings:
        anchor = draft.evidence[0].id if draft.evidence else check.occurred_at.isoformat()
        fingerprint = hashlib.sha256(
            "\x1f".join([rule.id, check.account, check.counterpart or "", draft.check or "", anchor]).encode()
        ).hexdigest()[:20]
        findings.append(
            Finding(
                rule=rule.id,
                type=rule.type,
                severity=rule.severity,
                account=check.account,
                counterpart=check.counterpart,
                status=draft.status,
                message=draft.message,
                occurred_at=utc_iso(check.occurred_at),
                measure=draft.measure,
                evidence=tuple(_evidence(ref, index, platform) for ref in draft.evidence),
                fingerprint=fingerprint,
                check=draft.check,
                wait=draft.wait,
                timing=draft.timing,
                counted=check.status == "failed",
                platform=platform,
            )
        )
    return findings


def recount(result: AuditResult, findings: tuple[Finding, ...], zone) -> AuditResult:
    """The result with `findings` (some now waived) and every figure counted again without the
    items whose failing findings are all waived: not in a rule's checked, failed or metrics, its
    share or status, the score, the scorecards, nor the weekly trend. Pure."""
    waived = {f.fingerprint for f in findings if f.waived and f.is_failure}
    rules, per_account = [], defaultdict(dict)
    for rule in result.rules:
        if rule.checks is None:
            raise ValueError(f"rule {rule.id!r} was audited without its checks (audit(keep_checks=False)): "
                             "it cannot be counted again")
        counted = [check for check, prints in zip(rule.checks, rule.check_fingerprints)
                   if not (check.status == "failed" and prints and all(p in waived for p in prints))]
        if len(counted) == len(rule.checks) and rule.figures.waived == 0:
            rules.append(rule)
            for account in result.accounts:
                if rule.id in account.rules:
                    per_account[account.handle][rule.id] = account.rules[rule.id]
            continue
        figures = replace(_figures(rule.kind, counted), waived=len(rule.checks) - len(counted))
        rules.append(replace(rule, figures=figures, status=status_of(figures, rule.target), weeks=_weeks(counted, zone)))
        by_account: dict[str, list[Check]] = defaultdict(list)
        all_by_account: dict[str, int] = Counter(check.account for check in rule.checks)
        for check in counted:
            by_account[check.account].append(check)
        for account in result.accounts:
            if rule.id in account.rules:
                own = by_account.get(account.handle, [])
                per_account[account.handle][rule.id] = replace(
                    _figures(rule.kind, own), waived=all_by_account.get(account.handle, 0) - len(own))
    counted_findings = Counter(f.account for f in findings if f.is_failure and not f.waived)
    accounts = tuple(replace(a, rules=dict(per_account.get(a.handle, {})), findings=counted_findings[a.handle])
                     for a in result.accounts)
    return replace(result, findings=findings, rules=tuple(rules), accounts=accounts,
                   summary={**result.summary, **summarize(rules, findings)})


def _evidence(ref, index: ActivityIndex, platform: str) -> Evidence:
    event = index.event(ref.kind, ref.id, platform)
    if event is None:  # a rule only cites what it read; this keeps a report readable if one does not
        return Evidence(ref.id, ref.kind, "", "", "", None, ref.role)
    if isinstance(event, Post):
        return Evidence(event.id, "post", event.author, utc_iso(event.created_at), event.text, event.link, ref.role)
    return Evidence(event.id, "dm", event.sender, utc_iso(event.created_at), event.text, None, ref.role)


def _ignored_events(index: ActivityIndex, policy, period: Period) -> int:
    """Posts and DMs of the period written by accounts the policy's ignore_accounts sets aside."""
    if not policy.ignore_accounts:
        return 0
    ignored = {handle for handle in {post.author for post in index.posts}.union(dm.sender for dm in index.dms)
               - index.roster if policy.is_ignored(handle)}
    posts = sum(1 for post in index.posts if post.author in ignored and period.contains(post.created_at))
    dms = sum(1 for dm in index.dms if dm.sender in ignored and period.contains(dm.created_at))
    return posts + dms


def _coverage(activity: Activity, index: ActivityIndex, as_of: datetime, policy, period: Period,
              audited_by: dict[str, list]) -> DataCoverage:
    shown = {channel for source in activity.sources for channel in source.channels}
    audited = {account.handle for accounts in audited_by.values() for account in accounts}
    roster = index.roster | {EVERY_ACCOUNT}  # a report names whose DMs are held among the roster only, never customers
    networks = _networks(index, policy, audited, activity.sources)
    # A channel no source shows on a network with roster accounts is missing, whatever another network shows.
    missing = {c for c in CHANNELS if c not in shown} | {c for n in networks if n.accounts for c in n.channels_missing}
    return DataCoverage(
        sources=tuple(
            SourceCoverage(s.name, s.kind, s.events, s.skipped, tuple(s.channels), tuple(s.notes),
                           tuple(sorted(s.dm_accounts & roster)))
            for s in activity.sources
        ),
        events=len(index.posts) + len(index.dms),
        posts=len(index.posts),
        dms=len(index.dms),
        accounts=index.accounts,
        skipped=activity.skipped_count,
        skipped_lines=tuple(
            {"source": s.source, "line": s.line, "reason": s.reason} for s in activity.skipped[:100]
        ),
        first_event=utc_iso(index.first_event),
        last_event=utc_iso(index.last_event),
        as_of=utc_iso(as_of),
        channels_missing=tuple(c for c in CHANNELS if c in missing),
        dms_not_held=tuple(sorted(handle for handle in audited if not index.holds_dms(handle))),
        ignored_accounts=tuple(policy.ignore_accounts),
        ignored_events=_ignored_events(index, policy, period),
        sha256=_data_sha256(index),
        networks=networks,
    )


def _period_events(index: ActivityIndex, period: Period, as_of: datetime) -> int:
    """Events of the roster's accounts in the period, up to the end of the data: by one of them,
    replying to or mentioning one, or a DM to one."""
    roster = index.roster
    start, end = period.start, period.end
    count = 0
    for events in (index.posts, index.dms):  # each sorted by time
        first = bisect_left(events, start, key=_created_at)
        for event in events[first:bisect_left(events, end, key=_created_at)]:
            if event.created_at > as_of:
                break
            if type(event) is Post:
                involved = (event.author in roster or event.in_reply_to_author in roster
                            or not roster.isdisjoint(event.mentions))
            else:
                involved = event.sender in roster or not roster.isdisjoint(event.recipients)
            count += involved
    return count


_created_at = attrgetter("created_at")


def _networks(index: ActivityIndex, policy, audited: set[str], sources) -> tuple[NetworkCoverage, ...]:
    """The data per network: every network with a roster account or an event, in PLATFORMS order. A
    channel a source shows counts for its own network only (a Bluesky export shows no mention, whatever
    an X source shows); a source of no one network (JSONL, CSV) counts for each."""
    roster = Counter(account.platform for account in policy.roster)
    posts = Counter(map(_platform_of, index.posts))  # C-speed: a month can be a million events
    dms = Counter(map(_platform_of, index.dms))
    first: dict[str, datetime] = {}
    last: dict[str, datetime] = {}
    if len(posts.keys() | dms.keys()) == 1:  # one network (the usual case): the index's own bounds
        only = next(iter(posts.keys() | dms.keys()))
        first[only], last[only] = index.first_event, index.last_event
    else:
        for event in (*index.posts, *index.dms):
            moment = event.created_at
            if event.platform not in first or moment < first[event.platform]:
                first[event.platform] = moment
            if event.platform not in last or moment > last[event.platform]:
                last[event.platform] = moment
    known = [p for p in PLATFORMS if roster[p] or posts[p] or dms[p]]
    known += sorted(p for p in (posts.keys() | dms.keys()) if p not in PLATFORMS)
    shown: dict[str | None, set[str]] = defaultdict(set)
    for source in sources:
        shown[SOURCE_NETWORK.get(source.kind)].update(source.channels)
    return tuple(
        NetworkCoverage(platform, roster[platform], posts[platform] + dms[platform], posts[platform], dms[platform],
                        utc_iso(first.get(platform)), utc_iso(last.get(platform)),
                        tuple(sorted(h for h in audited if handle_platform(h) == platform and not index.holds_dms(h))),
                        tuple(c for c in CHANNELS if c not in shown[platform] | shown[None]))
        for platform in known)


_platform_of = attrgetter("platform")


def _data_sha256(index: ActivityIndex) -> str:
    # The index holds each event once, sorted by (time, id): the same events give the same hash
    # whatever the sources, their order or duplicates. msgspec writes the event Structs as
    # objects in field order, times as RFC 3339, one line each; a few thousand at a time, in one
    # call each: writing them one by one (orjson) cost twice the time, and all at once a
    # second copy of the month in memory.
    digest = hashlib.sha256()
    for kind, events in ((b"posts\n", index.posts), (b"dms\n", index.dms)):
        digest.update(kind)
        for start in range(0, len(events), _HASHED_AT_ONCE):
            digest.update(_event_lines(events[start:start + _HASHED_AT_ONCE]))
    return digest.hexdigest()


_HASHED_AT_ONCE = 5_000
_event_lines = msgspec.json.Encoder().encode_lines
