"""SARIF 2.1.0, for code-scanning dashboards: one reportingDescriptor per rule, one result per finding.

- level from severity: critical and high are `error`, medium `warning`, low and
  info `note`; a pending or cannot-tell finding is `kind: open` with level `none` (not decided: the
  deadline is ahead, or the data cannot show the outcome).
- `partialFingerprints["auditorFinding/v1"]` is the finding's fingerprint, so a
  dashboard tracks the same finding across runs.
- location: the audited account as a logical location, and the policy file as
  the physical one (GitHub code scanning refuses results without a file in the
  repository, and the policy is where the broken rule is written).
- a waived finding carries an accepted external suppression with the waiver's
  reason; with a baseline every result has `baselineState` new or unchanged.
- the notes (waivers, baseline) are tool notifications of the invocation.
No time stamps: same input, same bytes.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

import orjson

from auditor.render import RenderOptions
from auditor.result import AuditResult, Finding, RuleResult

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "auditorFinding/v1"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def render(result: AuditResult, options: RenderOptions) -> bytes:
    rule_index = {rule.id: n for n, rule in enumerate(result.rules)}
    policy_location = _artifact(result.policy.get("file") or "policy.yaml")
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": result.tool["name"],
                "version": result.tool["version"],
                "semanticVersion": result.tool["version"],
                "rules": [_descriptor(rule) for rule in result.rules],
            }
        },
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "note", "message": {"text": plain(note)}} for note in result.notes
            ],
        }],
        "results": [_result(f, rule_index, policy_location) for f in result.findings],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "policy": result.policy,
            "period": result.period,
            "data": {
                "events": result.data.events, "skipped": result.data.skipped, "accounts": result.data.accounts,
                "first_event": result.data.first_event, "last_event": result.data.last_event,
                "as_of": result.data.as_of, "channels_missing": list(result.data.channels_missing),
                "sha256": getattr(result.data, "sha256", None),
            },
            "summary": result.summary,
        },
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def plain(text: str) -> str:
    """A message as SARIF plain text: its brackets escaped, so a quoted "[DETAILS](https://...)" is no embedded
    link a viewer follows (SARIF 2.1.0, 3.11.6: "\\[" and "\\]" are literal brackets)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _descriptor(rule: RuleResult) -> dict[str, Any]:
    figures = rule.figures
    target = f"{rule.target * 100:g}%"
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": f"{rule.meaning} ({rule.type}; target {target} of {rule.item_name})"},
        "help": {"text": f"{rule.description}\n\nKind {rule.type}: {rule.meaning}\nTarget: {target} of the "
                         f"{rule.item_name} checked must pass. Severity: {rule.severity}."},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": True},
        "properties": {
            "tags": ["social-media-policy", rule.type, rule.severity],
            "type": rule.type,
            "severity": rule.severity,
            "target": rule.target,
            "status": rule.status,
            "checked": figures.checked,
            "passed": figures.passed,
            "failed": figures.failed,
            "pending": figures.pending,
            "compliance": figures.compliance,
            "metrics": figures.metrics,
            "options": rule.options,
        },
    }


def _result(finding: Finding, rule_index: dict[str, int], policy_location: dict[str, Any]) -> dict[str, Any]:
    pending = not finding.is_failure
    item: dict[str, Any] = {
        "ruleId": finding.rule,
        "kind": "open" if pending else "fail",
        "level": "none" if pending else LEVELS[finding.severity],
        "message": {"text": plain(finding.message)},
        "locations": [{
            "physicalLocation": {"artifactLocation": policy_location},
            "logicalLocations": [{"name": finding.account, "fullyQualifiedName": f"@{finding.account}",
                                  "kind": "account"}],
        }],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "type": finding.type,
            "severity": finding.severity,
            "account": finding.account,
            "counterpart": finding.counterpart,
            "status": finding.status,
            "check": finding.check,
            "occurred_at": finding.occurred_at,
            "measure": finding.measure,
            "evidence": [
                {"id": e.id, "type": e.type, "role": e.role, "author": e.author, "created_at": e.created_at,
                 "text": e.text, "url": e.url}
                for e in finding.evidence
            ],
        },
    }
    if finding.rule in rule_index:
        item["ruleIndex"] = rule_index[finding.rule]
    if finding.waived:
        waived = finding.waived
        item["suppressions"] = [{
            "kind": "external",
            "status": "accepted",
            "justification": str(waived.get("reason", "")),
            "properties": {"approved_by": waived.get("approved_by"), "expires": waived.get("expires")},
        }]
    if finding.baseline is not None:
        item["baselineState"] = "unchanged" if finding.baseline == "existing" else "new"
    return item


def _artifact(file: str) -> dict[str, Any]:
    """The policy file as a URI reference: relative paths stay relative (as code scanning wants them)."""
    windows = PureWindowsPath(file)
    if windows.drive:  # C:\\policies\\acme.yaml
        return {"uri": "file:///" + quote(windows.as_posix(), safe="/:")}
    path = PurePosixPath(file.replace("\\", "/"))
    uri = quote(str(path), safe="/")
    return {"uri": "file://" + uri} if path.is_absolute() else {"uri": uri}
