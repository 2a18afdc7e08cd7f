"""JUnit XML, for CI test dashboards: a testsuite per rule, a testcase per rule and audited account.

A testcase fails when the account has findings that count (not pending, not
waived) under that rule: one `<failure>` (most dashboards show only one a
testcase) whose message counts them and whose text lists each with its time,
fingerprint and first evidence link. With a baseline each is marked [new] or
[existing]: the dashboard shows every real finding, `--fail-on` decides the job.
Pending, cannot-tell and waived findings are listed in the testcase's `<system-out>`. A rule's own
metrics (a promise rule's not_taken_up and cannot_tell among them) are properties of its testsuite.

Post text is hostile: ElementTree escapes markup, and characters XML 1.0 cannot
hold at all (NUL, other control characters, lone surrogates) are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from auditor.render import RenderOptions
from auditor.result import AuditResult, Finding

# Everything outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
# [#x10000-#x10FFFF]), and the DEL and C1 control characters it allows but discourages.
_ILLEGAL = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: object) -> str:
    return _ILLEGAL.sub("", str(text))


def render(result: AuditResult, options: RenderOptions) -> bytes:
    findings: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        findings[(finding.rule, finding.account)].append(finding)

    root = ET.Element("testsuites", name=clean(f"auditor: {result.policy['name']} {result.policy['version']}, "
                                               f"{result.period['label']}"))
    total_tests = total_failures = 0
    for rule in result.rules:
        accounts = [a.handle for a in result.accounts if rule.id in a.rules]
        accounts += sorted({account for (rule_id, account) in findings if rule_id == rule.id} - set(accounts))
        suite = ET.SubElement(root, "testsuite", name=clean(rule.id))
        properties = ET.SubElement(suite, "properties")
        compliance = rule.figures.compliance
        for name, value in (("type", rule.type), ("severity", rule.severity), ("description", rule.description),
                            ("target", f"{rule.target * 100:g}%"), ("status", rule.status),
                            ("compliance", "-" if compliance is None else f"{compliance:.4f}")):
            ET.SubElement(properties, "property", name=name, value=clean(value))
        for name, value in rule.figures.metrics.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ET.SubElement(properties, "property", name=clean(f"metric.{name}"), value=clean(value))
        failures = 0
        for account in accounts:
            case = ET.SubElement(suite, "testcase", classname=clean(rule.id), name=clean(account))
            own = findings.get((rule.id, account), [])
            counting = [f for f in own if f.is_failure and not f.waived]
            if counting:
                failures += 1
                failure = ET.SubElement(case, "failure", type=clean(rule.severity),
                                        message=clean(_count(counting, rule.severity)))
                failure.text = clean("\n".join(_line(f) for f in counting))
            others = [f for f in own if f not in counting]
            if others:
                ET.SubElement(case, "system-out").text = clean("\n".join(_line(f) for f in others))
        suite.set("tests", str(len(accounts)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total_tests += len(accounts)
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _count(findings: list[Finding], severity: str) -> str:
    new = sum(1 for f in findings if f.baseline == "new")
    extra = f", {new} new" if any(f.baseline for f in findings) else ""
    return f"{len(findings)} {severity} finding{'s' if len(findings) != 1 else ''}{extra}"


def _line(finding: Finding) -> str:
    marks = []
    if finding.baseline:
        marks.append(finding.baseline)
    if not finding.is_failure:
        marks.append(finding.status.replace("_", " "))  # pending, cannot tell: listed, not counted
    if finding.waived:
        marks.append(f"waived until {finding.waived.get('expires')} by {finding.waived.get('approved_by')}: "
                     f"{finding.waived.get('reason')}")
    url = next((e.url for e in finding.evidence if e.url), None)
    parts = [f"{finding.occurred_at} {finding.message}"]
    if marks:
        parts.append("[" + "; ".join(marks) + "]")
    parts.append(f"fingerprint {finding.fingerprint}")
    if url:
        parts.append(url)
    return " ".join(parts)
