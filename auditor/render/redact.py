"""Redaction: a result with DM text, or counterpart handles, taken out. Applied before any renderer sees it.

`dms`: a DM's evidence keeps that it was sent, by whom and when, not its text.
`customers`: every counterpart handle becomes a stable pseudonym (the same handle
gives the same pseudonym in every report), in findings, evidence and quoted text;
and DM text is withheld as with `dms`: a customer's private messages carry their
name, phone and order numbers, which would undo the pseudonym (and asking for more
privacy must never print what the default hides). Roster handles stay: the report
is about them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from auditor.result import AuditResult, Evidence, Finding

REDACT_MODES = ("dms", "customers", "none")
DM_REDACTED = "[direct message: text withheld]"


def pseudonym(handle: str) -> str:
    return "customer-" + hashlib.sha256(handle.lower().encode()).hexdigest()[:6]


def redact(result: AuditResult, mode: str | None) -> AuditResult:
    if mode in (None, "none"):
        return result
    roster = {a.handle for a in result.accounts}
    if mode == "dms":
        findings = tuple(replace(f, evidence=tuple(_without_dm_text(e) for e in f.evidence)) for f in result.findings)
    elif mode == "customers":
        findings = tuple(_pseudonymise(replace(f, evidence=tuple(_without_dm_text(e) for e in f.evidence)), roster)
                         for f in result.findings)
    else:
        raise ValueError(f"unknown redaction {mode!r}")
    return replace(result, findings=findings)


def _without_dm_text(evidence: Evidence) -> Evidence:
    return replace(evidence, text=DM_REDACTED) if evidence.type == "dm" else evidence


_HANDLE_RE = re.compile(r"(?<![\w@])@(\w{1,15})\b")


def _pseudonymise(finding: Finding, roster: set[str]) -> Finding:
    def swap(match: re.Match) -> str:
        handle = match.group(1).lower()
        return match.group(0) if handle in roster else "@" + pseudonym(handle)

    def hide(handle: str | None) -> str | None:
        if handle is None or handle.lower() in roster:
            return handle
        return pseudonym(handle)

    evidence = tuple(
        replace(
            e,
            author=hide(e.author) or "",
            text=_HANDLE_RE.sub(swap, e.text),
            # A post URL names its author; a pseudonymised author keeps no link back.
            url=e.url if e.author.lower() in roster else None,
        )
        for e in finding.evidence
    )
    # Handles in a measure's words (a reason, the quoted promise) are swapped like the message's.
    measure = {k: (hide(v) if k in {"answered_by", "counterpart"} else _HANDLE_RE.sub(swap, v))
               if isinstance(v, str) else v for k, v in finding.measure.items()}
    return replace(
        finding,
        counterpart=hide(finding.counterpart),
        message=_HANDLE_RE.sub(swap, finding.message),
        evidence=evidence,
        measure=measure,
    )
