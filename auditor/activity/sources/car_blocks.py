"""A repository export (a CAR file, as `com.atproto.sync.getRepo` gives it) read section by section, with caps.

A CAR file is a header naming its root (the repository's signed commit), then sections, each a
block of DAG-CBOR and its CID. The records hang off a Merkle Search Tree under the commit: its
nodes give each record's key (`collection/rkey`) and the CID of the record's block.

The SDK's `CAR.from_bytes` decodes every block of the file at once (likes, follows, the tree), so
memory would follow the size of the file. Here the sections are read one at a time and decoded
with the same codec the SDK uses (libipld); only the commit, the tree's nodes and the records of the
collections asked for are kept, still encoded, and each is checked against its CID (sha-256)
before it is trusted. Sizes are capped: the file, a section, the number of sections, a key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from auditor.activity.sources.common import one_line
from auditor.errors import DataError

MAX_FILE_BYTES = 1 << 30  # a very active account's repository is tens of megabytes
MAX_SECTION = 4 << 20  # a record is at most 1 MiB in a repository; a tree node a few kilobytes
MAX_SECTIONS = 20_000_000
MAX_HEADER = 64 << 10
MAX_KEY = 1024  # collection (an NSID, at most 317) + "/" + record key (at most 512)
CHUNK = 1 << 20

DAG_CBOR, SHA2_256 = 0x71, 0x12
_NODE_START = b"\xa2ae"  # a tree node is the map {e: [...], l: ...}: two keys, "e" first in DAG-CBOR's order


@dataclass
class Repo:
    """What a repository export holds of the collections asked for."""

    did: str
    # (key, the record's block or None, why it is missing), in the tree's (key) order
    records: list[tuple[str, bytes | None, str]] = field(default_factory=list)
    missing_nodes: int = 0  # parts of the tree absent from the file (a partial export)


def read_repo(path: Path, collections: tuple[str, ...], label: str | None = None) -> Repo:
    """The records of `collections` in the repository exported to `path`. A file that is not a
    repository export, or whose framing is broken, is one DataError naming the section."""
    label = label or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(f"{label}: {size:,} bytes, more than the {MAX_FILE_BYTES:,} read from a repository export")
        with open(path, "rb") as handle:
            return _Reader(handle, label, collections).read()
    except OSError as exc:
        raise DataError(f"{label}: cannot read ({exc.strerror or type(exc).__name__})") from None


def is_car(path: Path) -> bool:
    """Whether the file starts as a CAR file does: a short header that is the map {roots, version}."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    start = 2 if head[:1] and head[0] & 0x80 else 1  # the header's length: one or two bytes
    return head[start:start + 7] in (b"\xa2eroots", b"\xa2gversi")


def type_marker(collection: str) -> bytes:
    """How `"$type": "<collection>"` is written in DAG-CBOR: a cheap test for the blocks worth keeping."""
    name = collection.encode()
    length = len(name)
    header = bytes([0x60 + length]) if length < 24 else bytes([0x78, length])
    return b"e$type" + header + name


class _Reader:
    def __init__(self, handle: BinaryIO, label: str, collections: tuple[str, ...]):
        self.handle = handle
        self.label = label
        self.collections = collections
        self.markers = tuple(type_marker(c) for c in collections)
        self.data = b""
        self.pos = 0
        self.base = 0  # offset in the file of data[0]
        self.nodes: dict[bytes, bytes] = {}
        self.blocks: dict[bytes, bytes] = {}
        self.damaged: set[bytes] = set()

    # -- framing -------------------------------------------------------------------------------

    def _fill(self, n: int) -> bool:
        """At least `n` unread bytes in the buffer; False when the file ends first."""
        while len(self.data) - self.pos < n:
            chunk = self.handle.read(max(CHUNK, n))
            if not chunk:
                return False
            self.base += self.pos
            self.data = self.data[self.pos:] + chunk
            self.pos = 0
        return True

    def _varint(self, what: str) -> int | None:
        """An unsigned LEB128 number; None at a clean end of the file."""
        data, pos = self.data, self.pos
        if pos + 1 < len(data):  # one or two bytes: every section of a repository
            if data[pos] < 0x80:
                self.pos = pos + 1
                return data[pos]
            if data[pos + 1] < 0x80:
                self.pos = pos + 2
                return (data[pos] & 0x7F) | data[pos + 1] << 7
        if not self._fill(1):
            return None
        value, shift = 0, 0
        for _ in range(9):
            if not self._fill(1):
                raise self._error(f"the file ends inside {what}")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
        raise self._error(f"{what} is not a number")

    def _take(self, n: int, what: str) -> bytes:
        if not self._fill(n):
            raise self._error(f"the file ends inside {what} ({n:,} bytes announced)")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def _error(self, what: str, section: int | None = None) -> DataError:
        where = f"section {section} (byte {self.base + self.pos:,})" if section else f"byte {self.base + self.pos:,}"
        return DataError(f"{self.label}: {where}: {what}")

    def _header(self) -> bytes:
        import libipld

        length = self._varint("the header's length")
        if length is None or length == 0:
            raise DataError(f"{self.label}: empty: not a repository export (a .car file)")
        if length > MAX_HEADER:
            raise DataError(f"{self.label}: not a repository export (a .car file): its header would be "
                            f"{length:,} bytes")
        if not self._fill(length):
            raise DataError(f"{self.label}: not a repository export (a .car file): it ends before its header does")
        try:
            header = libipld.decode_dag_cbor(self._take(length, "the header"))
        except (ValueError, RecursionError, OverflowError) as exc:
            raise DataError(f"{self.label}: not a repository export (a .car file): its header is not DAG-CBOR "
                            f"({_reason(exc)})") from None
        if not isinstance(header, dict) or header.get("version") not in (1, 2):
            raise DataError(f"{self.label}: not a repository export (a .car file): no CAR header")
        if header.get("version") == 2:
            raise DataError(f"{self.label}: a CAR version 2 file: export the repository again as a plain .car "
                            "(the Bluesky app's Export my data, or com.atproto.sync.getRepo)")
        roots = header.get("roots")
        if not isinstance(roots, list) or not roots or not isinstance(roots[0], bytes):
            raise DataError(f"{self.label}: the CAR header names no root: not a repository export")
        return roots[0]

    def _sections(self) -> Iterator[tuple[bytes, bytes, bool, bytes]]:
        """(CID, its digest, whether it is sha-256 DAG-CBOR, the block) of each section after the header."""
        count = 0
        while True:
            length = self._varint("a section's length")
            if length is None:
                return
            count += 1
            if count > MAX_SECTIONS:
                raise self._error(f"more than {MAX_SECTIONS:,} sections: refusing", count)
            if length > MAX_SECTION:
                raise self._error(f"a section of {length:,} bytes, more than any repository block "
                                  f"({MAX_SECTION:,}): refusing", count)
            section = self._take(length, f"section {count}")
            cid, digest, usable = _cid(section)
            if cid is None:
                raise self._error("its CID cannot be read", count)
            yield cid, digest, usable, section[len(cid):]

    def _keep(self, cid: bytes, digest: bytes, usable: bool, block: bytes, into: dict[bytes, bytes]) -> None:
        """Kept only when the block is what its CID says: a damaged or forged block is not evidence."""
        if not usable or hashlib.sha256(block).digest() != digest:
            self.damaged.add(cid)
        else:
            into[cid] = block

    def read(self) -> Repo:
        root = self._header()
        for cid, digest, usable, block in self._sections():
            if block[:3] == _NODE_START:
                self._keep(cid, digest, usable, block, self.nodes)
            if cid == root or any(m in block for m in self.markers):  # (a record may look like a node too)
                self._keep(cid, digest, usable, block, self.blocks)
        return self._repo(root)

    def _again(self, wanted: set[bytes]) -> None:
        """The blocks the first pass passed over (not of the collections asked for, by their bytes) that the
        tree files under them: read once more, so the record says what it is rather than seem missing."""
        self.handle.seek(0)
        self.data, self.pos, self.base = b"", 0, 0
        self._header()
        for cid, digest, usable, block in self._sections():
            if cid in wanted:
                self._keep(cid, digest, usable, block, self.blocks)

    # -- the tree -----------------------------------------------------------------------------

    def _repo(self, root: bytes) -> Repo:
        commit = _decoded(self.blocks.pop(root, None))
        if root in self.damaged:
            raise DataError(f"{self.label}: the repository's commit does not match its CID: the file is damaged")
        if not isinstance(commit, dict) or not isinstance(commit.get("data"), bytes):
            raise DataError(f"{self.label}: the CAR file's root is not a repository commit: not a repository export")
        did = commit.get("did")
        if not isinstance(did, str) or not did.startswith("did:") or len(did) > 2048:
            raise DataError(f"{self.label}: the repository's commit names no DID")
        repo = Repo(did=did)
        if commit["data"] not in self.nodes:
            raise DataError(f"{self.label}: the repository's records tree is not in the file (a partial export?): "
                            "export the whole repository")
        found = list(self._walk(commit["data"], repo))
        unread = {cid for _, cid in found if cid not in self.blocks and cid not in self.damaged}
        if unread:
            self._again(unread)
        for key, cid in found:
            block = self.blocks.get(cid)
            why = "" if block is not None else (
                "its block does not match its CID (damaged)" if cid in self.damaged else "its block is not in the file")
            repo.records.append((key, block, why))
        return repo

    def _walk(self, root: bytes, repo: Repo) -> Iterator[tuple[str, bytes]]:
        """(key, record CID) of the collections asked for, in key order, without recursion (a tree may be
        deep); a node named twice (a forged tree) is read once. Keys are compressed against the entry before."""
        wanted = tuple(f"{c}/".encode() for c in self.collections)
        stack: list[tuple[bytes, bytes | None]] = [(root, None)]  # (node CID, None) or (record CID, key)
        seen: set[bytes] = set()
        while stack:
            cid, key = stack.pop()
            if key is not None:
                try:
                    yield key.decode("ascii"), cid
                except UnicodeDecodeError:
                    raise DataError(f"{self.label}: a key of the repository's tree is not text: "
                                    f"{one_line(repr(key[:60]))}") from None
                continue
            if cid in seen:
                continue
            seen.add(cid)
            block = self.nodes.pop(cid, None)
            if block is None:
                repo.missing_nodes += 1
                continue
            node = _decoded(block)
            entries = node.get("e") if type(node) is dict else None
            left = node.get("l") if type(node) is dict else None
            if type(entries) is not list or (left is not None and type(left) is not bytes):
                raise DataError(f"{self.label}: a node of the repository's tree is malformed: the file is not a "
                                "repository export")
            pending: list[tuple[bytes, bytes | None]] = [(left, None)] if left is not None else []
            previous = b""
            for entry in entries:
                try:
                    prefix, suffix, value, right = entry["p"], entry["k"], entry["v"], entry.get("t")
                except (TypeError, KeyError, AttributeError):
                    prefix = None
                if (type(prefix) is not int or type(suffix) is not bytes or type(value) is not bytes
                        or not 0 <= prefix <= len(previous) or prefix + len(suffix) > MAX_KEY
                        or (right is not None and type(right) is not bytes)):
                    raise DataError(f"{self.label}: an entry of the repository's tree is malformed")
                previous = previous[:prefix] + suffix
                if previous.startswith(wanted):
                    pending.append((value, previous))
                if right is not None:
                    pending.append((right, None))
            stack.extend(reversed(pending))


def _decoded(block: bytes | None) -> object:
    import libipld

    if block is None:
        return None
    try:
        return libipld.decode_dag_cbor(block)
    except (ValueError, RecursionError, OverflowError):
        return None


def decode_record(block: bytes) -> object:
    """A record's block as Python values; ValueError with a short reason when it is not DAG-CBOR."""
    import libipld

    try:
        return libipld.decode_dag_cbor(block)
    except (ValueError, RecursionError, OverflowError) as exc:
        raise ValueError(f"not DAG-CBOR ({_reason(exc)})") from None


_DAG_CBOR_SHA256 = bytes([1, DAG_CBOR, SHA2_256, 32])


def _cid(section: bytes) -> tuple[bytes | None, bytes, bool]:
    """(the CID's bytes, its digest, whether it is a sha-256 DAG-CBOR CID) at the start of a section."""
    if section[:4] == _DAG_CBOR_SHA256 and len(section) >= 36:  # every block of a repository
        return section[:36], section[4:36], True
    if section[:2] == b"\x12\x20":  # a version 0 CID: a bare sha-256 multihash (dag-pb, never a repository's)
        return (section[:34], section[2:34], False) if len(section) >= 34 else (None, b"", False)
    pos = 0
    numbers = []
    for _ in range(4):  # version, codec, hash function, digest length
        value, shift = 0, 0
        while True:
            if pos >= len(section) or shift > 63:
                return None, b"", False
            byte = section[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        numbers.append(value)
    version, codec, function, length = numbers
    if version != 1 or pos + length > len(section):
        return None, b"", False
    digest = section[pos:pos + length]
    return section[:pos + length], digest, codec == DAG_CBOR and function == SHA2_256 and length == 32


def _reason(exc: BaseException) -> str:
    return one_line(str(exc).splitlines()[0][:120]) if str(exc) else type(exc).__name__
