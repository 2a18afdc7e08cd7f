"""What a Bluesky post record says, read the same way by the fetch (`bluesky_api.py`) and the export
(`bluesky_car.py`), so a post from either is one event."""

from __future__ import annotations


def quoted_post(embed) -> str | None:
    """The post a post quotes: `app.bsky.embed.record`, or the record of `recordWithMedia` (a quote with
    images); a list or a feed embedded the same way is no post."""
    record = getattr(embed, "record", None)
    if getattr(embed, "media", None) is not None:
        record = getattr(record, "record", None)
    uri = getattr(record, "uri", None)
    return uri if isinstance(uri, str) and uri.startswith("at://") and "/app.bsky.feed.post/" in uri else None


def web_link(handle: str, uri: str) -> str:
    """The page of a post: `https://bsky.app/profile/<handle or DID>/post/<rkey>`."""
    return f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"
