"""A manager's mail: a short text and HTML body and the report as a PDF attachment.

Built from one group of `overview.json` (auditor/render/overview.py): the score with
the company's beside it, the rules below target, and the three worst items, the same
words as the attached report (redacted the same way). Everything from the data is
text: escaped in the HTML part, stripped of control characters everywhere, and
never a link or an image the mail client would fetch.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from auditor.render.formatting import Formatter

# C0/C1 controls (a line feed only where the body puts one) and bidi controls: never from the data.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(value: object) -> str:
    return " ".join(_CONTROLS.sub(" ", str(value)).split())


def recipient_address(name: str, email: str) -> Address:
    user, _, domain = email.partition("@")
    return Address(display_name=one_line(name), username=user, domain=domain)


def subject(data: dict[str, Any], group: dict[str, Any]) -> str:
    below = len(group["rules_below"])
    state = f"{below} rule{'s' if below != 1 else ''} below target" if below else "every rule on target"
    if group["status"] == "no_data":
        state = "nothing to check"
    return one_line(f"Social media policy audit, {data['period'].get('label')}: {group['label']}, "
                    f"score {_score(group['score'])} ({state})")


def build(data: dict[str, Any], group: dict[str, Any], recipient: dict[str, str], pdf: bytes, pdf_name: str,
          sender: Address, when: datetime) -> EmailMessage:
    """The message for one recipient of one group's report."""
    message = EmailMessage()
    message["Subject"] = subject(data, group)
    message["From"] = sender
    message["To"] = recipient_address(recipient["name"], recipient["email"])
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(idstring=group["slug"], domain=sender.domain or "localhost")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay away
    message.set_content(text_body(data, group, recipient["name"], pdf_name))
    message.add_alternative(html_body(data, group, recipient["name"], pdf_name), subtype="html")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


def build_overview(data: dict[str, Any], to: Address, pdf: bytes | None, pdf_name: str, sender: Address,
                   when: datetime) -> EmailMessage:
    """The overview for compliance or HR: every group's score and status."""
    message = EmailMessage()
    message["Subject"] = one_line(f"Social media policy audit, {data['period'].get('label')}: overview by "
                                  f"{data['split']}, company score {_score(data['company']['score'])}")
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(idstring="overview", domain=sender.domain or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    lines = [f"The social media policy audit of {_company(data)} for {data['period'].get('label')}: "
             f"company score {_score(data['company']['score'])}, {data['company']['findings']} findings.", ""]
    for group in data["groups"]:
        lines.append(f"- {one_line(group['label'])}: score {_score(group['score'])}, {group['findings']} findings, "
                     f"{_STATUS.get(group['status'], group['status'])}")
    if pdf is not None:
        lines += ["", f"The overview is attached ({pdf_name})."]
    message.set_content("\n".join(lines) + "\n")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


_STATUS = {"attention": "needs attention", "ok": "on target", "no_data": "nothing to check"}


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".removesuffix(".0")


def _company(data: dict[str, Any]) -> str:
    return one_line(data["policy"].get("company") or data["policy"].get("name") or "the company")


def _facts(data: dict[str, Any], group: dict[str, Any]) -> dict[str, Any]:
    fmt = Formatter(data["period"].get("timezone"))
    accounts = group["accounts"]
    shown = ", ".join(f"@{h}" for h in accounts[:8]) + (f" and {len(accounts) - 8} more" if len(accounts) > 8 else "")
    return {
        "company": _company(data),
        "period": one_line(data["period"].get("label")),
        "accounts": f"{len(accounts)} account{'s' if len(accounts) != 1 else ''}: {shown}",
        "score": _score(group["score"]),
        "company_score": _score(data["company"]["score"]),
        "below": [f"{one_line(r['id'])}: {r['share']} met (target {r['target']}), {r['failed']} of {r['checked']} failed"
                  for r in group["rules_below"]],
        "worst": [
            (f"{item['severity'].upper()} · {one_line(item['rule'])} · @{one_line(item['account'])}"
             + (f" ↔ @{one_line(item['counterpart'])}" if item.get("counterpart") else "")
             + f" · {fmt.when(item['occurred_at'])}", one_line(item["message"]))
            for item in group["worst"]
        ],
        "findings": group["findings"],
    }


def text_body(data: dict[str, Any], group: dict[str, Any], name: str, pdf_name: str) -> str:
    f = _facts(data, group)
    lines = [f"Hello {one_line(name)},", "",
             f"Your social media policy report for {f['period']} is attached ({pdf_name}). "
             f"It covers {one_line(group['label'])}, {f['accounts']}.", "",
             f"Score: {f['score']} out of 100 (company-wide: {f['company_score']}). "
             f"Findings: {f['findings']}.", ""]
    if f["below"]:
        lines.append("Rules below target:")
        lines += [f"  - {line}" for line in f["below"]]
    else:
        lines.append("Every rule that had something to check met its target.")
    lines.append("")
    if f["worst"]:
        lines.append("The worst items:" if len(f["worst"]) > 1 else "The worst item:")
        for n, (head, message) in enumerate(f["worst"], 1):
            lines += [f"  {n}. {head}", f"     {message}"]
        lines.append("")
    lines += ["The report holds every finding with its evidence and how the clock ran.",
              "", "-- ", f"Sent by the social media policy auditor for {f['company']}."]
    return "\n".join(lines) + "\n"


def html_body(data: dict[str, Any], group: dict[str, Any], name: str, pdf_name: str) -> str:
    f = _facts(data, group)
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        f"<title>{e(subject(data, group))}</title></head>",
        "<body style=\"font-family: sans-serif; color: #212121; line-height: 1.4; max-width: 40em;\">",
        f"<p>Hello {e(one_line(name))},</p>",
        f"<p>Your social media policy report for {e(f['period'])} is attached (<strong>{e(pdf_name)}</strong>). "
        f"It covers {e(one_line(group['label']))}, {e(f['accounts'])}.</p>",
        f"<p><strong>Score: {e(f['score'])}</strong> out of 100 (company-wide: {e(f['company_score'])}). "
        f"Findings: {f['findings']}.</p>",
    ]
    if f["below"]:
        parts.append("<h2 style=\"font-size: 1.1em;\">Rules below target</h2><ul>")
        parts += [f"<li>{e(line)}</li>" for line in f["below"]]
        parts.append("</ul>")
    else:
        parts.append("<p>Every rule that had something to check met its target.</p>")
    if f["worst"]:
        parts.append(f"<h2 style=\"font-size: 1.1em;\">The worst item{'s' if len(f['worst']) > 1 else ''}</h2><ol>")
        parts += [f"<li><span style=\"color: #424242;\">{e(head)}</span><br>{e(message)}</li>"
                  for head, message in f["worst"]]
        parts.append("</ol>")
    parts += ["<p>The report holds every finding with its evidence and how the clock ran.</p>",
              f"<p style=\"color: #616161;\">Sent by the social media policy auditor for {e(f['company'])}.</p>",
              "</body></html>"]
    return "\n".join(parts) + "\n"
