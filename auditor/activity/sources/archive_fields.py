"""Fields of one archive record as the archive writes them: ids and handles, mentions, reposts, media,
edit groups, a post's own link, and who a DM conversation is between."""

from __future__ import annotations

import re

from auditor.networks import normalize_handle

# A retweet whose original the archive does not identify (it usually does not).
UNKNOWN_ORIGINAL = "unknown"


def text_of(value: object) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def mention_handles(mentions: object) -> tuple[str, ...]:
    if not isinstance(mentions, list):
        return ()
    handles = (m.get("screen_name") for m in mentions if isinstance(m, dict))
    return tuple(dict.fromkeys(normalize_handle(h) for h in handles if isinstance(h, str) and h))


def original_of(tweet: dict, raw_text: str, entities: dict) -> str | None:
    status = tweet.get("retweeted_status")
    if isinstance(status, dict):
        return text_of(status.get("id_str")) or text_of(status.get("id")) or UNKNOWN_ORIGINAL
    if not raw_text.startswith("RT @"):
        return None
    # A retweet with media names the original in the media's source_status_id_str.
    for media in media_of(tweet):
        if text_of(media.get("source_status_id_str")):
            return media["source_status_id_str"]
    return UNKNOWN_ORIGINAL


def tweet_of(record: object) -> dict | None:
    """Archives since 2020 wrap each tweet as {"tweet": {...}}; older ones do not."""
    if not isinstance(record, dict):
        return None
    tweet = record.get("tweet", record)
    return tweet if isinstance(tweet, dict) else None


def media_of(tweet: dict) -> list[dict]:
    found = []
    for key in ("extended_entities", "entities"):
        holder = tweet.get(key)
        media = holder.get("media") if isinstance(holder, dict) else None
        if isinstance(media, list):
            found.extend(m for m in media if isinstance(m, dict))
    return found


def edit_group(tweet: dict, post_id: str) -> str:
    info = tweet.get("edit_info")
    if isinstance(info, dict):
        edit = info.get("edit")
        if isinstance(edit, dict) and text_of(edit.get("initialTweetId")):
            return edit["initialTweetId"]
        initial = info.get("initial")
        ids = initial.get("editTweetIds") if isinstance(initial, dict) else None
        if isinstance(ids, list) and len(ids) > 1 and all(isinstance(i, str) for i in ids):
            return min(ids, key=lambda i: (len(i), i))
    return post_id


OWN_LINK_RE = re.compile(r"https?://(?:twitter|x)\.com/(\w{1,15})/status/")


def own_link(tweet: dict) -> str | None:
    """Without account.js: the handle in links to the owner's own media ("x.com/<owner>/status/...")."""
    if str(tweet.get("full_text", "")).startswith("RT @"):
        return None
    for media in media_of(tweet):
        match = OWN_LINK_RE.match(str(media.get("expanded_url", "")))
        if match:
            return normalize_handle(match.group(1))
    return None


def common_participant(conversations) -> str | None:
    """Without account.js: the one user id in every one-to-one conversation ("A-B") is the owner's."""
    common: set[str] | None = None
    for record in conversations:
        conversation = record.get("dmConversation") if isinstance(record, dict) else None
        conversation_id = conversation.get("conversationId") if isinstance(conversation, dict) else None
        if isinstance(conversation_id, str) and re.fullmatch(r"\d+-\d+", conversation_id):
            pair = set(conversation_id.split("-"))
            common = pair if common is None else common & pair
    return next(iter(common)) if common and len(common) == 1 else None


def conversation_people(conversation_id: str, messages: list, owner_id: str | None) -> set[str]:
    people: set[str] = set()
    if re.fullmatch(r"\d+-\d+", conversation_id):
        people.update(conversation_id.split("-"))
    if owner_id:
        people.add(owner_id)
    for message in messages:
        if not isinstance(message, dict):
            continue
        for value in message.values():
            if not isinstance(value, dict):
                continue
            for key in ("senderId", "recipientId", "initiatingUserId"):
                if text_of(value.get(key)):
                    people.add(value[key])
            for key in ("userIds", "participantsSnapshot"):
                if isinstance(value.get(key), list):
                    people.update(v for v in value[key] if isinstance(v, str))
    return people
