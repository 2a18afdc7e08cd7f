"""Reading an X archive's data files from a zip (in memory, never extracted) or a folder, with caps.

Only the data files the reader knows are read (`tweets.js`, `direct-messages.js`, ...), from
one folder (`data/` preferred, or the top). Sizes are checked as declared (cheap, refuses zip
bombs before inflating anything) and as actually read (a zip can lie about sizes).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import orjson

from auditor.errors import DataError

# What we read is capped, whatever the zip declares: a real tweets.js of 100,000 posts is ~200 MB.
MAX_FILE_BYTES = 1 << 30
MAX_TOTAL_BYTES = 3 << 30
# JSON deflates 5-20x; a member declaring far more than that is a bomb, not an archive.
MAX_RATIO = 200
MAX_ENTRIES = 2_000_000
# account.js and manifest.js are read whole: a few kilobytes in a real archive.
MAX_SMALL_FILE = 16 << 20

FILE_RE = re.compile(
    r"^(tweets?|note-tweet|direct-messages|direct-messages-group|direct-message-headers|"
    r"direct-message-group-headers|account|manifest)(?:-part(\d+))?\.js$"
)
# The kinds that hold events: an archive folder without any of them is not the one to read.
DATA_KINDS = ("tweets", "tweet", "direct-messages", "direct-messages-group", "direct-message-headers",
              "direct-message-group-headers")
_WRAPPER_RE = re.compile(rb"^\s*window\.(?:YTD\.\w+\.part\d+|__THAR_CONFIG)\s*=\s*")


def parse_js(raw: bytes, where: str) -> object:
    """The JSON inside `window.YTD.<name>.partN = [...]` (or `window.__THAR_CONFIG = {...}`)."""
    view = memoryview(raw)
    start = 3 if raw[:3] == b"\xef\xbb\xbf" else 0
    match = _WRAPPER_RE.match(raw, start)
    if match:
        start = match.end()
    elif raw[start:start + 64].lstrip()[:1] not in (b"[", b"{"):
        raise DataError(f"{where}: not an archive data file (expected window.YTD.<name>.part0 = [...])")
    end = len(raw)
    while end > start and raw[end - 1:end] in (b";", b" ", b"\n", b"\r", b"\t"):
        end -= 1
    try:
        return orjson.loads(view[start:end])
    except orjson.JSONDecodeError as exc:
        # Positions in the file, as an editor shows them: the wrapper shares the first line.
        column = exc.colno + (len(raw[:start].decode("utf-8", "replace").splitlines()[-1]) if exc.lineno == 1 and start else 0)
        raise DataError(f"{where}: not valid JSON after the window.YTD wrapper (line {exc.lineno}, column {column})") from None


# -- containers: a zip read in memory, or a folder ---------------------------------------------


class Container:
    """The archive's data files by kind; reads are capped per file and in total."""

    def __init__(self, label: str):
        self.label = label
        self.total = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass

    def names(self) -> list[tuple[str, int]]:
        raise NotImplementedError

    def files(self) -> dict[str, list[str]]:
        """Data files grouped by kind ("tweets", "account", ...), parts in order, from one folder."""
        found: dict[str, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
        for member, _ in self.names():
            pure = PurePosixPath(member)
            if len(pure.parts) > 4:  # data/x.js, in up to two wrapping folders
                continue
            match = FILE_RE.match(pure.name)
            if match:
                kind, part = match.group(1), int(match.group(2) or 0)
                found[str(pure.parent)][kind].append((part, member))
        if not found:
            return {}
        # Prefer a folder with posts or DMs, then `data/`, then the shallowest: an archive zip may wrap
        # everything in a folder, and an older one may keep its data files beside other `.js` files.
        best = min(found, key=lambda folder: (not any(kind in found[folder] for kind in DATA_KINDS),
                                              PurePosixPath(folder).name != "data", len(PurePosixPath(folder).parts),
                                              folder))
        return {kind: [m for _, m in sorted(parts)] for kind, parts in found[best].items()}

    def _count(self, size: int, member: str) -> None:
        if size > MAX_FILE_BYTES:
            raise DataError(f"{self.label}: {member} is {size:,} bytes, more than the {MAX_FILE_BYTES:,} read from one file")
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            raise DataError(f"{self.label}: the archive's data files exceed {MAX_TOTAL_BYTES:,} bytes in total")

    def open(self, member: str) -> BinaryIO:
        """The member's bytes as a stream, within the caps."""
        raise NotImplementedError

    def read(self, member: str) -> bytes:
        """A small member whole (account.js, manifest.js)."""
        with self.open(member) as handle:
            data = handle.read(MAX_SMALL_FILE + 1)
        if len(data) > MAX_SMALL_FILE:
            raise DataError(f"{self.label}: {member} is more than the {MAX_SMALL_FILE:,} bytes read from such a file")
        return data


class _Zip(Container):
    def __init__(self, path: Path, label: str):
        super().__init__(label)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
            # NotImplementedError: a damaged "version needed to extract" ("zip file version 6.4"), which
            # escaped before (found by tests/fuzz); EOFError, as in read(), for a directory cut short
            raise DataError(f"{label}: not a readable zip file ({_reason(exc)})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            self.zip.close()
            raise DataError(f"{label}: {len(infos):,} entries in the zip: refusing (more than {MAX_ENTRIES:,})")
        self.infos = {}
        for info in infos:
            # Not is_dir(): it indexes the name's last character, and a member may have no name (tests/fuzz).
            if not info.filename or info.filename.endswith("/"):
                continue
            if info.filename in self.infos:
                # Which copy is the archive's? Reading the last one silently lets a second copy hide the first.
                self.zip.close()
                raise DataError(f"{label}: the zip holds {clean(info.filename)!r} twice: refusing")
            self.infos[info.filename] = info

    def close(self) -> None:
        self.zip.close()

    def names(self) -> list[tuple[str, int]]:
        return [(name, info.file_size) for name, info in self.infos.items()]

    def open(self, member: str) -> BinaryIO:
        info = self.infos[member]
        # Declared sizes first (cheap), then the bytes actually inflated (a zip can lie about sizes).
        self._count(info.file_size, member)
        if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DataError(f"{self.label}: {member} inflates {info.file_size // max(info.compress_size, 1):,}x: refusing a zip bomb")
        try:
            handle = self.zip.open(info)
        except _ZIP_ERRORS as exc:
            raise DataError(f"{self.label}: {member}: cannot read from the zip ({_reason(exc)})") from None
        return _Capped(handle, info.file_size, f"{self.label}: {member}")


# zlib.error: a damaged deflate stream ("invalid block type"), which escaped before (found by tests/fuzz)
# ValueError: a local header whose name is not the UTF-8 its flag claims (UnicodeDecodeError; found by tests/fuzz).
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, zlib.error, ValueError)


class _Capped(io.RawIOBase):
    """A member's bytes, refused past what it declared (a zip can lie about sizes); read errors are DataError."""

    def __init__(self, handle: BinaryIO, limit: int, where: str):
        self.handle = handle
        self.limit = limit
        self.where = where
        self.done = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.handle.read(size if size >= 0 else self.limit + 1 - self.done)
        except _ZIP_ERRORS as exc:
            raise DataError(f"{self.where}: cannot read from the zip ({_reason(exc)})") from None
        self.done += len(data)
        if self.done > self.limit:
            raise DataError(f"{self.where} holds more bytes than it declares: refusing")
        return data

    def close(self) -> None:
        self.handle.close()
        super().close()


class _Folder(Container):
    def __init__(self, path: Path, label: str):
        super().__init__(label)
        self.root = path
        try:
            self.real_root = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise DataError(f"{label}: cannot read the folder ({getattr(exc, 'strerror', None) or exc})") from None

    def _inside(self, path: Path) -> bool:
        """A symlink that leads out of the archive folder is not followed: the folder is what was given."""
        try:
            return path.resolve(strict=True).is_relative_to(self.real_root)
        except (OSError, RuntimeError):  # a dangling or looping link
            return False

    def names(self) -> list[tuple[str, int]]:
        # The folder itself, its data/, and the same one level down (an unzipped archive's wrapping folder).
        folders = [self.root, self.root / "data"]
        try:
            below = sorted(child for child in self.root.iterdir()
                           if child.is_dir() and child.name != "data" and self._inside(child))
            names = []
            for child in below[:20]:
                folders += [child, child / "data"]
            for folder in folders:
                if folder.is_dir() and self._inside(folder):
                    for child in folder.iterdir():
                        if FILE_RE.match(child.name) and child.is_file() and self._inside(child):
                            names.append((child.relative_to(self.root).as_posix(), child.stat().st_size))
        except OSError as exc:
            raise DataError(f"{self.label}: cannot read the folder ({exc.strerror})") from None
        return names

    def open(self, member: str) -> BinaryIO:
        path = self.root / member
        try:
            size = path.stat().st_size
            self._count(size, member)
            return _Capped(open(path, "rb"), min(size, MAX_FILE_BYTES), f"{self.label}: {member}")
        except OSError as exc:
            raise DataError(f"{self.label}: {member}: cannot read ({exc.strerror})") from None


def open_container(path: Path) -> Container:
    label = str(path)
    if path.is_dir():
        return _Folder(path, label)
    return _Zip(path, label)


def clean(name: str) -> str:
    """A member name as it may be shown: at most 200 characters, no control characters."""
    return "".join(ch if ch.isprintable() else "?" for ch in name[:200])


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
