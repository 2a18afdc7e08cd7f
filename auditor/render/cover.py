"""The report's cover, its methodology page and a group's scope: what was read, how, and for whom."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

from auditor.networks import platform_label
from auditor.render.formatting import Formatter, finding_anchor
from auditor.types import format_target
from auditor.result import (
    AuditResult,
)

_REDACTION_TEXT = {
    "dms": "Direct-message text is withheld: the report shows that a DM was sent, by whom and when.",
    "customers": "Customer handles are replaced by stable pseudonyms; roster accounts are named. "
                 "Direct-message text is withheld.",
    "none": "Nothing is redacted: direct-message text and customer handles are shown as recorded.",
}


def scope_view(result: AuditResult) -> dict[str, Any]:
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


def cover_view(result: AuditResult, fmt: Formatter, generated: datetime, redaction: str) -> dict[str, Any]:
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


def methodology_view(result: AuditResult, fmt: Formatter, redaction: str, targets: dict[str, float]) -> dict[str, Any]:
    data = result.data
    reasons = Counter(str(line.get("reason", "")) for line in data.skipped_lines)
    waivers = [
        {
            "rule": f.rule, "account": f.account, "counterpart": f.counterpart, "when": fmt.short(f.occurred_at),
            "anchor": finding_anchor(f),
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
        "targets": [(rule_id, format_target(target)) for rule_id, target in targets.items()],
    }
