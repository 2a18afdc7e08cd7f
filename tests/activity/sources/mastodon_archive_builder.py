"""Mastodon account archives for tests, in the shapes Mastodon's serializers write them.

`activity()` turns a REST status of tests/activity/ingest/fake_mastodon.py (held to Mastodon.py's entity
classes there) into the activity `BackupService` writes for it: `CreateNoteSerializer` (a `Create`
wrapping `NoteSerializer`'s Note: `id` = the status's `uri`, `url`, `inReplyTo` = the parent's uri,
`to`/`cc` from `ActivityPub::TagManager#to/#cc` by visibility, `tag` Mentions `{href: actor uri,
name: "@" + acct}`, `contentMap` by language) or `AnnounceNoteSerializer` (`id` = `<uri>/activity`).
`actor()` is `ActorSerializer` as the archive rewrites it (outbox, likes, bookmarks as file names).
`write_archive()` lays them out as the zip `BackupService#build_archive!` makes: outbox.json,
actor.json, likes.json, bookmarks.json and media files at the top.

The same status therefore comes to the fetcher from the fake instance and to the importer from
the archive, which is what tests/activity/test_mastodon_archive.py compares.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

from tests.activity.ingest.fake_mastodon import FakeMastodon

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = ["https://www.w3.org/ns/activitystreams", {"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri",
                                                     "conversation": "ostatus:conversation", "sensitive": "as:sensitive"}]


def _published(rest_time: str) -> str:
    return datetime.fromisoformat(rest_time).strftime("%Y-%m-%dT%H:%M:%SZ")  # created_at.iso8601


def audience(fake: FakeMastodon, status: dict) -> tuple[list[str], list[str]]:
    """`TagManager#to` and `#cc` for the status's visibility."""
    followers = f"{status['account']['uri']}/followers"
    mentioned = [fake.accounts[m["id"]]["uri"] for m in status["mentions"]]
    visibility = status["visibility"]
    to = {"public": [PUBLIC], "unlisted": [followers], "private": [followers], "direct": mentioned}[visibility]
    cc = {"public": [followers], "unlisted": [PUBLIC]}.get(visibility, [])
    if visibility != "direct":
        cc = cc + mentioned
    return to, cc


def activity(fake: FakeMastodon, status: dict) -> dict:
    actor_uri = status["account"]["uri"]
    to, cc = audience(fake, status)
    published = _published(status["created_at"])
    if status.get("reblog"):
        return {"id": f"{status['uri']}", "type": "Announce", "actor": actor_uri, "published": published,
                "to": to, "cc": [status["reblog"]["account"]["uri"], *cc], "object": status["reblog"]["uri"]}
    parent = next((s for s in fake.statuses if s["id"] == status["in_reply_to_id"]), None)
    note = {
        "id": status["uri"], "type": "Note", "summary": status["spoiler_text"] or None,
        "inReplyTo": parent["uri"] if parent else None, "published": published, "url": status["url"],
        "attributedTo": actor_uri, "to": to, "cc": cc, "sensitive": status["sensitive"],
        "atomUri": status["uri"], "inReplyToAtomUri": parent["uri"] if parent else None,
        "conversation": f"tag:mastodon.social,2026-10-01:objectId={status['id']}:objectType=Conversation",
        "content": status["content"], "contentMap": {status["language"]: status["content"]},
        "attachment": [], "tag": [{"type": "Mention", "href": fake.accounts[m["id"]]["uri"], "name": f"@{m['acct']}"}
                                  for m in status["mentions"]],
        "replies": {"id": f"{status['uri']}/replies", "type": "Collection",
                    "first": {"type": "CollectionPage", "next": f"{status['uri']}/replies?only_other_accounts=true&page=true",
                              "partOf": f"{status['uri']}/replies", "items": []}},
    }
    return {"id": f"{status['uri']}/activity", "type": "Create", "actor": actor_uri, "published": published,
            "to": to, "cc": cc, "object": note}


def boost(fake: FakeMastodon, account_id: str, original: dict, at: datetime) -> dict:
    """A boost as the REST API shows it (a status whose `reblog` is the original), added to the fake."""
    account = fake.accounts[account_id]
    fake._next_id += 1
    sid = str(fake._next_id)
    uri = f"{account['uri']}/statuses/{sid}/activity"
    status = {**original, "id": sid, "uri": uri, "url": uri, "account": account, "reblog": original,
              "content": "", "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "mentions": [],
              "in_reply_to_id": None, "in_reply_to_account_id": None, "visibility": "public", "language": None}
    fake.statuses.append(status)
    return status


def actor(account: dict, webfinger: bool = True) -> dict:
    found = {
        "@context": CONTEXT, "id": account["uri"], "type": "Person", "following": f"{account['uri']}/following",
        "followers": f"{account['uri']}/followers", "inbox": f"{account['uri']}/inbox", "outbox": "outbox.json",
        "featured": f"{account['uri']}/collections/featured", "preferredUsername": account["username"],
        "name": account["display_name"], "summary": "<p></p>", "url": account["url"],
        "manuallyApprovesFollowers": False, "discoverable": True, "published": "2022-01-01T00:00:00Z",
        "likes": "likes.json", "bookmarks": "bookmarks.json",
    }
    if webfinger:
        host = account["url"].split("/")[2]
        found["webfinger"] = f"{account['username']}@{host}"
    return found


def outbox(items: list[dict]) -> dict:
    return {"@context": CONTEXT, "id": "outbox.json", "type": "OrderedCollection", "totalItems": len(items),
            "orderedItems": items}


def write_archive(path: Path, fake: FakeMastodon, account_id: str, *, webfinger: bool = True,
                  items: list[dict] | None = None, folder: str = "") -> Path:
    """The archive of one account of the fake: every status of it, oldest first (a zip, or a folder when
    `path` has no .zip suffix). `items` replaces the activities; `folder` wraps everything in one."""
    account = fake.accounts[account_id]
    if items is None:
        items = [activity(fake, s) for s in fake.statuses if s["account"]["id"] == account_id]
    files = {
        "outbox.json": json.dumps(outbox(items)),
        "actor.json": json.dumps(actor(account, webfinger)),
        "likes.json": json.dumps({"@context": CONTEXT, "id": "likes.json", "type": "OrderedCollection",
                                  "orderedItems": ["https://mastodon.social/users/dave/statuses/1"]}),
        "bookmarks.json": json.dumps({"@context": CONTEXT, "id": "bookmarks.json", "type": "OrderedCollection",
                                      "orderedItems": []}),
        "media_attachments/files/110/000/000/original/a.png": "\x89PNG",
    }
    prefix = f"{folder}/" if folder else ""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(prefix + name, text)
    else:
        for name, text in files.items():
            target = path / prefix / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    return path
