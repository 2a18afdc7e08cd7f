"""The overview of a split audit, for compliance and HR: every group's score and status, the company's beside.

`overview.json` is also the list `auditor mail` works from: each group's report files,
who its report goes to, and the few lines a mail body says (score, rules below target,
the three worst items). It is built from the group results as the reports show them
(redacted the same way), so a mail never says more than the attached report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import orjson

from auditor.render.split import Group
from auditor.result import AuditResult, Finding, below_target
from auditor.types import format_share, format_share_against, format_target, severity_rank

OVERVIEW_STEM = "overview"
WORST_ITEMS = 3
OVERVIEW_VERSION = 1


@dataclass(frozen=True)
class Part:
    """One group and its (redacted) result, with the report files written for it."""

    group: Group
    result: AuditResult
    files: dict[str, str]  # format -> file name, in the overview's folder


def overview(company: AuditResult, by: str, parts: list[Part], recipients: dict[str, str],
             company_files: dict[str, str]) -> dict[str, Any]:
    """The overview as data (overview.json); `recipients` maps a manager's name to their address."""
    return {
        "overview": OVERVIEW_VERSION,
        "tool": company.tool,
        "policy": {k: company.policy.get(k) for k in ("name", "version", "company", "sha256")},
        "period": company.period,
        "split": by,
        "company": {
            "accounts": len(company.accounts),
            **{k: company.summary.get(k) for k in ("score", "rules_passed", "rules_failed", "rules_no_data",
                                                    "findings", "pending", "waived")},
            "files": company_files,
        },
        "rules": [
            {"id": rule.id, "severity": rule.severity, "target": rule.target, "checked": rule.figures.checked,
             "failed": rule.figures.failed, "compliance": rule.figures.compliance, "status": rule.status}
            for rule in company.rules
        ],
        "groups": [_group_entry(part, recipients) for part in parts],
    }


def group_status(result: AuditResult) -> str:
    """`attention` when a rule is below target for the group, `no_data` when nothing was checked, else `ok`."""
    if result.summary.get("rules_failed"):
        return "attention"
    if not any(rule.status != "no_data" for rule in result.rules):
        return "no_data"
    return "ok"


STATUS_LABELS = {"attention": "Needs attention", "ok": "On target", "no_data": "Nothing to check"}


def _group_entry(part: Part, recipients: dict[str, str]) -> dict[str, Any]:
    result, group = part.result, part.group
    summary = result.summary
    return {
        "name": group.name,
        "label": group.label,
        "slug": group.slug,
        "accounts": list(group.handles),
        "managers": list(group.managers),
        "recipients": [{"name": name, "email": recipients[name]} for name in group.managers if name in recipients],
        "score": summary.get("score"),
        "status": group_status(result),
        **{k: summary.get(k, 0) for k in ("rules_passed", "rules_failed", "rules_no_data", "findings", "pending",
                                          "waived")},
        "rules_below": [
            {"id": rule.id, "share": format_share_against(rule.figures.compliance, rule.target),
             "target": format_target(rule.target),
             "checked": rule.figures.checked, "failed": rule.figures.failed}
            for rule in result.rules
            if below_target(rule.figures, rule.target)
        ],
        "worst": [
            {"rule": f.rule, "severity": f.severity, "account": f.account, "counterpart": f.counterpart,
             "occurred_at": f.occurred_at, "message": f.message}
            for f in worst_items(result.findings)
        ],
        "files": part.files,
    }


def worst_items(findings, limit: int = WORST_ITEMS) -> list[Finding]:
    """The counted findings a manager should read first: the most severe, then the longest wait, then the oldest."""
    counted = [f for f in findings if f.is_failure and not f.waived]

    def key(f: Finding):
        waited = f.wait.calendar_seconds if f.wait is not None else 0
        return (-severity_rank(f.severity), -waited, f.occurred_at, f.account, f.fingerprint)

    return sorted(counted, key=key)[:limit]


def render_json(data: dict[str, Any]) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


CSV_COLUMNS = ("group", "slug", "accounts", "managers", "score", "status", "rules_passed", "rules_failed",
               "rules_no_data", "findings", "pending", "waived", "rules_below_target", "recipients")


def render_csv(data: dict[str, Any]) -> bytes:
    """One row a group; cells a spreadsheet would run as a formula get a leading apostrophe."""
    from auditor.render.csv_report import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for g in data["groups"]:
        row = [g["label"], g["slug"], len(g["accounts"]), "; ".join(g["managers"]),
               "" if g["score"] is None else g["score"], g["status"], g["rules_passed"], g["rules_failed"],
               g["rules_no_data"], g["findings"], g["pending"], g["waived"],
               "; ".join(f"{r['id']} {r['share']} (target {r['target']})" for r in g["rules_below"]),
               "; ".join(r["email"] for r in g["recipients"])]
        writer.writerow([neutralise(str(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8")


# -- the overview as a document (HTML, and the PDF printed from it) --------------------------------


def document(data: dict[str, Any], paper: str, medium: str) -> str:
    from auditor.render.html import contain_text, content_security_policy, environment, stylesheet
    from auditor.render.formatting import Formatter, generated_now
    from markupsafe import Markup

    fmt = Formatter(data["period"].get("timezone"))
    css = stylesheet(paper)
    view = {
        "company_name": data["policy"].get("company") or data["policy"].get("name"),
        "policy_name": data["policy"].get("name"),
        "policy_version": data["policy"].get("version"),
        "policy_sha256": data["policy"].get("sha256"),
        "period_label": data["period"].get("label"),
        "timezone": data["period"].get("timezone"),
        "split": data["split"],
        "generated_at": fmt.when(generated_now()),
        "tool": f"{data['tool'].get('name', 'auditor')} {data['tool'].get('version', '')}".strip(),
        "score": _score(data["company"]["score"]),
        "company": data["company"],
        "rules": [{**rule, "share": format_share_against(rule["compliance"], rule["target"]),
                   "target": format_target(rule["target"]),
                   "status_label": _STATUS.get(rule["status"], rule["status"].upper())} for rule in data["rules"]],
        "groups": [{**g, "score": _score(g["score"]), "status_label": STATUS_LABELS[g["status"]],
                    "files": ", ".join(g["files"].values())} for g in data["groups"]],
        "attention": sum(1 for g in data["groups"] if g["status"] == "attention"),
    }
    page = environment().get_template("overview.html.j2").render(
        v=view, medium=medium, style=Markup(css), csp=Markup(content_security_policy(css)))
    return contain_text(page)


_STATUS = {"pass": "PASS", "fail": "FAIL", "no_data": "NO DATA"}


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".removesuffix(".0")


def render_html(data: dict[str, Any], paper: str = "A4") -> bytes:
    return document(data, paper, "screen").encode("utf-8")


def render_pdf(data: dict[str, Any], paper: str = "A4") -> bytes:
    from auditor.render.pdf import print_html

    return print_html(document(data, paper, "print"))
