"""Bluesky accounts named by DID, given their handles where the data tells them.

A repository export names everyone by DID, and a fetch names by DID the accounts whose profile it
never saw. Another event often tells the handle: a Bluesky post's id (`at://<did>/...`) is under its
author's DID, so a post read with its author's handle names that DID. Without this, one customer
could be `did:plc:...` in an export's reply and `carol.bsky.social` in the fetched post it answers,
and their question would look unanswered.
"""

from __future__ import annotations

from typing import Iterable

from auditor.activity.model import Activity, Post
from auditor.networks import BLUESKY

_ID_PREFIX = "at://did:"


def handles_in(posts: Iterable[tuple[str, str, object]]) -> dict[str, str]:
    """DID -> handle from (post id, author, created_at): the latest post's author wins (a handle can change)."""
    found: dict[str, tuple[object, str]] = {}
    for post_id, author, created in posts:
        if not post_id.startswith(_ID_PREFIX) or author.startswith("did:"):
            continue
        did = post_id[5:].split("/", 1)[0]
        known = found.get(did)
        if known is None or (created, author) > known:
            found[did] = (created, author)
    return {did: handle for did, (_, handle) in found.items()}


def name_dids(activity: Activity) -> None:
    """Replace, in the Bluesky events, each DID whose handle another event gives by that handle."""
    posts: list[Post] = [p for p in activity.posts if p.platform == BLUESKY]
    if not posts:
        return
    names = handles_in((p.id, p.author, p.created_at) for p in posts)
    if not names:
        return
    for post in posts:
        post.author = names.get(post.author, post.author)
        if post.in_reply_to_author is not None:
            post.in_reply_to_author = names.get(post.in_reply_to_author, post.in_reply_to_author)
        if any(m.startswith("did:") for m in post.mentions):
            post.mentions = tuple(dict.fromkeys(names.get(m, m) for m in post.mentions))
    for dm in activity.dms:
        if dm.platform == BLUESKY:
            dm.sender = names.get(dm.sender, dm.sender)
            dm.recipients = tuple(names.get(r, r) for r in dm.recipients)
