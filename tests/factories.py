"""Tiny factories for hand-made timelines and policies."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path

from ruamel.yaml import YAML

from auditor.activity.model import EVERY_ACCOUNT, Activity, DirectMessage, Post, SourceInfo
from auditor.audit import audit
from auditor.time.period import parse_period
from auditor.policy.loader import LoadedPolicy, load_policy

_ids = itertools.count(1000)


def at(text: str) -> datetime:
    """'2026-10-05 14:02' (UTC unless an offset is given) -> aware datetime."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def post(author: str, when: str, text: str = "hello", *, id: str | None = None, reply_to: Post | None = None,
         mentions: tuple[str, ...] | None = None, repost_of: str | None = None, conversation: str | None = None,
         real_id: bool = True, lang: str | None = None) -> Post:
    post_id = id or str(next(_ids))
    if mentions is None:
        mentions = (reply_to.author,) if reply_to else ()
    return Post(
        id=post_id,
        author=author,
        created_at=at(when),
        text=text,
        in_reply_to=reply_to.id if reply_to else None,
        in_reply_to_author=reply_to.author if reply_to else None,
        conversation_id=conversation,
        mentions=tuple(mentions),
        repost_of=repost_of,
        real_id=real_id,
        lang=lang,
    )


def dm(sender: str, recipient: str, when: str, text: str = "hi", *, id: str | None = None) -> DirectMessage:
    return DirectMessage(
        id=id or f"d-{next(_ids)}",
        conversation_id=":".join(sorted({sender, recipient})),
        sender=sender,
        recipients=(recipient,),
        created_at=at(when),
        text=text,
    )


def activity(*events, dms_of: tuple[str, ...] = (EVERY_ACCOUNT,)) -> Activity:
    """The events as one source that holds the DMs of `dms_of` (default: of every account)."""
    return Activity(
        posts=[e for e in events if isinstance(e, Post)],
        dms=[e for e in events if isinstance(e, DirectMessage)],
        sources=[SourceInfo("test", "jsonl", events=len(events), dm_accounts=frozenset(dms_of))],
    )


ROSTER = [
    {"handle": "acme_support", "name": "Acme Support", "kind": "brand", "team": "support"},
    {"handle": "lchen", "name": "Li Chen", "kind": "employee", "team": "support"},
    {"handle": "jdoe", "name": "Jane Doe", "kind": "employee", "team": "sales"},
]


def policy(tmp_path: Path, rules: list[dict], *, timezone: str = "America/Toronto", calendars: dict | None = None,
           accounts: list[dict] | None = None, ignore_accounts: list[str] | None = None) -> LoadedPolicy:
    document = {
        "name": "Test policy",
        "version": "1",
        "timezone": timezone,
        "accounts": accounts if accounts is not None else ROSTER,
        "calendars": calendars or {},
        "rules": rules,
    }
    if ignore_accounts is not None:
        document["ignore_accounts"] = ignore_accounts
    path = tmp_path / "policy.yaml"
    with path.open("w") as handle:
        YAML().dump(document, handle)
    return load_policy(path)


def run(loaded: LoadedPolicy, *events, period: str = "2026-10", as_of: str | None = None,
        dms_of: tuple[str, ...] = (EVERY_ACCOUNT,)):
    """Audit the events as one source holding the DMs of `dms_of` (default: of every account)."""
    return run_activity(loaded, activity(*events, dms_of=dms_of), period=period, as_of=as_of)


def run_activity(loaded: LoadedPolicy, read: Activity, *, period: str = "2026-10", as_of: str | None = None):
    chosen = parse_period(period, loaded.policy.zone, datetime(2026, 11, 23).date())
    return audit(loaded, read, chosen, as_of=at(as_of) if as_of else None)


def cli_report_bytes(policy, data, out: Path, monkeypatch, speedups_on: bool, period: str = "2026-10") -> bytes:
    """report.json of `auditor audit` on `data`, with the speed-ups on or off; small inputs still use
    the worker pool and the bulk business-hours clock, so both ways are exercised."""
    from typer.testing import CliRunner

    from auditor import speedups
    from auditor.cli import app
    from auditor.time import open_time

    with monkeypatch.context() as patch:
        patch.setenv("AUDITOR_SPEEDUPS", "on" if speedups_on else "off")
        patch.setattr(speedups, "PARALLEL_MIN_ITEMS", 200)  # small enough that the worker pool runs here
        patch.setattr(open_time, "_MIN_PAIRS", 1)  # business-hours clocks in bulk, however few the episodes
        result = CliRunner().invoke(app, ["audit", "--policy", str(policy), "--data", str(data), "--period", period,
                                          "--format", "json", "--out-dir", str(out)])
    assert result.exit_code in (0, 1), result.output
    return (out / "report.json").read_bytes()
