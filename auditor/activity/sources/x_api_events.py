"""X API v2 payloads (as JSON) -> canonical events. Pure: no tweepy, no network.

A page is `{"data": [...], "includes": {"users": [...], "tweets": [...]}, "meta": {...}}`.
Users in `includes` name the ids a tweet or DM carries (author, replied-to user, DM
participants); a referenced tweet in `includes` (the post a reply answers, the original of a
repost) becomes a post too, when its author and time are known: it is often the customer's
post that the audited account answered.
"""

from __future__ import annotations

from auditor.activity.events import mentions_in
from auditor.activity.model import DirectMessage, Post, normalize_handle
from auditor.activity.sources.common import parse_x_time, unescape_x

TWEET_FIELDS = ["created_at", "author_id", "conversation_id", "in_reply_to_user_id", "referenced_tweets", "entities"]
# referenced_tweets.id.author_id names the authors of included tweets, so they can be stored as posts too.
TWEET_EXPANSIONS = ["author_id", "in_reply_to_user_id", "referenced_tweets.id", "referenced_tweets.id.author_id"]
USER_FIELDS = ["username"]
DM_EVENT_FIELDS = ["sender_id", "dm_conversation_id", "participant_ids", "created_at", "text"]
DM_EXPANSIONS = ["sender_id", "participant_ids"]


def user_handles(page: dict, known: dict[str, str] | None = None) -> dict[str, str]:
    """User id -> handle from a page's includes (and mentions, which carry both)."""
    handles = dict(known or {})
    includes = page.get("includes") or {}
    for user in includes.get("users") or ():
        if isinstance(user, dict) and user.get("id") and user.get("username"):
            handles[str(user["id"])] = normalize_handle(user["username"])
    for tweet in [*(page.get("data") or ()), *(includes.get("tweets") or ())]:
        mentions = (tweet.get("entities") or {}).get("mentions") if isinstance(tweet, dict) else None
        for mention in mentions or ():
            if isinstance(mention, dict) and mention.get("id") and mention.get("username"):
                handles.setdefault(str(mention["id"]), normalize_handle(mention["username"]))
    return handles


def page_posts(page: dict, handles: dict[str, str]) -> tuple[list[Post], list[str]]:
    """The page's tweets and its included tweets as posts; and why any were left out."""
    posts, problems = [], []
    data = page.get("data") or []
    included = (page.get("includes") or {}).get("tweets") or []
    for tweet in [*data, *included]:
        try:
            posts.append(tweet_post(tweet, handles))
        except ValueError as exc:
            if tweet in data:  # an included tweet without its author or time is context, not a loss
                problems.append(f"tweet {str(tweet.get('id', '?'))[:24] if isinstance(tweet, dict) else '?'}: {exc}")
    return posts, problems


def tweet_post(tweet: object, handles: dict[str, str]) -> Post:
    if not isinstance(tweet, dict):
        raise ValueError("not an object")
    post_id = str(tweet.get("id") or "")
    if not post_id:
        raise ValueError("no id")
    author_id = str(tweet.get("author_id") or "")
    author = handles.get(author_id)
    if not author:
        raise ValueError("author unknown (no author_id or no user in includes)")
    created_at = parse_x_time(tweet.get("created_at"))
    text = tweet.get("text")
    if not isinstance(text, str):
        raise ValueError("no text")
    text = unescape_x(text)
    references = {ref.get("type"): str(ref.get("id")) for ref in tweet.get("referenced_tweets") or ()
                  if isinstance(ref, dict) and ref.get("id")}
    in_reply_to = references.get("replied_to")
    reply_user = str(tweet.get("in_reply_to_user_id") or "")
    mentions = tuple(dict.fromkeys(
        normalize_handle(m["username"]) for m in (tweet.get("entities") or {}).get("mentions") or ()
        if isinstance(m, dict) and isinstance(m.get("username"), str)))
    return Post(
        id=post_id,
        author=author,
        created_at=created_at,
        text=text,
        in_reply_to=in_reply_to,
        in_reply_to_author=(handles.get(reply_user) or reply_user or None) if in_reply_to else None,
        conversation_id=str(tweet["conversation_id"]) if tweet.get("conversation_id") else None,
        mentions=mentions or mentions_in(text),
        repost_of=references.get("retweeted"),
        quote_of=references.get("quoted"),
        url=None,  # Post.link: every post's address on X
        real_id=True,
    )


def page_dms(page: dict, handles: dict[str, str]) -> tuple[list[DirectMessage], list[str]]:
    dms, problems = [], []
    for event in page.get("data") or []:
        if isinstance(event, dict) and event.get("event_type", "MessageCreate") != "MessageCreate":
            continue
        try:
            dms.append(dm_event(event, handles))
        except ValueError as exc:
            problems.append(f"DM {str(event.get('id', '?'))[:24] if isinstance(event, dict) else '?'}: {exc}")
    return dms, problems


def dm_event(event: object, handles: dict[str, str]) -> DirectMessage:
    if not isinstance(event, dict):
        raise ValueError("not an object")
    dm_id = str(event.get("id") or "")
    sender_id = str(event.get("sender_id") or "")
    if not dm_id or not sender_id:
        raise ValueError("no id or no sender_id")
    conversation = str(event.get("dm_conversation_id") or "")
    participants = [str(p) for p in event.get("participant_ids") or ()]
    if not participants and "-" in conversation:
        participants = conversation.split("-")  # one-to-one conversations are "{smaller id}-{larger id}"
    recipients = [p for p in dict.fromkeys(participants) if p != sender_id]
    if not recipients:
        raise ValueError("no recipient (no participant_ids, and not a one-to-one conversation)")
    text = event.get("text")
    return DirectMessage(
        id=dm_id,
        conversation_id=conversation or "-".join(sorted({sender_id, *recipients})),
        sender=handles.get(sender_id, sender_id),
        recipients=tuple(handles.get(r, r) for r in recipients),
        created_at=parse_x_time(event.get("created_at")),
        text=unescape_x(text) if isinstance(text, str) else "",
    )


def newest_id(items: list[dict]) -> str | None:
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and str(item.get("id", "")).isdigit()]
    return max(ids, key=int) if ids else None


def later_id(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if int(a) >= int(b) else b
