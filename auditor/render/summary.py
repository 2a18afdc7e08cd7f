"""The short table the CLI prints after an audit: each rule against its target, then the findings."""

from __future__ import annotations

from auditor.result import AuditResult

from auditor.types import format_share, format_share_against, format_target


def _share(value: float | None) -> str:
    return "-" if value is None else format_share(value)


def summary_table(result: AuditResult) -> str:
    # A waived column only when a waiver took items out of the counts, so the usual table stays as it was.
    waived = any(rule.figures.waived for rule in result.rules)
    rows = [("rule", "type", "severity", "checked", "failed", "pending", *(("waived",) if waived else ()),
             "compliance", "target", "status")]
    for rule in result.rules:
        f = rule.figures
        rows.append((rule.id, rule.type, rule.severity, str(f.checked), str(f.failed), str(f.pending),
                     *((str(f.waived),) if waived else ()),
                     "-" if f.compliance is None else format_share_against(f.compliance, rule.target),
                     format_target(rule.target), rule.status.upper().replace("_", " ")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"{result.policy['name']} {result.policy['version']} - period {result.period['label']} "
             f"({result.data.events} events, {result.data.skipped} skipped)"]
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    summary = result.summary
    by_severity = ", ".join(f"{count} {sev}" for sev, count in summary["findings_by_severity"].items() if count)
    score = "-" if summary["score"] is None else f"{summary['score']:.1f}"
    lines.append(f"score {score}; rules passed {summary['rules_passed']}, failed {summary['rules_failed']}; "
                 f"findings {summary['findings']}" + (f" ({by_severity})" if by_severity else "")
                 + (f"; pending {summary['pending']}" if summary["pending"] else "")
                 + (f"; cannot tell {summary['cannot_tell']}" if summary.get("cannot_tell") else ""))
    if result.data.channels_missing:
        lines.append("note: the data cannot show inbound " + ", ".join(result.data.channels_missing)
                     + " items; rules on them may look better than they are")
    if result.data.dms_not_held:
        held = result.data.dms_not_held
        named = ", ".join(f"@{h}" for h in held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        lines.append(f"note: no source holds the DMs of {named}; what depends on their DMs is not judged")
    return "\n".join(lines)
