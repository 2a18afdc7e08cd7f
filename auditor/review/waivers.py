"""Waivers: approved, dated exceptions to findings (`--waivers FILE`), applied after the audit.

```yaml
- rule: answer-customers
  account: acme_support
  counterpart: bob              # or fingerprint: 3f2a9c41d0b7e6a58c21
  reason: Bob's ticket was handled by phone; agreed with legal
  approved_by: Dana Reyes
  expires: 2026-12-31           # a date; the waiver holds through that whole day
```

A waiver applies to the findings of its rule and account that have its
fingerprint, or its counterpart (when it gives both, both must match). A waived
finding stays in the report with `waived = {reason, approved_by, expires}` and
no longer counts anywhere: an item whose failing findings are all waived leaves
its rule's checked and failed counts, share, status and metrics (it is counted
under `waived` instead), the score, the scorecards and `--fail-on`. The notes say
how many findings each waiver covered. Waivers fail closed: an entry that is malformed (a missing or
unknown key, a wrong value) or expired is never honoured, and the report's notes
say which one and why.

Expiry is judged against the end of the audited period: its last local day. A
waiver expiring on that day still holds; one that expires the day before does
not, however early in the period the audit runs. The wall clock is never read,
so the same input gives the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from auditor.time.instants import parse_day
from auditor.networks import normalize_handle
from auditor.audit import recount
from auditor.errors import PolicyError, PolicyProblem
from auditor.yamlsrc import load_yaml
from auditor.review.keyed import keyed_fingerprint, pseudonym
from auditor.result import AuditResult, Finding

REQUIRED = ("rule", "account", "reason", "approved_by", "expires")
KEYS = REQUIRED + ("counterpart", "fingerprint")


@dataclass(frozen=True)
class Waiver:
    rule: str
    account: str  # normalized handle
    counterpart: str | None  # normalized handle
    fingerprint: str | None
    reason: str
    approved_by: str
    expires: date
    where: str  # file:line:col of the entry, for notes

    def matches(self, finding: Finding, key: bytes | None = None) -> bool:
        """`key`: the pseudonym key of a customers-redacted run, whose report gave the waiver's writer a keyed
        fingerprint and the customer's pseudonym: those match too."""
        if finding.rule != self.rule or finding.account != self.account:
            return False
        if self.fingerprint is not None and self.fingerprint != finding.fingerprint and (
                key is None or self.fingerprint != keyed_fingerprint(finding.fingerprint, key)):
            return False
        if self.counterpart is not None:
            counterpart = normalize_handle(finding.counterpart or "")
            if self.counterpart != counterpart and (key is None or self.counterpart != pseudonym(counterpart, key)):
                return False
        return True

    def label(self) -> str:
        target = f"fingerprint {self.fingerprint}" if self.fingerprint else f"@{self.counterpart}"
        return f"{self.rule}, {self.account}, {target}"


@dataclass(frozen=True)
class WaiverFile:
    """The waivers of one file, and the entries that were refused (each one line, with file:line:col)."""

    path: str
    waivers: tuple[Waiver, ...]
    refused: tuple[str, ...]


def load_waivers(path: Path | str) -> WaiverFile:
    """Read a waivers file. A file that cannot be read at all raises PolicyError (exit 2);
    a bad entry is refused and noted, and the rest still apply."""
    path = Path(path)
    display = str(path)
    data, positions = load_yaml(path, display)
    if isinstance(data, dict) and set(data) == {"waivers"}:
        data = data["waivers"]
        positions.values = {p[1:]: w for p, w in positions.values.items() if p[:1] == ("waivers",)}
        positions.keys = {p[1:]: w for p, w in positions.keys.items() if p[:1] == ("waivers",)}
    if data is None:
        data = []
    if not isinstance(data, list):
        file, line, col = positions.of_value(())
        raise PolicyError([PolicyProblem(file, line, col, "", "a waivers file is a list of waivers "
                                         "(rule, account, counterpart or fingerprint, reason, approved_by, expires)")])
    waivers, refused = [], []
    for i, entry in enumerate(data):
        file, line, col = positions.of_value((i,))
        where = f"{file}:{line}:{col}"
        try:
            waivers.append(_waiver(entry, where))
        except ValueError as exc:
            refused.append(f"{where}: waiver ignored: {exc}")
    return WaiverFile(display, tuple(waivers), tuple(refused))


def _waiver(entry: Any, where: str) -> Waiver:
    if not isinstance(entry, dict):
        raise ValueError("expected a mapping with " + ", ".join(REQUIRED) + " and counterpart or fingerprint")
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; expected: {', '.join(KEYS)}")
    missing = [key for key in REQUIRED if entry.get(key) in (None, "")]
    if missing:
        raise ValueError(f"missing required key {missing[0]!r}")
    if entry.get("counterpart") in (None, "") and entry.get("fingerprint") in (None, ""):
        raise ValueError("needs counterpart or fingerprint (a waiver never covers a whole rule)")
    for key in ("rule", "account", "reason", "approved_by", "counterpart", "fingerprint"):
        if key in entry and entry[key] is not None and not isinstance(entry[key], str):
            raise ValueError(f"{key} must be text, got {entry[key]!r}"[:200])
    return Waiver(
        rule=entry["rule"].strip(),
        account=normalize_handle(entry["account"]),
        counterpart=normalize_handle(entry["counterpart"]) if entry.get("counterpart") else None,
        fingerprint=entry["fingerprint"].strip().lower() if entry.get("fingerprint") else None,
        reason=entry["reason"].strip(),
        approved_by=entry["approved_by"].strip(),
        expires=parse_day(entry["expires"], "expires"),
        where=where,
    )


def reference_day(result: AuditResult) -> date:
    """The day waivers are judged on: the last local day of the audited period. Not the end of the
    data: a waiver that lapses before the period ends does not cover the period, however early the
    audit runs (an audit of October on the 20th must not honour a waiver that expires on the 25th)."""
    zone = ZoneInfo(result.period["timezone"])
    return datetime.fromisoformat(result.period["end"]).astimezone(zone).date() - timedelta(days=1)


def apply_waivers(result: AuditResult, waivers: WaiverFile, key: bytes | None = None) -> AuditResult:
    """The result with the findings that valid waivers cover marked waived and every figure counted
    again without them (`audit.recount`), and a note for each waiver: how many findings it covered,
    or why it was refused, expired or unused. Pure: no I/O, no clock. `key`: see `Waiver.matches`."""
    day = reference_day(result)
    notes = list(waivers.refused)
    valid = []
    for waiver in waivers.waivers:
        if waiver.expires < day:
            notes.append(f"{waiver.where}: waiver ignored: expired on {waiver.expires.isoformat()}, "
                         f"before {day.isoformat()} ({waiver.label()})")
        else:
            valid.append(waiver)
    covered: Counter[int] = Counter()
    findings = []
    for finding in result.findings:
        waiver = next((w for w in valid if w.matches(finding, key)), None) if not finding.waived else None
        if waiver is not None:
            covered[id(waiver)] += 1
            finding = replace(finding, waived={
                "reason": waiver.reason, "approved_by": waiver.approved_by, "expires": waiver.expires.isoformat(),
            })
        findings.append(finding)
    rules = {rule.id for rule in result.rules}
    for waiver in valid:
        count = covered[id(waiver)]
        if count:
            notes.append(f"{waiver.where}: waiver covered {count} finding{'s' if count != 1 else ''} ({waiver.label()})")
        else:
            why = "" if waiver.rule in rules else f"; the policy has no rule {waiver.rule!r}"
            notes.append(f"{waiver.where}: waiver matched no finding ({waiver.label()}){why}")
    waived = sum(1 for f in findings if f.waived)
    notes.append(f"waivers {waivers.path}: {waived} finding{'s' if waived != 1 else ''} waived by "
                 f"{len(covered)} of {len(waivers.waivers) + len(waivers.refused)} waivers (judged on {day.isoformat()})")
    recounted = recount(result, tuple(findings), ZoneInfo(result.period["timezone"]))
    return replace(recounted, notes=result.notes + tuple(notes))
