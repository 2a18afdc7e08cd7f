"""What the Bluesky and Mastodon export readers share: the audit window, kept as the X archive keeps it."""

from __future__ import annotations

from datetime import datetime

from auditor.activity.model import DirectMessage, Post


def within(posts: list[Post], dms: list[DirectMessage],
           window: tuple[datetime, datetime] | None) -> tuple[list[Post], list[DirectMessage]]:
    """The events inside `window` (start inclusive, end exclusive), and the older posts that replies
    inside it answer, up the chain: without them a conversation's root would depend on the window."""
    if window is None:
        return posts, dms
    start, end = window
    kept = [p for p in posts if start <= p.created_at < end]
    by_id = {p.id: p for p in posts}
    ids = {p.id for p in kept}
    todo = [p.in_reply_to for p in kept if p.in_reply_to and p.in_reply_to not in ids]
    while todo:
        parent = by_id.get(todo.pop())
        if parent is not None and parent.id not in ids:
            ids.add(parent.id)
            kept.append(parent)
            if parent.in_reply_to:
                todo.append(parent.in_reply_to)
    order = {id(p): n for n, p in enumerate(posts)}  # the file's order, whatever the window took first
    kept.sort(key=lambda p: order[id(p)])
    return kept, [d for d in dms if start <= d.created_at < end]
