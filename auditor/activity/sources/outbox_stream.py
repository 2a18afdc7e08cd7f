"""The activities of a Mastodon archive's `outbox.json`, one at a time, from a stream.

`outbox.json` is one ActivityStreams `OrderedCollection`, written by Mastodon on one line:
`{"@context": ..., "id": "outbox.json", "type": "OrderedCollection", "totalItems": N,
"orderedItems": [{...}, {...}]}` (the keys in any order). An account of 50,000 statuses makes a file
of about 100 MB: here the top-level keys are walked until `orderedItems`, and each of its elements is
cut out and parsed alone by the X archive's record cutter (`archive_records.py`), so memory follows
the events kept, with the same cap on one record.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Iterator

import orjson

from auditor.activity.sources.archive_records import MAX_RECORD, MAX_RECORD_TEXT, _Buffer, _Cutter
from auditor.errors import DataError

_SPACE = b" \t\r\n"
_STRING_REST_RE = re.compile(rb'(?:[^"\\]|\\.)*+"', re.S)
_SCALAR_RE = re.compile(rb"[^,}\]\s]*")
MAX_KEY = 1024


class _ItemsCutter(_Cutter):
    """The archive cutter, with errors that speak of this file rather than of X's `window.YTD` wrapper."""

    def _error(self, index: int, what: str) -> DataError:
        return DataError(f"{self.where}: not valid JSON ({self.buf.where(index)}): {what}")


def ordered_items(stream: BinaryIO, where: str) -> Iterator[object]:
    """Each element of the collection's `orderedItems`, parsed; nothing when it has none. A file that is
    not a JSON object, or is broken before or inside the list, is one DataError with its position."""
    buf = _Buffer(stream)
    walker = _TopLevel(buf, where)
    start = walker.find("orderedItems")
    if start is None:
        return
    yield from _ItemsCutter(buf, where, start).elements()


class _TopLevel:
    """Walks the keys of the top-level object, skipping values, to the list under one key."""

    def __init__(self, buf: _Buffer, where: str):
        self.buf = buf
        self.where = where
        self.pos = 0

    def find(self, wanted: str) -> int | None:
        """The index just after the `[` of the list under `wanted`; None when the object has no such key."""
        buf = self.buf
        while len(buf.data) < 4096 and buf.more():
            pass
        if buf.data[:3] == b"\xef\xbb\xbf":
            self.pos = 3
        if self._next() != b"{":
            raise self._error("expected a JSON object (an ActivityStreams collection)")
        self.pos += 1
        while True:
            token = self._next()
            if token == b"}":
                return None
            if token != b'"':
                raise self._error("expected a key")
            key = self._key()
            if self._next() != b":":
                raise self._error("expected ':' after a key")
            self.pos += 1
            token = self._next()
            if key == wanted:
                if token == b"[":
                    return self.pos + 1
                if token == b"n":  # null: no items
                    return None
                raise self._error(f"{wanted} is not a list")
            self._skip_value(token)
            token = self._next()
            if token == b",":
                self.pos += 1
            elif token != b"}":
                raise self._error("expected ',' or '}'")

    def _next(self) -> bytes:
        """The next byte that is not a space (not consumed); b"" at the end of the file."""
        buf = self.buf
        while True:
            while self.pos < len(buf.data) and buf.data[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(buf.data):
                return buf.data[self.pos:self.pos + 1]
            if not buf.more():
                return b""

    def _key(self) -> str:
        buf = self.buf
        while True:
            match = _STRING_REST_RE.match(buf.data, self.pos + 1)
            if match is not None:
                break
            if len(buf.data) - self.pos > MAX_KEY or not buf.more():
                raise self._error("a key is cut short")
        try:
            key = orjson.loads(buf.data[self.pos:match.end()])
        except orjson.JSONDecodeError:
            raise self._error("a key is not a JSON string") from None
        self.pos = match.end()
        return key

    def _skip_value(self, token: bytes) -> None:
        buf = self.buf
        if token[:1] in (b"{", b"["):
            self.pos = _ItemsCutter(buf, self.where, self.pos)._bracket_end(self.pos)
        elif token[:1] == b'"':
            while (match := _STRING_REST_RE.match(buf.data, self.pos + 1)) is None:
                if len(buf.data) - self.pos > MAX_RECORD or not buf.more():
                    raise self._error(f"a string is cut short, or larger than {MAX_RECORD_TEXT}")
            self.pos = match.end()
        elif token:
            while True:  # a number, true, false or null
                match = _SCALAR_RE.match(buf.data, self.pos)
                if match.end() < len(buf.data) or not buf.more():
                    break
            self.pos = match.end()
        else:
            raise self._error("the file ends inside the collection")

    def _error(self, what: str) -> DataError:
        return DataError(f"{self.where}: not an outbox ({self.buf.where(self.pos)}): {what}")
