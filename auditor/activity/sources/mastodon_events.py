"""Mastodon statuses (the REST API's JSON) as canonical events, and a status's HTML as plain text.

- A status is a post unless its `visibility` is `direct`: then it is a DM from its author to the
  accounts it mentions, in the conversation of its participants ("a:b", as canonical JSONL names one).
- Ids are the status's `uri` (its ActivityPub id): the same status has another numeric id on every
  instance, so only the uri is the same from any instance and from an account's archive. `url` is
  the page people open.
- Handles: an account's `acct` is relative to the instance asked (`bob` there, `bob@other.social`
  elsewhere): written in full, `bob@mastodon.social`.
- A reply names its parent by the instance's numeric id: the parent's uri comes from the statuses
  of the same run (or is looked up by the fetcher); its author from the mention of
  `in_reply_to_account_id` (a reply mentions whom it answers).
- A boost (`reblog`) is a repost; `language` is the post's `lang`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html.parser import HTMLParser

from auditor.activity.events import MAX_TEXT

from auditor.time.instants import parse_instant
from auditor.activity.model import DirectMessage, Post
from auditor.networks import MASTODON, canonical_handle


def handle_of(acct: str, instance: str) -> str:
    """An account's `acct` as a canonical handle: `bob` on mastodon.social is bob@mastodon.social."""
    return canonical_handle(acct, MASTODON, home=instance)


def moment(value) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return parse_instant(value)


def status_events(status: dict, instance: str, uris: dict[str, str]) -> Post | DirectMessage:
    """One status as a post or a DM. `uris`: instance ids of statuses already seen -> their uri."""
    author = handle_of(status["account"]["acct"], instance)
    mentioned = {str(m["id"]): handle_of(m["acct"], instance) for m in status.get("mentions") or ()}
    mentions = tuple(dict.fromkeys(h for h in mentioned.values()))
    text = html_text(status.get("content") or "")[:MAX_TEXT]
    spoiler = (status.get("spoiler_text") or "").strip()
    if spoiler:  # a content warning is part of what was said
        text = f"{spoiler}\n\n{text}" if text else spoiler
    created = moment(status["created_at"])
    uri = str(status.get("uri") or status["id"])
    uris[str(status["id"])] = uri
    if status.get("visibility") == "direct":
        recipients = tuple(h for h in mentions if h != author) or (author,)
        conversation = ":".join(sorted({author, *recipients}))
        return DirectMessage(uri, conversation, author, recipients, created, text or _attachments(status), MASTODON)
    reply_to = status.get("in_reply_to_id")
    reply_author = mentioned.get(str(status.get("in_reply_to_account_id")))
    if reply_author is None and status.get("in_reply_to_account_id") == status["account"].get("id"):
        reply_author = author  # a thread of one's own
    reblog = status.get("reblog")
    return Post(
        uri, author, created, text or _attachments(status),
        in_reply_to=uris.get(str(reply_to)) if reply_to else None,
        in_reply_to_author=reply_author if reply_to else None,
        mentions=mentions,
        repost_of=str(reblog.get("uri") or reblog["id"]) if isinstance(reblog, dict) else None,
        url=status.get("url") or uri, platform=MASTODON, lang=status.get("language") or None, real_id=True,
    )


def _attachments(status: dict) -> str:
    media = status.get("media_attachments") or ()
    return f"[{len(media)} media item{'s' if len(media) != 1 else ''}]" if media else ""


class _Text(HTMLParser):
    """Mastodon's HTML (<p>, <br>, links, mention and hashtag spans) to the text people read. A long
    link's parts that Mastodon hides (`<span class="invisible">https://</span>`) are kept: the text
    holds the whole address, not the shortened one shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    if "<" not in html and "&" not in html:
        return html
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts).strip()
