"""X API v2 payloads (as JSON) -> canonical events. Pure: no tweepy, no network.

A page is `{"data": [...], "includes": {"users": [...], "tweets": [...]}, "meta": {...}}`.
Users in `includes` name the ids a tweet or DM carries (author, replied-to user, DM
participants); a referenced tweet in `includes` (the post a reply answers, the original of a
repost) becomes a post too, when its author and time are known: it is often the customer's
post that the audited account answered.

- A long post's `text` is cut at 280 characters: the whole text is in `note_tweet.text`.
- An edited post is a new tweet with a new id; `edit_history_tweet_ids` lists every version,
  oldest first. The latest version is kept, the earlier ones are linked to it (`edit_links`).
- DM events: `MessageCreate` events become DMs. A one-to-one conversation id is
  "{smaller id}-{larger id}"; a group's is a plain number, and its people come from its
  `ParticipantsJoin` / `ParticipantsLeave` events (`participant_ids`) and its senders: the
  caller keeps them across pages and runs (`dm_people`). A message with no text (a photo, a
  shared post) says what it carries, so it is not mistaken for a header without text.
"""

from __future__ import annotations

from datetime import datetime, timezone

from auditor.activity.events import mentions_in
from auditor.activity.model import DirectMessage, Post
from auditor.networks import normalize_handle
from auditor.activity.sources.common import unescape_x
from auditor.time.instants import parse_x_time

TWEET_FIELDS = ["created_at", "author_id", "conversation_id", "in_reply_to_user_id", "referenced_tweets", "entities",
                "lang", "note_tweet", "edit_history_tweet_ids"]
# referenced_tweets.id.author_id names the authors of included tweets, so they can be stored as posts too.
TWEET_EXPANSIONS = ["author_id", "in_reply_to_user_id", "referenced_tweets.id", "referenced_tweets.id.author_id"]
USER_FIELDS = ["username"]
DM_EVENT_FIELDS = ["event_type", "sender_id", "dm_conversation_id", "participant_ids", "created_at", "text",
                   "attachments", "referenced_tweets"]
DM_EXPANSIONS = ["sender_id", "participant_ids"]  # users: no media or post expansions, which X bills as reads
DM_EVENT_TYPES = ["MessageCreate", "ParticipantsJoin", "ParticipantsLeave"]


def user_handles(page: dict, known: dict[str, str] | None = None) -> dict[str, str]:
    """User id -> handle from a page's includes (and mentions, which carry both)."""
    handles = dict(known or {})
    includes = page.get("includes") or {}
    for user in includes.get("users") or ():
        if isinstance(user, dict) and user.get("id") and isinstance(user.get("username"), str):
            handles[str(user["id"])] = normalize_handle(user["username"])
    for tweet in [*(page.get("data") or ()), *(includes.get("tweets") or ())]:
        if not isinstance(tweet, dict):
            continue
        for entities in (tweet.get("entities"), (tweet.get("note_tweet") or {}).get("entities")):
            mentions = entities.get("mentions") if isinstance(entities, dict) else None
            for mention in mentions or ():
                if isinstance(mention, dict) and mention.get("id") and isinstance(mention.get("username"), str):
                    handles.setdefault(str(mention["id"]), normalize_handle(mention["username"]))
    return handles


def page_tweets(page: dict) -> list[dict]:
    """The page's tweets and the tweets it includes (the billed posts of a page)."""
    tweets = [*(page.get("data") or ()), *((page.get("includes") or {}).get("tweets") or ())]
    return [t for t in tweets if isinstance(t, dict)]


def edit_links(page: dict) -> dict[str, str]:
    """Earlier version id -> latest version id, for the edited tweets of a page."""
    links = {}
    for tweet in page_tweets(page):
        history = [str(i) for i in tweet.get("edit_history_tweet_ids") or () if str(i).isdigit()]
        if len(history) > 1:
            latest = max(history, key=int)
            links.update({version: latest for version in history if version != latest})
    return links


def page_posts(page: dict, handles: dict[str, str], superseded: dict[str, str] | None = None
               ) -> tuple[list[Post], list[str]]:
    """The page's tweets and its included tweets as posts; and why any were left out.

    Earlier versions of edited posts in `superseded` are left out: the latest version stands
    for the post.
    """
    superseded = superseded or {}
    posts, problems = [], []
    data = page.get("data") or []
    included = (page.get("includes") or {}).get("tweets") or []
    for tweet in [*data, *included]:
        if isinstance(tweet, dict) and str(tweet.get("id") or "") in superseded:
            continue
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
    note = tweet.get("note_tweet") if isinstance(tweet.get("note_tweet"), dict) else {}
    text = note.get("text") if isinstance(note.get("text"), str) and note.get("text") else tweet.get("text")
    if not isinstance(text, str):
        raise ValueError("no text")
    text = unescape_x(text)
    references = {ref.get("type"): str(ref.get("id")) for ref in tweet.get("referenced_tweets") or ()
                  if isinstance(ref, dict) and ref.get("id")}
    in_reply_to = references.get("replied_to")
    reply_user = str(tweet.get("in_reply_to_user_id") or "")
    entities = note.get("entities") if note and isinstance(note.get("entities"), dict) else tweet.get("entities")
    mentions = tuple(dict.fromkeys(
        normalize_handle(m["username"]) for m in (entities or {}).get("mentions") or ()
        if isinstance(m, dict) and isinstance(m.get("username"), str)))
    lang = tweet.get("lang")
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
        lang=lang if isinstance(lang, str) and lang else None,
        real_id=True,
    )


def is_group(conversation_id: str) -> bool:
    return "-" not in conversation_id


def dm_people(page: dict, owner_id: str | None) -> dict[str, set[str]]:
    """Group conversation id -> the user ids a page shows in it (senders, people who joined or left)."""
    people: dict[str, set[str]] = {}
    for event in page.get("data") or ():
        if not isinstance(event, dict):
            continue
        conversation = str(event.get("dm_conversation_id") or "")
        if not conversation or not is_group(conversation):
            continue
        found = people.setdefault(conversation, {owner_id} if owner_id else set())
        if event.get("sender_id"):
            found.add(str(event["sender_id"]))
        found.update(str(p) for p in event.get("participant_ids") or () if p)
    return people


def page_dms(page: dict, handles: dict[str, str], people: dict[str, set[str]] | None = None
             ) -> tuple[list[DirectMessage], list[str]]:
    """The page's messages as DMs; and why any were left out. `people`: group conversation -> user ids."""
    dms, problems = [], []
    for event in page.get("data") or []:
        if isinstance(event, dict) and event.get("event_type", "MessageCreate") != "MessageCreate":
            continue
        try:
            dms.append(dm_event(event, handles, people or {}))
        except ValueError as exc:
            problems.append(f"DM {str(event.get('id', '?'))[:24] if isinstance(event, dict) else '?'}: {exc}")
    return dms, problems


def dm_event(event: object, handles: dict[str, str], people: dict[str, set[str]] | None = None) -> DirectMessage:
    if not isinstance(event, dict):
        raise ValueError("not an object")
    dm_id = str(event.get("id") or "")
    sender_id = str(event.get("sender_id") or "")
    if not dm_id or not sender_id:
        raise ValueError("no id or no sender_id")
    conversation = str(event.get("dm_conversation_id") or "")
    participants = [str(p) for p in event.get("participant_ids") or ()]
    if not participants and conversation and not is_group(conversation):
        participants = conversation.split("-")  # one-to-one conversations are "{smaller id}-{larger id}"
    elif conversation and is_group(conversation):
        participants += sorted((people or {}).get(conversation, ()), key=lambda p: (len(p), p))
    recipients = [p for p in dict.fromkeys(participants) if p != sender_id]
    if not recipients:
        if not conversation or not is_group(conversation):
            raise ValueError("no recipient (no participant_ids, and not a one-to-one conversation)")
        # A group whose other people no event has shown yet: named by the conversation until they are known.
        recipients = [group_name(conversation)]
    names = [handles.get(r, r) for r in recipients]
    return DirectMessage(
        id=dm_id,
        conversation_id=conversation or "-".join(sorted({sender_id, *recipients})),
        sender=handles.get(sender_id, sender_id),
        recipients=tuple(sorted(names) if conversation and is_group(conversation) else names),
        created_at=parse_x_time(event.get("created_at")),
        text=_dm_text(event),
    )


def group_name(conversation_id: str) -> str:
    return f"group:{conversation_id}"


def _dm_text(event: dict) -> str:
    text = event.get("text")
    text = unescape_x(text) if isinstance(text, str) else ""
    if text.strip():
        return text
    carried = []
    attachments = event.get("attachments") if isinstance(event.get("attachments"), dict) else {}
    media = [m for m in attachments.get("media_keys") or () if m]
    if media:
        carried.append(f"{len(media)} media item{'s' if len(media) > 1 else ''}")
    if attachments.get("card_ids"):
        carried.append("a card")
    shared = [str(r.get("id")) for r in event.get("referenced_tweets") or () if isinstance(r, dict) and r.get("id")]
    carried += [f"shared post {post_id}" for post_id in shared]
    return f"[{'; '.join(carried)}]" if carried else text


def newest_id(items: list[dict]) -> str | None:
    ids = [str(item["id"]) for item in items if isinstance(item, dict) and str(item.get("id", "")).isdigit()]
    return max(ids, key=int) if ids else None


def oldest_time(items: list[dict]):
    """The earliest `created_at` of a page's items, or None."""
    times = []
    for item in items:
        try:
            times.append(parse_x_time(item.get("created_at")) if isinstance(item, dict) else None)
        except ValueError:
            continue
    times = [t for t in times if t is not None]
    return min(times) if times else None


SNOWFLAKE_EPOCH_MS = 1288834974657


def snowflake_time(post_id: str) -> datetime:
    """The time an X id was made: ids since 2010 carry their creation time in milliseconds."""
    return datetime.fromtimestamp(((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, timezone.utc)


def iso(moment: datetime) -> str:
    """The time format X takes in `start_time`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")



def complete_paging(state) -> None:
    """A paging read to its end: its newest id is where the next run starts (a store `FetchState`)."""
    state.newest_id = later_id(state.newest_id, state.run_newest_id)
    if state.newest_id is not None:
        state.newest_time = iso(snowflake_time(state.newest_id))
    state.run_since_id = state.run_newest_id = state.next_token = None
    state.params = {}


def later_id(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if int(a) >= int(b) else b
