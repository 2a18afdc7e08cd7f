"""Long posts in an X archive: the tweet holds a cut text, `note-tweet.js` the full one.

X links them by neither id (`noteTweetId` is not the tweet's id): a note is matched to the post
created in the same second (or two) whose visible text (after its leading @mentions, before the
`…` and t.co links) the note's text starts with, and completes it when it is longer than that
visible text. What happened to each note is counted honestly: completed, already whole (the post
held its full text), stayed cut, or matched no post.
"""

from __future__ import annotations

import re
from collections import defaultdict
from msgspec.structs import replace
from typing import Callable, Iterable

from auditor.activity.events import mentions_in
from auditor.activity.model import Post
from auditor.time.instants import parse_x_time


def complete_long_posts(posts: dict[str, Post], notes: Iterable[tuple[str, int, object]],
                        skip: Callable[[str, int, str], None], *, keep_all: bool = True) -> str:
    """Replace the cut text of `posts` (by id, changed in place) with the notes' full text; the
    note for the source's coverage. `notes` are (member, record number, record); only the notes
    of posts kept are held unless `keep_all`."""
    seconds = {int(post.created_at.timestamp()) for post in posts.values()}
    by_second: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for member, number, record in notes:
        note = record.get("noteTweet") if isinstance(record, dict) else None
        core = note.get("core") if isinstance(note, dict) else None
        text = core.get("text") if isinstance(core, dict) else None
        try:
            if not isinstance(text, str):
                raise ValueError("note has no core.text")
            when = parse_x_time(note.get("createdAt"), "createdAt")
        except ValueError as exc:
            skip(member, number, str(exc))
            continue
        second = int(when.timestamp())
        if keep_all or any(second + delta in seconds for delta in (-2, -1, 0, 1, 2)):
            by_second[second].append((_str(note.get("noteTweetId")), text))
    notes = sum(len(found) for found in by_second.values())
    completed = whole = cut = 0
    for post_id, post in list(posts.items()):
        second = int(post.created_at.timestamp())
        candidates = [c for s in (second, second - 1, second + 1, second - 2, second + 2) for c in by_second.get(s, ())]
        if not candidates:
            continue
        full = _match_note(post, candidates)
        if full is None:
            continue
        prefix, body = _visible(post)
        # Against the visible text: a cut post's raw text may end in a link that makes it look longer.
        if len(full) > len(prefix) + len(body):
            posts[post_id] = _with_text(post, full)
            completed += 1
        elif _CUT_RE.search(post.text):
            cut += 1
        else:
            whole += 1
    parts = [f"{completed} of {notes} long posts completed from note-tweet.js"]
    if whole:
        parts.append(f"{whole} already held their full text")
    if cut:
        parts.append(f"{cut} stayed cut (the note was no longer than the cut text)")
    if notes - completed - whole - cut > 0:
        parts.append(f"{notes - completed - whole - cut} notes matched no post")
    return "; ".join(parts)


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""


_SPACE_RE = re.compile(r"\s+")
_TAIL_RE = re.compile(r"(?:\s*https://t\.co/\w+)+\s*$")
_CUT_RE = re.compile(r"…(?:\s*https://t\.co/\w+)*\s*$")  # X's mark on a post whose text was cut


def _visible(post: Post) -> tuple[str, str]:
    """A post's leading @mentions (X shows them apart) and the rest, trimmed of the truncation mark and t.co links."""
    text = post.text
    prefix = re.match(r"^(?:@\w{1,15}\s+)*", text).group(0)
    body = _TAIL_RE.sub("", text[len(prefix):]).rstrip().rstrip("…").rstrip()
    return prefix, body


def _match_note(post: Post, candidates: list[tuple[str, str]]) -> str | None:
    for note_id, text in candidates:
        if note_id == post.id:
            return text
    prefix, body = _visible(post)
    key = _SPACE_RE.sub(" ", body)[:60]
    if len(key) < 5:
        return None
    for _, text in candidates:
        if _SPACE_RE.sub(" ", text).startswith(key):
            return prefix + text if prefix and not text.startswith(prefix.strip()) else text
    return None


def _with_text(post: Post, text: str) -> Post:
    mentions = tuple(dict.fromkeys((*post.mentions, *mentions_in(text))))
    return replace(post, text=text, mentions=mentions)
