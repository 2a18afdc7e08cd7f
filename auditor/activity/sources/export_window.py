"""What the Bluesky and Mastodon export readers share: the audit window, kept as the X archive keeps it.

Events inside the window are kept as they are read; of the posts outside it only the id, the post it
answers and where it was read are kept, so memory follows the events kept, not the file. The older posts
that replies inside the window answer (up the chain: without them a conversation's root would depend on
the window) are then read again from where they were.
"""

from __future__ import annotations

from datetime import datetime

from auditor.activity.model import DirectMessage, Post


class WindowKeeper:
    def __init__(self, window: tuple[datetime, datetime] | None):
        self.window = window
        self.beyond = False  # an event after the window was read: the export runs on past it
        self.kept: list[tuple[int, Post | DirectMessage]] = []  # (where it was read, event)
        self.outside: dict[str, tuple[str | None, int]] = {}  # post id -> (the post it answers, where it was read)

    def add(self, event: Post | DirectMessage, where: int) -> None:
        if self.window is None or self.window[0] <= event.created_at < self.window[1]:
            self.kept.append((where, event))
        else:
            self.beyond = self.beyond or event.created_at >= self.window[1]
            if type(event) is Post:
                self.outside[event.id] = (event.in_reply_to, where)

    def wanted(self) -> set[int]:
        """Where the older posts that kept replies answer were read."""
        have = {event.id for _, event in self.kept if type(event) is Post}
        todo = [e.in_reply_to for _, e in self.kept if type(e) is Post and e.in_reply_to and e.in_reply_to not in have]
        found: set[int] = set()
        while todo:
            entry = self.outside.pop(todo.pop(), None)  # popped: a chain that loops is followed once
            if entry is not None:
                found.add(entry[1])
                if entry[0]:
                    todo.append(entry[0])
        return found

    def add_again(self, post: Post, where: int) -> None:
        """An older post read again because a kept reply answers it."""
        self.kept.append((where, post))

    def events(self) -> list[Post | DirectMessage]:
        """Everything kept, in the order of the file."""
        return [event for _, event in sorted(self.kept, key=lambda pair: pair[0])]
