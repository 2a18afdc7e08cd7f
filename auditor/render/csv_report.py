"""CSV of findings, one row each, for spreadsheets.

Columns: rule, type, severity, account, platform (the account's network: x,
bluesky or mastodon), counterpart, status, message,
occurred_at, fingerprint, waived (yes or empty), waiver_reason,
waiver_approved_by, waiver_expires, baseline (new, existing or empty),
evidence_url (the first evidence item's web link: http or https), wait (how long somebody
waited, worded as everywhere else in the report: "11h of open hours (3d 19h
calendar time)"), wait_seconds (that wait on the rule's clock).

Post text is hostile: a cell a spreadsheet would read as a formula (one that
starts with = + - @, a tab or a carriage return) gets a leading apostrophe, as
cloud-custodian does. A spreadsheet whose locale separates values with `;`
splits what this file writes on `,` differently (and one that guesses may split
on either, or on tabs): so every piece of a cell that follows a `,`, `;`, tab or
line break and would start a formula (spaces before it included) gets the
apostrophe too, and every cell is quoted. An author `x;=2+3;` is written
`"x;'=2+3;"`. UTF-8 without a byte-order mark, RFC 4180 line ends.
"""

from __future__ import annotations

import csv
import io
import re

from auditor.render import RenderOptions
from auditor.render.formatting import safe_link
from auditor.result import AuditResult, Finding

COLUMNS = ("rule", "type", "severity", "account", "platform", "counterpart", "status", "message", "occurred_at", "fingerprint",
           "waived", "waiver_reason", "waiver_approved_by", "waiver_expires", "baseline", "evidence_url", "wait",
           "wait_seconds")
# The start of the cell, or of any piece a spreadsheet may split it into, then (after spaces) a formula's first character.
_FORMULA_RE = re.compile(r"(?:^|(?<=[,;\t\r\n]))([ \u00a0]*)(?=[=+\-@])")


# Control characters but the tab and line breaks a cell may hold: "cat report.csv" in a CI log would run them.
_CONTROL_RE = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def neutralise(value: object) -> str:
    text = "" if value is None else _CONTROL_RE.sub("\ufffd", str(value).replace("\x00", ""))
    text = _FORMULA_RE.sub(r"\1'", text)
    return "'" + text if text.startswith(("\t", "\r")) else text


def render(result: AuditResult, options: RenderOptions) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for finding in result.findings:
        writer.writerow([neutralise(cell) for cell in _row(finding)])
    return buffer.getvalue().encode("utf-8", "replace")


def _row(finding: Finding) -> list[object]:
    waived = finding.waived or {}
    url = next((e.url for e in finding.evidence if safe_link(e.url)), None)  # a web link, as the HTML's
    return [
        finding.rule, finding.type, finding.severity, finding.account, finding.platform, finding.counterpart, finding.status,
        finding.message, finding.occurred_at, finding.fingerprint, "yes" if finding.waived else "",
        waived.get("reason"), waived.get("approved_by"), waived.get("expires"), finding.baseline, url,
        finding.wait.text if finding.wait else None, finding.wait.seconds if finding.wait else None,
    ]
