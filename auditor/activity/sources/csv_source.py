"""CSV exports with a column mapping (YAML), or the built-in `twcs` mapping.

A mapping says which column holds what; the reader turns each row into a canonical post or
DM. Example (every key but `columns.id/author/time/text` is optional)::

    columns:
      id: tweet_id
      author: author_id
      time: created_at
      text: text
      in_reply_to: in_response_to_tweet_id   # id of the replied-to row
      in_reply_to_author: reply_to           # else taken from the replied-to row
      conversation: thread_id
      url: link
      type: channel                          # with dm_types, rows that are DMs
      recipients: to                         # DM recipients, separated by , ; or spaces
      lang: language                         # the post's language as X gives it (en, es, und)
    time_format: "%a %b %d %H:%M:%S %z %Y"   # or iso (default)
    timezone: Europe/Berlin                  # for times written without an offset
    direction:                               # how to tell inbound from outbound rows
      column: inbound
      inbound: ["True"]
      outbound: ["False"]
      account: acme_support                  # author of outbound rows whose author cell is empty
    dm_types: [dm]
    dms: all                                 # whose DMs the file holds: all, none or [handles]
                                             # (default: accounts with a DM row in the file)
    delimiter: ","
    encoding: utf-8
    platform: x

Messy files are expected: quoted newlines are fine, stray carriage returns become spaces,
and a bad row is skipped with its physical line number (the line it starts on) and why.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from auditor.activity.events import MAX_TEXT, mentions_in, own_url, web_url
from auditor.activity.model import DirectMessage, Post
from auditor.networks import is_x_handle, normalize_handle
from auditor.activity.sources.csv_mapping import X_TIME_FORMAT, Mapping, detect_mapping, load_mapping
from auditor.activity.sources.common import Collector, one_line
from auditor.time.instants import parse_x_time
from auditor.errors import DataError
from auditor.progress import counted

MAX_FIELD = MAX_TEXT + 1  # a field longer than a post can be is an unclosed quote eating the file


def read_csv(path: Path, mapping: Mapping | str | Path | None = None, *, name: str | None = None):
    name = name or str(path)
    wide = _wide_encoding(path)
    if mapping is None:
        mapping = detect_mapping(path) if not wide else None
        if mapping is None and not wide:
            raise DataError(f"{name}: a CSV needs a column mapping: --mapping FILE (or twcs for Kaggle's Customer Support on Twitter)")
    elif not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    if wide and (mapping is None or mapping.encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")):
        # Read as UTF-8 its header is NUL bytes, and every column "is not in the header".
        width, how = wide
        raise DataError(f"{name}: the file is {width} ({how}), not UTF-8: save it as UTF-8, or read it with a "
                        f"mapping that says encoding: {width.lower()}")
    return _CsvReader(path, name, mapping).read()


def _wide_encoding(path: Path) -> tuple[str, str] | None:
    """Whether a file is UTF-16 (Excel's "Unicode text") or UTF-32, and how it shows it: its byte-order mark, or NUL
    bytes between the letters."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(200)
    except OSError:
        return None  # the reader says why
    if start.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32", "a byte-order mark"
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16", "a byte-order mark"
    if len(start) >= 8 and (start[1::2].count(0) > len(start) // 4 or start[0::2].count(0) > len(start) // 4):
        return "UTF-16", "a NUL byte every other byte"
    return None


class _CsvReader:
    def __init__(self, path: Path, name: str, mapping: Mapping):
        self.path, self.name, self.mapping = path, name, mapping
        self.out = Collector(name, "csv")
        self.bad_lines: set[int] = set()
        self.carriage_returns = 0

    def read(self):
        rows = iter(counted(self._rows(), f"reading {Path(self.name).name}", "rows"))
        try:
            header = next(rows)[1]
        except StopIteration:
            raise DataError(f"{self.name}: empty file: expected a header row") from None
        index = self._columns(header)
        parsed: list[tuple] = []
        seen: dict[str, int] = {}
        replies: dict[str, tuple[str, ...]] = {}  # post id -> the ids the file says replied to it
        direction = Counter()
        outbound_authors = Counter()
        for line, cells, span in rows:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                hint = f" (an unclosed quote on line {line} may have joined lines {line}-{line + span - 1})" if span > 1 else ""
                self.out.skip(self.name, line, f"expected {len(header)} fields, found {len(cells)}{hint}")
                continue
            try:
                item = self._row(cells, index, line)
            except ValueError as exc:
                self.out.skip(self.name, line, str(exc))
                continue
            event_id = item[1]
            if event_id in seen:
                self.out.skip(self.name, line, f"duplicate id {event_id[:30]} (first on line {seen[event_id]})")
                continue
            seen[event_id] = line
            parsed.append(item)
            if "responses" in index and item[0] == "post":
                said = tuple(filter(None, (_id(i.strip()) for i in cells[index["responses"]].split(","))))
                if said:
                    replies[event_id] = said
            direction[item[11]] += 1
            if item[11] == "outbound":
                outbound_authors[item[2]] += 1
        self._build(parsed)
        self._describe(direction, outbound_authors)
        self._replies_not_held(replies, seen)
        return self.out.done()

    def _rows(self) -> Iterator[tuple[int, list[str], int]]:
        """(first physical line, cells, lines spanned) per record; lines are \\n-terminated."""
        limit = csv.field_size_limit()
        csv.field_size_limit(MAX_FIELD)
        try:
            try:
                handle = open(self.path, "rb")
            except OSError as exc:
                raise DataError(f"{self.name}: cannot read: {exc.strerror}") from None
            with handle:
                reader = csv.reader(self._lines(handle), delimiter=self.mapping.delimiter, strict=False)
                last = 0
                while True:
                    try:
                        cells = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as exc:
                        self.out.skip(self.name, last + 1, f"unreadable CSV ({str(exc)[:80]})")
                        last = reader.line_num
                        continue
                    first, last = last + 1, reader.line_num
                    if self.bad_lines and any(n in self.bad_lines for n in range(first, last + 1)):
                        self.out.skip(self.name, first, f"not valid {self.mapping.encoding.replace('-sig', '')} text")
                        continue
                    yield first, cells, last - first + 1
        finally:
            csv.field_size_limit(limit)

    def _lines(self, handle) -> Iterator[str]:
        encoding = self.mapping.encoding
        if "\n".encode(encoding.replace("-sig", "")) != b"\n":
            # UTF-16 and UTF-32 (Excel's "Unicode text") cannot be split into lines as bytes: every
            # line came out garbled and no such file could be read (found by tests/fuzz). Decode them
            # as a stream; there a byte that is not valid reads as U+FFFD instead of marking its line.
            handle, encoding = self._recoded(handle, encoding), "utf-8"
        for number, raw in enumerate(handle, start=1):
            if number == 1 and encoding == "utf-8-sig" and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode(encoding.replace("-sig", ""))
            except UnicodeError:  # not only UnicodeDecodeError: the idna codec raises a plain UnicodeError
                self.bad_lines.add(number)
                try:
                    line = raw.decode(encoding.replace("-sig", ""), errors="replace")
                except UnicodeError:
                    # Some codecs (idna) have no "replace" handling and raised here (found by tests/fuzz).
                    # The line is skipped either way; only where its fields and quotes end matters.
                    line = raw.decode("latin-1")
            if line.endswith("\r\n"):
                line = line[:-2] + "\n"
            if "\r" in line:
                # A carriage return inside a line breaks the csv module's unquoted fields; in a post it means nothing.
                self.carriage_returns += line.count("\r")
                line = line.replace("\r", " ")
            yield line

    def _recoded(self, handle, encoding: str) -> Iterator[bytes]:
        """The lines of a file in an encoding that is not ASCII-compatible, as UTF-8."""
        text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="\n")
        try:
            for line in text:
                yield line.encode("utf-8", "surrogatepass")
        except UnicodeError as exc:  # utf-16 and utf-32 read as a stream need a byte-order mark
            raise DataError(f"{self.name}: cannot read as {encoding} ({exc}): for a file without a byte-order "
                            "mark, name the byte order in the mapping (encoding: utf-16-le)") from None

    def _columns(self, header: list[str]) -> dict[str, int]:
        names = [h.strip() for h in header]
        index = {}
        wanted = dict(self.mapping.columns)
        if self.mapping.direction_column:
            wanted["direction"] = self.mapping.direction_column
        for role, column in wanted.items():
            if column not in names:
                path = ("direction", "column") if role == "direction" else ("columns", role)
                # one_line: header cells may hold line breaks (a binary file read as CSV; found by tests/fuzz)
                shown = one_line(", ".join(names[:20]) + (", ..." if len(names) > 20 else ""))
                raise self.mapping.error(path, f"column {column!r} is not in the header of {self.name} (it has: {shown})")
            index[role] = names.index(column)
        return index

    def _row(self, cells: list[str], index: dict[str, int], line: int) -> tuple:
        def cell(role: str) -> str | None:
            position = index.get(role)
            value = cells[position].strip() if position is not None else ""
            return value or None

        event_id = _id(cell("id"))
        if event_id is None:
            raise ValueError(f"empty {self.mapping.columns['id']}")
        direction = None
        if "direction" in index:
            value = cell("direction") or ""
            direction = "inbound" if value in self.mapping.inbound else "outbound" if value in self.mapping.outbound else None
            if direction is None and self.mapping.inbound and self.mapping.outbound:
                raise ValueError(f"{self.mapping.direction_column} is {value[:20]!r}: neither inbound nor outbound")
            direction = direction or ("outbound" if self.mapping.inbound else "inbound")
        author = cell("author")
        if author is None and direction == "outbound" and self.mapping.account:
            author = self.mapping.account
        if author is None or not normalize_handle(author):
            raise ValueError(f"empty {self.mapping.columns['author']}")
        created_at = self._time(cell("time"))
        text = cells[index["text"]]
        if len(text) > MAX_TEXT:
            raise ValueError(f"text is longer than {MAX_TEXT} characters")
        kind = "dm" if "type" in index and (cell("type") or "").lower() in self.mapping.dm_types else "post"
        recipients = ()
        if kind == "dm":
            recipients = tuple(normalize_handle(r) for r in re.split(r"[;,\s]+", cell("recipients") or "") if r.strip("@"))
            if not recipients:
                raise ValueError("a DM row without recipients")
        mentions = None
        if "mentions" in index:
            mentions = tuple(normalize_handle(m) for m in re.split(r"[;,\s]+", cell("mentions") or "") if m.strip("@"))
        reply_author = cell("in_reply_to_author")
        if self.mapping.platform == "x":  # no space, control or markup character becomes a counterpart's name
            if mentions:  # optional: an entry that is no handle is dropped, not the row
                mentions = tuple(m for m in mentions if is_x_handle(m))
            for column, handle in (("author", author), ("in_reply_to_author", reply_author), *(
                    ("recipients", r) for r in recipients)):
                if handle is not None and not is_x_handle(normalize_handle(handle)):
                    raise ValueError(f"{self.mapping.columns.get(column, column)} {handle.strip()[:60]!r} is not an X handle "
                                     "(letters, digits and _)")
        return (kind, event_id, normalize_handle(author), created_at, text, _id(cell("in_reply_to")),
                reply_author, cell("conversation"), web_url(cell("url")), mentions, recipients, direction, cell("lang"))

    def _time(self, value: str | None) -> datetime:
        column = self.mapping.columns["time"]
        if value is None:
            raise ValueError(f"empty {column}")
        fmt = self.mapping.time_format
        try:
            if fmt == X_TIME_FORMAT:
                return parse_x_time(value, column)
            if fmt == "iso":
                moment = datetime.fromisoformat(value)
            else:
                moment = datetime.strptime(value, fmt)
        except ValueError:
            raise ValueError(f"{column} {value[:40]!r} does not match {fmt}") from None
        if moment.tzinfo is None:
            if self.mapping.zone is None:
                raise ValueError(f"{column} {value[:40]!r} has no UTC offset (set timezone: in the mapping)")
            moment = moment.replace(tzinfo=self.mapping.zone)
        try:
            return moment.astimezone(timezone.utc)
        except OverflowError:
            # a time whose offset takes it out of years 1-9999 in UTC (0001-01-01 at +01:00; found by tests/fuzz)
            raise ValueError(f"{column} {value[:40]!r} is out of range in UTC") from None

    def _build(self, parsed: list[tuple]) -> None:
        # The replied-to row's author names who a reply answers, when no column says so.
        author_of = {item[1]: item[2] for item in parsed if item[0] == "post"}
        platform = self.mapping.platform
        for (kind, event_id, author, created_at, text, reply_to, reply_author, conversation, url, mentions, recipients, _,
             lang) in parsed:
            if kind == "dm":
                self.out.add(DirectMessage(
                    id=event_id, sender=author, recipients=recipients, created_at=created_at, text=text,
                    conversation_id=conversation or ":".join(sorted({author, *recipients})), platform=platform))
                continue
            if reply_author is not None:
                reply_author = normalize_handle(reply_author)
            elif reply_to is not None:
                reply_author = author_of.get(reply_to)
            self.out.add(Post(
                id=event_id, author=author, created_at=created_at, text=text, in_reply_to=reply_to,
                in_reply_to_author=reply_author, conversation_id=conversation,
                mentions=mentions if mentions is not None else mentions_in(text),
                url=own_url(url, author, event_id, platform), platform=platform, lang=lang,
                # Only a url column vouches for an id: exports such as TWCS anonymise theirs.
                real_id=url is not None))

    def _describe(self, direction: Counter, outbound_authors: Counter) -> None:
        info = self.out.info
        info.notes.append(f"mapping: {self.mapping.name}")
        if self.mapping.dms is not None:
            info.dm_accounts = self.mapping.dms
        elif "type" in self.mapping.columns:
            info.dm_accounts = frozenset(
                handle for dm in self.out.activity.dms for handle in (dm.sender, *dm.recipients))
        # A file without DM rows (TWCS among them) cannot show a DM, sent or left unanswered.
        info.channels = ("mention", "reply", "dm") if info.dm_accounts else ("mention", "reply")
        if self.mapping.direction_column:
            info.notes.append(f"{direction['inbound']} inbound and {direction['outbound']} outbound rows")
            if outbound_authors:
                top = ", ".join(f"{handle} ({count})" for handle, count in outbound_authors.most_common(15))
                info.notes.append(f"outbound rows come from (roster candidates): {top}")
        if self.carriage_returns:
            info.notes.append(f"{self.carriage_returns} stray carriage returns read as spaces")


    def _replies_not_held(self, replies: dict[str, tuple[str, ...]], held: dict[str, int]) -> None:
        """The posts the file says were replied to by posts it does not hold (a slice of a larger export):
        whether such a post got an answer in time cannot be seen (`SourceInfo.replies_not_held`)."""
        missing = {post: tuple(i for i in ids if i not in held) for post, ids in replies.items()}
        missing = {post: ids for post, ids in missing.items() if ids}
        if missing:
            self.out.info.replies_not_held = missing
            self.out.note(f"{len(missing)} posts were replied to by posts not in the file: where one of them waits "
                          "for an answer, whether it came in time is not judged")


def _id(value: str | None) -> str | None:
    if value is None:
        return None
    # Spreadsheets and pandas write numeric ids as floats: "119239.0".
    if value.endswith(".0") and value[:-2].isdigit():
        return value[:-2]
    return value
