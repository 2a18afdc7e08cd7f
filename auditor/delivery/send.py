"""Deliver a split audit's reports: each manager their PDF by mail, or, in a dry run, as `.eml` files.

Reads `overview.json` in the reports folder (what `auditor audit --split` wrote): the
groups, their PDF files and who each goes to. One message per recipient; a message
that cannot be sent is retried (auditor/delivery/smtp.py), then reported, and the
others still go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path
from typing import Any

import orjson

from auditor.delivery import message as mail
from auditor.delivery.overview_shape import check_overview
from auditor.delivery.smtp import Sender, Settings, sender_address
from auditor.errors import DataError, RenderError
from auditor.progress import current
from auditor.render.overview import OVERVIEW_STEM
from auditor.render.split import slug
from auditor.render.formatting import generated_now


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # could not be delivered: exit 1
    skipped: list[str] = field(default_factory=list)  # nobody to send to, and not a mistake
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        verb = "wrote" if self.dry_run else "sent"
        total = len(self.sent) + len(self.failed)
        head = (f"mail: {verb} {len(self.sent)} of {total} message{'s' if total != 1 else ''}"
                + (f"; {len(self.failed)} not delivered" if self.failed else ""))
        return [*self.sent, *self.skipped, *self.failed, head]


@dataclass(frozen=True)
class Planned:
    name: str  # file stem of the .eml in a dry run
    label: str  # what the log says it is
    message: Any  # EmailMessage


def load_overview(folder: Path) -> dict[str, Any]:
    path = folder / f"{OVERVIEW_STEM}.json"
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise DataError(f"{path}: not found: write the reports first with auditor audit --split manager "
                        f"--out-dir {folder}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("overview") != 1 or not isinstance(data.get("groups"), list):
        raise DataError(f"{path}: not an overview written by auditor audit --split")
    check_overview(data, str(path))
    return data


def plan(folder: Path, data: dict[str, Any], sender: Address, overview_to: list[str],
         outcome: Outcome) -> list[Planned]:
    """Every message to send; groups with nobody to send to are noted in `outcome`."""
    when = generated_now()
    planned = []
    for group in data["groups"]:
        label = mail.one_line(group.get("label", "?"))
        pdf_name = (group.get("files") or {}).get("pdf")
        if not pdf_name:
            raise DataError(f"{folder}: {label} has no PDF report to attach: audit with --format pdf (and others)")
        pdf = _read_report(folder, pdf_name)
        if not group.get("managers"):
            outcome.skipped.append(f"no manager to send {pdf_name} to ({label}): it is in the overview")
            continue
        known = {r["name"]: r["email"] for r in group.get("recipients", [])}
        for name in group["managers"]:
            if name not in known:
                outcome.failed.append(f"not sent: {pdf_name}: no e-mail address for manager {mail.one_line(name)} "
                                      "(add it under managers: in the policy or its roster)")
                continue
            stem = group["slug"] if len(group["managers"]) == 1 else f"{group['slug']}-to-{slug(name)}"
            message = mail.build(data, group, {"name": name, "email": known[name]}, pdf, pdf_name, sender, when)
            planned.append(Planned(stem, f"{pdf_name} to {message['To']}", message))
    for address in overview_to:
        pdf_name = f"{OVERVIEW_STEM}.pdf"
        pdf = _read_report(folder, pdf_name) if (folder / pdf_name).is_file() else None
        to = parse_address(address)
        message = mail.build_overview(data, to, pdf, pdf_name, sender, when)
        planned.append(Planned(f"{OVERVIEW_STEM}-to-{slug(to.addr_spec)}", f"the overview to {to}", message))
    return planned


def deliver(folder: Path, settings: Settings, *, dry_run: bool = False, outbox: Path | None = None,
            overview_to: list[str] = (), sleep=None) -> Outcome:
    """Send every manager their report (or write the messages to `outbox`, default `<folder>/outbox`)."""
    data = load_overview(folder)
    outcome = Outcome(dry_run=dry_run)
    messages = plan(folder, data, sender_address(settings), list(overview_to), outcome)
    progress = current()
    task = progress.task("writing messages" if dry_run else "sending mail", total=len(messages), unit="messages")
    if dry_run:
        box = outbox or folder / "outbox"
        for item in messages:
            path = box / f"{item.name}.eml"
            try:
                box.mkdir(parents=True, exist_ok=True)
                path.write_bytes(item.message.as_bytes())
            except OSError as exc:
                raise RenderError(f"{path}: cannot write: {exc.strerror}") from None
            outcome.sent.append(f"wrote {path} ({item.label})")
            task.advance(1, item.name)
    else:
        options = {"sleep": sleep} if sleep is not None else {}
        with Sender(settings, say=progress.say, **options) as sender:
            for item in messages:
                task.update(item.name)
                attempted = sender.send(item.message)
                if attempted.sent:
                    outcome.sent.append(f"sent {item.label}")
                else:
                    tries = f"{attempted.attempts} attempt{'s' if attempted.attempts != 1 else ''}"
                    outcome.failed.append(f"not sent: {item.label}: {attempted.reason} (after {tries})")
                task.advance(1)
    task.done()
    return outcome


def _read_report(folder: Path, name: str) -> bytes:
    # The overview names files in its own folder only: a name with a path in it is not ours.
    if not isinstance(name, str) or Path(name).name != name or name in {".", ".."}:
        raise DataError(f"{folder / OVERVIEW_STEM}.json: a report file name with a path in it: {str(name)[:60]!r}")
    try:
        return (folder / name).read_bytes()
    except OSError as exc:
        raise DataError(f"{folder / name}: cannot read: {exc.strerror}") from None


def parse_address(text: str) -> Address:
    from email.utils import parseaddr

    from auditor.errors import UsageError

    name, address = parseaddr(text)
    user, at, domain = address.partition("@")
    if not at or not user or "." not in domain or any(ord(c) < 33 for c in address):
        raise UsageError(f"--overview-to must be an e-mail address, got {text[:60]!r}")
    return Address(display_name=mail.one_line(name), username=user, domain=domain)
