"""Baselines: compare an audit with an earlier report.json (`--baseline FILE`), applied after the audit.

A finding whose fingerprint is in the baseline is `existing`, every other one
`new`; `--fail-on` counts only new ones. One exception fails closed: a finding
that was pending or waived in the baseline and counts now is `new`, because it
was never accepted as a known failure. Findings the baseline counted that this
audit no longer has are `gone`. The summary gets
`baseline = {file, new, existing, gone}` over the counted findings (so new +
existing = summary.findings), and the notes say the same in words and name the
first gone findings.

Apply waivers first, then the baseline: both the marks and the counts read `waived`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from auditor.errors import DataError
from auditor.review.keyed import keyed_fingerprint
from auditor.types import severity_rank
from auditor.result import LISTED_ONLY, AuditResult, Finding

MAX_BYTES = 1 << 30  # a report of a large company is tens of megabytes; a gigabyte is not a report
GONE_NAMED = 20  # gone findings named one by one in the notes; the rest by count


@dataclass(frozen=True)
class Baseline:
    path: str
    period: str | None
    # fingerprint -> (rule, account, counterpart) of every finding of the baseline, and of those that counted there
    findings: dict[str, tuple[str, str, str | None]]
    counted: frozenset[str]
    # fingerprint -> the severity it counted at: a finding whose rule is more severe now is new at that severity
    severity: dict[str, str] = field(default_factory=dict)


def load_baseline(path: Path | str) -> Baseline:
    """Read a report.json written by `auditor audit`; anything else is one DataError line (exit 2)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(f"{path}: baseline is {size} bytes; at most {MAX_BYTES} are read")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DataError(f"{path}: cannot read baseline: is a folder, expected a report.json") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        report = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DataError(f"{path}: baseline is not JSON (line {exc.lineno}, column {exc.colno}); "
                        "expected a report.json from auditor audit") from None
    findings = report.get("findings") if isinstance(report, dict) else None
    if not isinstance(findings, list):
        raise DataError(f"{path}: baseline has no findings list; expected a report.json from auditor audit")
    known: dict[str, tuple[str, str, str | None]] = {}
    counted = set()
    severity: dict[str, str] = {}
    for n, finding in enumerate(findings):
        if not isinstance(finding, dict) or not isinstance(finding.get("fingerprint"), str):
            raise DataError(f"{path}: baseline findings[{n}] has no fingerprint; "
                            "expected a report.json from auditor audit")
        counterpart = finding.get("counterpart")
        known[finding["fingerprint"]] = (_text(finding.get("rule")), _text(finding.get("account")),
                                         counterpart if isinstance(counterpart, str) else None)
        # `counted` says it where the report has it; older reports are read by their status.
        counted_then = finding.get("counted")
        if counted_then is None:
            counted_then = finding.get("status") not in LISTED_ONLY
        if counted_then and not finding.get("waived"):
            counted.add(finding["fingerprint"])
            if isinstance(finding.get("severity"), str):
                severity[finding["fingerprint"]] = finding["severity"]
    period = report.get("period")
    label = period.get("label") if isinstance(period, dict) and isinstance(period.get("label"), str) else None
    return Baseline(str(path), label, known, frozenset(counted), severity)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "?"


def apply_baseline(result: AuditResult, baseline: Baseline, key: bytes | None = None) -> AuditResult:
    """The result with every finding marked new or existing, and the summary and notes saying how many. Pure.
    `key`: the pseudonym key of a customers-redacted run, whose baseline may be a report of the same redaction: a
    finding is known there by its keyed fingerprint."""
    known = [_known_as(f.fingerprint, baseline, key) for f in result.findings]
    findings = tuple(replace(f, baseline=_mark(f, fingerprint, baseline)) for f, fingerprint in zip(result.findings, known))
    counts = Counter(f.baseline for f in findings if f.is_failure and not f.waived)
    present = set(known)
    gone = [fp for fp in baseline.counted if fp not in present]
    figures = {"file": baseline.path, "new": counts["new"], "existing": counts["existing"], "gone": len(gone)}
    since = f" ({baseline.period})" if baseline.period else ""
    notes = [f"baseline {baseline.path}{since}: {counts['new']} new, {counts['existing']} existing, "
             f"{len(gone)} gone"]
    # Counterparts may be None (an engagement finding has none): None never sorts against text.
    for fingerprint in sorted(gone, key=lambda fp: (*_sort_key(baseline.findings[fp]), fp))[:GONE_NAMED]:
        rule, account, counterpart = baseline.findings[fingerprint]
        who = f"{account}/@{counterpart}" if counterpart else account
        notes.append(f"baseline: gone {rule} for {who} (fingerprint {fingerprint})")
    if len(gone) > GONE_NAMED:
        notes.append(f"baseline: and {len(gone) - GONE_NAMED} more gone")
    return replace(result, findings=findings, summary={**result.summary, "baseline": figures},
                   notes=result.notes + tuple(notes))


def _sort_key(known: tuple[str, str, str | None]) -> tuple[str, str, str]:
    rule, account, counterpart = known
    return rule, account, counterpart or ""


def _known_as(fingerprint: str, baseline: Baseline, key: bytes | None) -> str:
    """The fingerprint by which the baseline may know a finding: its own, or keyed as a redacted report writes it."""
    if key is not None and fingerprint not in baseline.findings:
        keyed = keyed_fingerprint(fingerprint, key)
        if keyed in baseline.findings:
            return keyed
    return fingerprint


def _mark(finding: Finding, fingerprint: str, baseline: Baseline) -> str:
    if fingerprint not in baseline.findings:
        return "new"
    counts_now = finding.is_failure and not finding.waived
    if counts_now and fingerprint not in baseline.counted:
        return "new"
    was = baseline.severity.get(fingerprint)
    # Raised since ("info" then, "critical" now): the change under review made it what it is.
    if counts_now and was is not None and _rank(finding.severity) > _rank(was):
        return "new"
    return "existing"


def _rank(severity: str) -> int:
    try:
        return severity_rank(severity)
    except (KeyError, ValueError):
        return -1  # a severity an older report wrote and this one does not know: no rise can be read


def failing(result: AuditResult, at_or_above: str) -> list[Finding]:
    """The findings `--fail-on` counts: failures (not pending), not waived, new when a baseline was
    given, with a severity at or above the threshold."""
    threshold = severity_rank(at_or_above)
    return [
        f for f in result.findings
        if f.is_failure and not f.waived and f.baseline != "existing" and severity_rank(f.severity) >= threshold
    ]
