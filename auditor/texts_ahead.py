"""Texts scored while the data is read: a head start for the rules whose work is scoring texts.

An audit reads and indexes its month in this process, and for those seconds the other CPU has
nothing to do: the workers get their texts only from the rules, once the events are indexed. A
rule that can name its texts before the data is read (`RuleBase.texts_ahead`: the posts of some
accounts in the period, reposts left out; `tone`) has them scored meanwhile by a process of its
own (`speedups.Beside`, forked with the workers). It reads the same canonical JSONL files and
stores with a decoder that takes only a post's author, time, language and text, and scores each
new key in chunks, in the order read, until the audit asks for what it has (`finish`, once the
events are indexed) or the sources end.

What comes back is only a head start, never a judgement of its own: each answer is the rule's own
batch function on that key (`TextsAhead.score`, what its workers run), and the rule takes it
instead of asking the workers again (`ScoredAhead`). A line this decoder reads differently from
the reader (a time with an offset, a field of an unexpected type, a handle spelled another way) is
only a text the rule's workers score as before, and a text scored here that the rule never asks
about is only time on a CPU that was idle. tests/test_texts_ahead.py audits months both ways.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

import msgspec

from auditor.activity.fast_events import utc_time
from auditor.activity.sources import source_kind
from auditor.activity.store import Store
from auditor.activity.store_format import stamp
from auditor.activity.sources.jsonl_lines import line_blocks, open_lines
from auditor.networks import normalize_handle
from auditor.rules.base import RuleBase, TextsAhead
from auditor.rules.context import ScoredAhead
from auditor.speedups import Beside, asked_to_finish

# Keys scored at a time: the audit's request to finish waits for at most one chunk (tens of ms).
CHUNK = 1000
_ROWS = 5000  # a store's rows read at a time


class _PostText(msgspec.Struct):
    """What this scan reads of a line; other fields are passed over (a DM's type says it is not a post)."""

    type: str = ""
    author: str = ""
    created_at: str = ""
    text: str = ""
    lang: Optional[str] = None
    repost_of: Optional[str] = None


_decode = msgspec.json.Decoder(_PostText).decode

# What a scan returns: by rule id, the keys scored (in the order scored) and their answers.
Scored = dict[str, tuple[list[Hashable], list[object]]]


def jobs_of(rules: list[RuleBase], policy) -> dict[str, TextsAhead]:
    """The enabled rules that can name their texts before the data is read, by rule id."""
    jobs = {}
    for rule in rules:
        job = rule.texts_ahead(policy.audited_by(rule)) if rule.enabled else None
        if job is not None and job.authors:
            jobs[rule.id] = job
    return jobs


def readable(paths: list[Path]) -> list[tuple[str, Path]]:
    """The sources this scan can read, with their kind: canonical JSONL files and stores."""
    sources = []
    for path in paths:
        kind = source_kind(path) if path.is_file() else None
        if kind in _POSTS:
            sources.append((kind, path))
    return sources


def scan(sources: list[tuple[str, Path]], start: datetime, end: datetime, jobs: dict[str, TextsAhead]) -> Scored:
    """Run in a `Beside` process: each job's new keys among the posts of `sources` in [start, end),
    scored a chunk at a time, until the sources end or the audit asks for what is done."""
    scored: Scored = {rule_id: ([], []) for rule_id in jobs}
    seen: dict[str, set[Hashable]] = {rule_id: set() for rule_id in jobs}
    waiting: dict[str, list[Hashable]] = {rule_id: [] for rule_id in jobs}

    def score(rule_id: str) -> None:
        keys, answers = scored[rule_id]
        batch = waiting[rule_id]
        answers += jobs[rule_id].score(batch)
        keys += batch
        waiting[rule_id] = []

    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    for author, text, lang in (post for kind, path in sources for post in _POSTS[kind](path, start, end)):
        for rule_id, job in jobs.items():
            if author not in job.authors:
                continue
            key = job.key(text, lang)
            if key in seen[rule_id]:
                continue
            seen[rule_id].add(key)
            waiting[rule_id].append(key)
            if len(waiting[rule_id]) >= CHUNK:
                score(rule_id)
                if asked_to_finish():
                    return scored
    for rule_id in jobs:  # the files ended before the audit asked: the last, short chunks too
        if waiting[rule_id] and not asked_to_finish():
            score(rule_id)
    return scored


def _jsonl_posts(path: Path, start: datetime, end: datetime) -> Iterator[tuple[str, str, str | None]]:
    """(author, text, language given) of every post line in [start, end) that is not a repost."""
    with open_lines(path) as handle:
        for block, _ in line_blocks(handle):
            if asked_to_finish():
                return
            for raw in block:
                post = _post(raw, start, end)
                if post is not None:
                    yield post


def _store_posts(path: Path, start: datetime, end: datetime) -> Iterator[tuple[str, str, str | None]]:
    """The same of a store's posts: each row's JSON is the canonical line of its event."""
    with Store(path, read_only=True) as store:
        rows = store.db.execute("SELECT json FROM events WHERE kind = 'post' AND created_at >= ? AND created_at < ?",
                                (stamp(start), stamp(end)))
        while batch := rows.fetchmany(_ROWS):
            if asked_to_finish():
                return
            for (text,) in batch:
                post = _post(text, start, end)
                if post is not None:
                    yield post


_POSTS = {"jsonl": _jsonl_posts, "store": _store_posts}


def _post(raw: bytes | str | None, start: datetime, end: datetime) -> tuple[str, str, str | None] | None:
    try:
        line = _decode(raw)
    except (msgspec.DecodeError, TypeError):  # TypeError: a line too long to hold (None)
        return None
    if line.type != "post" or line.repost_of is not None:
        return None
    created_at = utc_time(line.created_at)
    if created_at is None or not start <= created_at < end:
        return None
    return normalize_handle(line.author), line.text, line.lang or None


def finish(beside: Beside) -> ScoredAhead:
    """What the scan has scored, for the rules to take: by rule id, each key scored with its answer."""
    scored = beside.finish() or {}
    return ScoredAhead({rule_id: dict(zip(keys, answers)) for rule_id, (keys, answers) in scored.items()})
