"""The lines of a JSONL file, with memory bounded whatever the file holds.

A line is never held longer than `MAX_LINE` bytes: a longer one is given as None (the reader
skips it with its number) and the rest of it is read and dropped. Two ways to read the same
lines: `lines` one `readline` at a time (the plain reader), and `line_blocks` a block at a time
split by hand (the fast reader: a million `readline` calls cost more than the split). Both give
the same lines with the same numbers (tests/activity/sources/test_jsonl_equal.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Iterator

from auditor.errors import DataError

# A canonical line is a few hundred bytes, and a post or DM with the longest text X allows
# (25,000 characters, up to 4 bytes each) and every optional field is ~100 KB: a line past a
# megabyte is a broken export (a file with no newlines, a binary dump), never one event.
# Reading it whole would let one line take all the memory there is.
MAX_LINE = 1_000_000
MAX_LINE_TEXT = "1 MB"
BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 1 << 16  # the rest of an overlong line is read and dropped this much at a time
BLOCK = 1 << 20  # read at a time by `line_blocks` (never more than MAX_LINE: see there)


def open_lines(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None


def skip_bom(handle: BinaryIO) -> None:
    """Step over a byte-order mark (Windows editors write one): it is not part of the first line,
    nor of its length."""
    if handle.read(3) != BOM:
        handle.seek(0)


def lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line, its newline kept; the line is None when it is longer than MAX_LINE."""
    skip_bom(handle)
    number = 0
    while True:
        raw = handle.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while True:  # drop the rest of the line, a chunk at a time
                rest = handle.readline(_SKIP_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, raw


def line_blocks(handle: BinaryIO) -> Iterator[tuple[list[bytes | None], bool]]:
    """The same lines as `lines`, numbered in order, a block's worth at a time: (lines, ended).

    The lines come without their newline; `ended` is False only for the last list, holding the
    file's last line when no newline ends it. A line is None when it is longer than MAX_LINE.
    """
    # A block is at most MAX_LINE bytes, so a line that starts and ends inside one block is
    # never too long: only a line carried over from the blocks before needs measuring.
    size = min(BLOCK, MAX_LINE)
    skip_bom(handle)
    carried = b""  # the start of a line the last block ended in the middle of
    overlong = False  # that line is already past MAX_LINE: what is left of it is dropped
    while True:
        block = handle.read(size)
        if not block:
            if overlong:
                yield [None], False
            elif carried:
                yield [carried], False
            return
        split = block.split(b"\n")
        rest = split.pop()  # after the block's last newline: the start of the next line
        if split:
            if overlong:
                split[0], overlong = None, False
            elif carried:
                first = carried + split[0]
                split[0] = first if len(first) <= MAX_LINE else None
            carried = b""
            yield split, True
        if not overlong:
            carried += rest
            if len(carried) > MAX_LINE:
                carried, overlong = b"", True
