"""The records of an archive data file, one at a time, from a stream.

`window.YTD.tweets.part0 = [ {...}, {...} ]` may inflate to hundreds of megabytes from a few
megabytes of zip. Parsing it whole held the text, every parsed record and every event at once
(1.2 GB for a 200 MB `tweets.js`); here each top-level element is cut out of a buffer of at
most one record plus one chunk and parsed alone, so memory follows the events a reader keeps.

Cutting is exact: brackets are counted outside strings. X writes one record a block, opened by
`[\\n  {` or `,\\n  {` and closed by a line `  }`; a raw line break cannot occur inside a JSON
string, so in that layout the record ends at the first `\\n  }`, which is found with one search
and confirmed by parsing the record (a prefix that parses as an object is the whole object).
Any other layout is cut by counting brackets.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Iterator

import orjson

from auditor.errors import DataError

# One record: a tweet is a few kilobytes, a DM conversation holds all its messages (a long one,
# tens of thousands, is tens of megabytes). Anything larger is not an archive's.
MAX_RECORD = 64 << 20
MAX_RECORD_TEXT = "64 MB"
CHUNK = 1 << 20

_WRAPPER_RE = re.compile(rb"\s*window\.(?:YTD\.\w+\.part\d+|__THAR_CONFIG)\s*=\s*")
_TOKEN_RE = re.compile(rb'[\[\]{}"]')
_STRING_REST_RE = re.compile(rb'(?:[^"\\]|\\.)*+"', re.S)  # from after an opening quote to its closing one
_X_LAYOUT_END = b"\n  }"


class _Buffer:
    """Bytes of the stream from `base` on; older bytes are dropped once no record needs them."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.data = b""
        self.base = 0  # offset in the file of data[0]
        self.lines = 0  # line breaks in the dropped bytes, for error positions
        self.line_start = 0  # offset in the file where the line holding data[0] starts
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.data += chunk
        return True

    def drop(self, upto: int) -> None:
        self.lines += self.data.count(b"\n", 0, upto)
        newline = self.data.rfind(b"\n", 0, upto)
        if newline >= 0:
            self.line_start = self.base + newline + 1
        self.base += upto
        self.data = self.data[upto:]

    def where(self, index: int) -> str:
        """An editor's line and column (bytes) of `data[index]`."""
        line = self.lines + self.data.count(b"\n", 0, index) + 1
        newline = self.data.rfind(b"\n", 0, index)
        line_start = self.base + newline + 1 if newline >= 0 else self.line_start
        return f"line {line}, column {self.base + index - line_start + 1}"


def records(stream: BinaryIO, where: str) -> Iterator[object]:
    """Each element of the file's top-level list, parsed. A file that is not an archive data file,
    a list cut short, a record that is not JSON or one larger than `MAX_RECORD` is one DataError."""
    buf = _Buffer(stream)
    start = _open_list(buf, where)
    yield from _Cutter(buf, where, start).elements()


def _open_list(buf: _Buffer, where: str) -> int:
    """The index just after the list's `[`."""
    while len(buf.data) < 4096 and buf.more():
        pass
    start = 3 if buf.data[:3] == b"\xef\xbb\xbf" else 0
    match = _WRAPPER_RE.match(buf.data, start)
    if match:
        start = match.end()
    head = buf.data[start:start + 64].lstrip()[:1]
    if head == b"{":
        raise DataError(f"{where}: expected a list of records")
    if head != b"[":
        raise DataError(f"{where}: not an archive data file (expected window.YTD.<name>.part0 = [...])")
    return buf.data.index(b"[", start) + 1


class _Cutter:
    def __init__(self, buf: _Buffer, where: str, start: int):
        self.buf = buf
        self.where = where
        self.pos = start
        self.gap_start = start  # where the text between two elements begins (scalars may sit there)
        # X's own layout, recognised from how the first record starts.
        self.x_layout = True

    def elements(self) -> Iterator[object]:
        buf = self.buf
        while True:
            match = _TOKEN_RE.search(buf.data, self.pos)
            if match is None:
                if not buf.data[self.gap_start:].strip(b" \t\r\n,"):
                    self.pos = self.gap_start = len(buf.data)  # only separators so far: nothing to keep
                elif len(buf.data) - self.gap_start > MAX_RECORD:
                    raise self._error(self.gap_start, f"a value larger than {MAX_RECORD_TEXT}")
                self._compact()
                if not buf.more():
                    raise self._error(len(buf.data), "the list is cut short")
                continue
            index = match.start()
            char = buf.data[index]
            if char == 0x22:  # a string at the top level: a scalar element
                end = self._string_end(index)
                if end is None:
                    continue
                self.pos = end
                continue
            if char in (0x5B, 0x7B):  # [ {
                yield from self._scalars(self.gap_start, index)
                record, end = self._record(index)
                yield record
                self.pos = self.gap_start = end
                if end > CHUNK:  # the records before are done with: keep the buffer about a chunk long
                    self._compact()
                continue
            if char == 0x5D:  # ] closes the list; whatever follows (a `;`) is not data
                yield from self._scalars(self.gap_start, index)
                return
            raise self._error(index, "unexpected '}'")

    def _compact(self) -> None:
        # Nothing before the current gap is needed any more.
        keep = min(self.gap_start, self.pos)
        self.buf.drop(keep)
        self.pos -= keep
        self.gap_start -= keep

    def _string_end(self, index: int) -> int | None:
        """The index after the string opened at `index`, or None when more data was read to find it."""
        match = _STRING_REST_RE.match(self.buf.data, index + 1)
        if match is not None:
            return match.end()
        if len(self.buf.data) - self.gap_start > MAX_RECORD:
            raise self._error(index, f"a value larger than {MAX_RECORD_TEXT}")
        if not self.buf.more():
            raise self._error(len(self.buf.data), "a string is cut short")
        return None

    def _scalars(self, start: int, end: int) -> Iterator[object]:
        """Elements between two records that are not records (numbers, strings, null): a bad record each."""
        text = self.buf.data[start:end].strip().strip(b",").strip()
        if not text:
            return
        for piece in _split_top_level(text):
            try:
                yield orjson.loads(piece)
            except orjson.JSONDecodeError:
                raise self._error(start, "not valid JSON") from None

    def _record(self, start: int) -> tuple[object, int]:
        """The record that opens at `start`, parsed, and the index after it."""
        buf = self.buf
        if self.x_layout and not buf.data[max(0, start - 3):start].endswith(b"\n  "):
            self.x_layout = False
        if self.x_layout:
            found = self._x_layout_end(start)
            if found is not None:
                try:
                    return orjson.loads(memoryview(buf.data)[start:found]), found
                except orjson.JSONDecodeError:
                    self.x_layout = False  # not X's layout after all: count brackets
        end = self._bracket_end(start)
        try:
            return orjson.loads(memoryview(buf.data)[start:end]), end
        except orjson.JSONDecodeError as exc:
            raise self._error(start + exc.pos, "not valid JSON") from None

    def _x_layout_end(self, start: int) -> int | None:
        buf = self.buf
        searched = start
        while True:
            found = buf.data.find(_X_LAYOUT_END, searched)
            if found >= 0:
                return found + len(_X_LAYOUT_END)
            searched = max(start, len(buf.data) - len(_X_LAYOUT_END))
            self._check_size(start)
            if not buf.more():
                return None

    def _bracket_end(self, start: int) -> int:
        buf = self.buf
        depth = 0
        pos = start
        while True:
            match = _TOKEN_RE.search(buf.data, pos)
            if match is None:
                self._read_more(start, "the list is cut short")
                continue
            index = match.start()
            char = buf.data[index]
            if char == 0x22:
                string = _STRING_REST_RE.match(buf.data, index + 1)
                if string is None:
                    self._read_more(start, "a string is cut short")
                    continue
                pos = string.end()
            elif char in (0x5B, 0x7B):
                depth += 1
                pos = index + 1
            else:
                depth -= 1
                pos = index + 1
                if depth == 0:
                    return pos

    def _read_more(self, start: int, cut_short: str) -> None:
        """More of the record that opens at `start`; the end of the file inside it is an error."""
        self._check_size(start)
        if not self.buf.more():
            raise self._error(len(self.buf.data), cut_short)

    def _check_size(self, start: int) -> None:
        if len(self.buf.data) - start > MAX_RECORD:
            raise self._error(start, f"a record larger than {MAX_RECORD_TEXT}")

    def _error(self, index: int, what: str) -> DataError:
        return DataError(f"{self.where}: not valid JSON after the window.YTD wrapper ({self.buf.where(index)}): {what}")


def _split_top_level(text: bytes) -> list[bytes]:
    """Scalars separated by commas (strings may hold commas)."""
    pieces, current, pos = [], b"", 0
    while pos < len(text):
        if text[pos] == 0x22:
            match = _STRING_REST_RE.match(text, pos + 1)
            end = match.end() if match else len(text)
            current += text[pos:end]
            pos = end
        elif text[pos] == 0x2C:
            pieces.append(current.strip())
            current, pos = b"", pos + 1
        else:
            current += text[pos:pos + 1]
            pos += 1
    pieces.append(current.strip())
    return [piece for piece in pieces if piece]
