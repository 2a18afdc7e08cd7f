"""Small pieces every source shares: collecting events and skipped records, X's two time formats."""

from __future__ import annotations


from auditor.activity.model import MAX_SKIPPED_KEPT
from auditor.activity.model import Activity, DirectMessage, Post, Skipped, SourceInfo


class Collector:
    """Gathers one source's events and skipped records into an `Activity` with its `SourceInfo`."""

    def __init__(self, name: str, kind: str):
        self.activity = Activity()
        self.info = SourceInfo(name=name, kind=kind)
        self.activity.sources.append(self.info)

    def add(self, event: Post | DirectMessage) -> None:
        (self.activity.posts if type(event) is Post else self.activity.dms).append(event)

    def skip(self, source: str, line: int, reason: str) -> None:
        self.info.skipped += 1
        if len(self.activity.skipped) < MAX_SKIPPED_KEPT:
            self.activity.skipped.append(Skipped(source, line, one_line(reason)))

    def note(self, text: str) -> None:
        self.info.notes.append(text)

    def done(self) -> Activity:
        self.info.events = len(self.activity.posts) + len(self.activity.dms)
        self.activity.skipped_count = self.info.skipped
        return self.activity


def one_line(text: str) -> str:
    """A reason on one line. Reasons quote ids and cells, which may hold line breaks: a duplicate id
    with a form feed split its row's reason in two (found by tests/fuzz). Unprintable characters are escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def unescape_x(text: str) -> str:
    """X escapes exactly &, < and > in tweet text; anything else that looks like an entity is the author's."""
    if "&" not in text:
        return text
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


