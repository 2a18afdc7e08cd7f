"""Bluesky repository exports (`.car`) for tests, built as a PDS builds them.

Blocks are DAG-CBOR encoded by libipld (the codec the atproto SDK uses) and addressed by CIDv1
(dag-cbor, sha-256); records sit in a Merkle Search Tree (atproto's repository spec: a key's
height is the number of leading zero bits of its sha-256, counted in pairs; keys are
prefix-compressed within a node), under a commit `{did, version: 3, data, rev, prev, sig}`,
and the file is a CARv1 whose root is the commit. Every record is first held to the SDK's own
model (`validated`), so a fixture with a wrong field fails the test that builds it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import libipld

from tests.activity.ingest.fake_bluesky import iso, validated

MODELS = {"app.bsky.feed.post": "AppBskyFeedPost.Record", "app.bsky.feed.repost": "AppBskyFeedRepost.Record",
          "app.bsky.actor.profile": "AppBskyActorProfile.Record", "app.bsky.feed.like": "AppBskyFeedLike.Record",
          "app.bsky.graph.follow": "AppBskyGraphFollow.Record"}


def cid_of(block: bytes) -> bytes:
    return bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest()


def cid_text(cid: bytes) -> str:
    return libipld.encode_cid(cid)


def height(key: str) -> int:
    digest = hashlib.sha256(key.encode()).digest()
    zeros = 0
    for byte in digest:
        if byte == 0:
            zeros += 8
            continue
        zeros += 8 - byte.bit_length()
        break
    return zeros // 2


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Tree:
    """A Merkle Search Tree over (key, value CID) pairs; `blocks` gets every node, encoded."""

    def __init__(self, blocks: dict[bytes, bytes]):
        self.blocks = blocks

    def root(self, entries: list[tuple[str, bytes]]) -> bytes:
        leaves = sorted((key, cid, height(key)) for key, cid in entries)
        return self._node(leaves, max((h for _, _, h in leaves), default=0))

    def _node(self, leaves, level: int) -> bytes:
        left, items, group = None, [], []
        for key, cid, h in leaves:
            if h == level:
                sub = self._node(group, level - 1) if group else None
                if items:
                    items[-1]["t"] = sub
                else:
                    left = sub
                items.append({"k": key, "v": cid, "t": None})
                group = []
            else:
                group.append((key, cid, h))
        if group:
            sub = self._node(group, level - 1)
            if items:
                items[-1]["t"] = sub
            else:
                left = sub
        entries, previous = [], b""
        for item in items:
            key = item["k"].encode()
            prefix = 0
            while prefix < min(len(key), len(previous)) and key[prefix] == previous[prefix]:
                prefix += 1
            entries.append({"p": prefix, "k": key[prefix:], "v": item["v"], "t": item["t"]})
            previous = key
        block = libipld.encode_dag_cbor({"l": left, "e": entries})
        cid = cid_of(block)
        self.blocks[cid] = block
        return cid


class Repository:
    """One account's repository: add records, then `write` the export."""

    def __init__(self, did: str):
        self.did = did
        self.records: dict[str, dict] = {}
        self.extra_blocks: list[tuple[bytes, bytes]] = []  # raw sections to append (tests of broken files)
        self._tid = 0

    def rkey(self) -> str:
        self._tid += 1
        return f"3l{self._tid:011d}"

    def add(self, collection: str, record: dict, rkey: str | None = None) -> str:
        """Add a record (held to the SDK's model); returns its at:// uri."""
        record = {"$type": collection, **record}
        validated(MODELS[collection], record)
        rkey = rkey or self.rkey()
        self.records[f"{collection}/{rkey}"] = record
        return f"at://{self.did}/{collection}/{rkey}"

    def post(self, text: str, at: datetime, *, reply_to: tuple[str, str] | None = None,
             root: tuple[str, str] | None = None, mentions: dict[str, str] | None = None,
             quote: str | None = None, langs=("en",)) -> str:
        """A post. `reply_to`/`root`: (uri, cid) of the posts answered; `mentions`: handle -> DID, each
        written in `text` as @handle and marked with a mention facet over it, as the app does."""
        record: dict = {"text": text, "createdAt": iso(at)}
        if langs:
            record["langs"] = list(langs)
        if reply_to:
            parent = {"uri": reply_to[0], "cid": reply_to[1]}
            ancestor = {"uri": root[0], "cid": root[1]} if root else parent
            record["reply"] = {"root": ancestor, "parent": parent}
        facets = []
        for handle, did in (mentions or {}).items():
            start = text.encode().index(f"@{handle}".encode())
            facets.append({"index": {"byteStart": start, "byteEnd": start + len(handle.encode()) + 1},
                           "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}]})
        if facets:
            record["facets"] = facets
        if quote:
            record["embed"] = {"$type": "app.bsky.embed.record", "record": {"uri": quote, "cid": FAKE_CID}}
        return self.add("app.bsky.feed.post", record)

    def repost(self, subject: str, at: datetime) -> str:
        return self.add("app.bsky.feed.repost", {"subject": {"uri": subject, "cid": FAKE_CID}, "createdAt": iso(at)})

    def blocks(self) -> tuple[bytes, dict[bytes, bytes]]:
        """(the commit's CID, every block by CID): the commit, the tree's nodes, the records."""
        blocks: dict[bytes, bytes] = {}
        leaves = []
        for key, record in self.records.items():
            block = libipld.encode_dag_cbor(record)
            cid = cid_of(block)
            blocks[cid] = block
            leaves.append((key, cid))
        data = Tree(blocks).root(leaves)
        commit = libipld.encode_dag_cbor({"did": self.did, "version": 3, "data": data, "rev": "3l000000000zz",
                                          "prev": None, "sig": b"\x00" * 64})
        root = cid_of(commit)
        blocks = {root: commit, **blocks}
        return root, blocks

    def export(self, *, drop: tuple[bytes, ...] = (), replace: dict[bytes, bytes] | None = None) -> bytes:
        """The CARv1 file: `drop` leaves blocks out, `replace` swaps a block's bytes (keeping its CID)."""
        root, blocks = self.blocks()
        out = bytearray()
        header = libipld.encode_dag_cbor({"version": 1, "roots": [root]})
        out += varint(len(header)) + header
        for cid, block in blocks.items():
            if cid in drop:
                continue
            block = (replace or {}).get(cid, block)
            out += varint(len(cid) + len(block)) + cid + block
        for cid, block in self.extra_blocks:
            out += varint(len(cid) + len(block)) + cid + block
        return bytes(out)

    def write(self, path: Path, **options) -> Path:
        path.write_bytes(self.export(**options))
        return path

    def cid(self, uri: str) -> str:
        """The CID (text) of one of this repository's records, as a reply's strong ref names it."""
        key = uri.removeprefix(f"at://{self.did}/")
        return cid_text(cid_of(libipld.encode_dag_cbor(self.records[key])))


FAKE_CID = "bafyreifnfszf6lzub45e5o45fhtp5inq5rbuf23ybjasgk4c3x7qjfubcm"  # a strong ref to a post not in the file
