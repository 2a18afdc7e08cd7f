"""A CSV file's column mapping: read from YAML (with line and column in every mistake), the built-in
`twcs` one, or the one a known header names. `csv_source.py` reads the rows with it."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from auditor.activity.model import EVERY_ACCOUNT
from auditor.errors import DataError, PolicyError
from auditor.networks import blank_handle, check_platform, normalize_handle


X_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"


REQUIRED = ("id", "author", "time", "text")


# `responses`: the ids of the posts that replied to the row (TWCS's response_tweet_id), so that a reply the
# file does not hold is known to exist.
OPTIONAL = ("in_reply_to", "in_reply_to_author", "conversation", "url", "mentions", "type", "recipients", "lang",
            "responses")


_TOP_KEYS = {"columns", "time_format", "timezone", "direction", "dm_types", "dms", "delimiter", "encoding", "platform"}


_DIRECTION_KEYS = {"column", "inbound", "outbound", "account"}


MAX_MAPPING_BYTES = 100_000


# Kaggle's "Customer Support on Twitter" (twcs.csv): brand replies to customers, customers anonymised.
TWCS = {
    "columns": {"id": "tweet_id", "author": "author_id", "time": "created_at", "text": "text",
                "in_reply_to": "in_response_to_tweet_id", "responses": "response_tweet_id"},
    "time_format": X_TIME_FORMAT,
    "direction": {"column": "inbound", "inbound": ["True"], "outbound": ["False"]},
}


BUILTIN = {"twcs": TWCS}


TWCS_HEADER = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id")


@dataclass
class Mapping:
    name: str  # the mapping file, or the built-in mapping's name, for messages
    columns: dict[str, str]
    time_format: str = "iso"
    zone: ZoneInfo | None = None
    direction_column: str | None = None
    inbound: frozenset[str] = frozenset()
    outbound: frozenset[str] = frozenset()
    account: str | None = None
    dm_types: frozenset[str] = frozenset({"dm"})
    # Whose DMs the file holds (EVERY_ACCOUNT for all); None: the accounts with a DM row in it.
    dms: frozenset[str] | None = None
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    platform: str = "x"
    # Where each value (and key) was written, for errors that name the mapping's line.
    where: dict[tuple, tuple[str, int, int]] = field(default_factory=dict)
    where_keys: dict[tuple, tuple[str, int, int]] = field(default_factory=dict)

    def error(self, path: tuple, message: str, at_key: bool = False) -> DataError:
        places = (self.where_keys.get(path),) if at_key else ()
        file, line, col = next((p for p in (*places, self.where.get(path), self.where.get(path[:1])) if p), (self.name, 0, 0))
        place = f"{file}:{line}:{col}" if line else file
        key = ".".join(str(p) for p in path)
        return DataError(f"{place}: {key + ': ' if key else ''}{message}")


def load_mapping(spec: str | Path) -> Mapping:
    """A mapping file (YAML) or the name of a built-in mapping (`twcs`)."""
    if str(spec) in BUILTIN:
        return _mapping(BUILTIN[str(spec)], str(spec), {}, {})
    from auditor.yamlsrc import load_yaml

    path = Path(spec)
    if not path.is_file():
        raise DataError(f"{spec}: no such mapping file (or built-in mapping: {', '.join(BUILTIN)})")
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise DataError(f"{spec}: a mapping file is at most {MAX_MAPPING_BYTES:,} bytes")
    try:
        data, positions = load_yaml(path, str(spec))
    except PolicyError as exc:
        raise DataError(exc.lines()[0]) from None
    return _mapping(data, str(spec), positions.values, positions.keys)


def _mapping(data: object, name: str, where: dict, where_keys: dict) -> Mapping:
    mapping = Mapping(name=name, columns={}, where=where, where_keys=where_keys)
    if not isinstance(data, dict):
        raise mapping.error((), "a mapping is a YAML mapping with at least `columns:`")
    for key in data:
        if key not in _TOP_KEYS:
            raise mapping.error((key,), f"unknown key; expected one of: {', '.join(sorted(_TOP_KEYS))}", at_key=True)
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise mapping.error(("columns",), "must map id, author, time and text to column names")
    for key, value in columns.items():
        if key not in REQUIRED + OPTIONAL:
            raise mapping.error(("columns", key), f"unknown column role; expected one of: {', '.join(REQUIRED + OPTIONAL)}",
                                at_key=True)
        if not isinstance(value, str) or not value:
            raise mapping.error(("columns", key), "must be a column name")
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise mapping.error(("columns",), f"missing {', '.join(missing)}")
    mapping.columns = dict(columns)

    time_format = data.get("time_format", "iso")
    if not isinstance(time_format, str) or (time_format != "iso" and "%" not in time_format):
        raise mapping.error(("time_format",), "must be iso or a strptime format such as '%Y-%m-%d %H:%M:%S'")
    mapping.time_format = time_format
    if "timezone" in data:
        try:
            name = str(data["timezone"])
            if len(name) > 64 or name.count("/") > 3:  # ZoneInfo recursed once a level on 250 parts
                raise ValueError(name)
            mapping.zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError, RecursionError):
            raise mapping.error(("timezone",), f"unknown time zone {str(data['timezone'])[:40]!r}") from None

    direction = data.get("direction")
    if direction is not None:
        if not isinstance(direction, dict) or not isinstance(direction.get("column"), str):
            raise mapping.error(("direction",), "must name a column, with the inbound and/or outbound values")
        for key in direction:
            if key not in _DIRECTION_KEYS:
                raise mapping.error(("direction", key), f"unknown key; expected one of: {', '.join(sorted(_DIRECTION_KEYS))}",
                                    at_key=True)
        mapping.direction_column = direction["column"]
        mapping.inbound = _values(mapping, direction, "inbound")
        mapping.outbound = _values(mapping, direction, "outbound")
        if not (mapping.inbound or mapping.outbound):
            raise mapping.error(("direction",), "give the values meaning inbound and/or outbound")
        if direction.get("account") is not None:
            mapping.account = normalize_handle(str(direction["account"]))
    if "dm_types" in data:
        mapping.dm_types = _values(mapping, data, "dm_types")
    if "dms" in data:
        dms = data["dms"]
        if dms == "all":
            mapping.dms = frozenset({EVERY_ACCOUNT})
        elif dms == "none":
            mapping.dms = frozenset()
        elif isinstance(dms, list) and all(isinstance(h, str) and not blank_handle(h) for h in dms):
            mapping.dms = frozenset(normalize_handle(h) for h in dms)
        else:
            raise mapping.error(("dms",), "must be all, none or a list of handles")
    delimiter = data.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\"\r\n":
        raise mapping.error(("delimiter",), "must be one character (not a quote or a newline)")
    mapping.delimiter = delimiter
    encoding = data.get("encoding", "utf-8")
    try:
        "".encode(str(encoding))
    except (LookupError, ValueError):
        # ValueError: a name with a NUL ("utf-8\0"); UnicodeError (a ValueError): the `undefined`
        # codec, which refuses everything. Both escaped as crashes before (found by tests/fuzz).
        raise mapping.error(("encoding",), f"unknown encoding {str(encoding)[:40]!r}") from None
    mapping.encoding = "utf-8-sig" if str(encoding).lower().replace("_", "-") in ("utf-8", "utf8") else str(encoding)
    try:
        mapping.platform = check_platform(data.get("platform"))
    except ValueError as exc:
        raise mapping.error(("platform",), str(exc)) from None
    return mapping


def _values(mapping: Mapping, holder: dict, key: str) -> frozenset[str]:
    value = holder.get(key, [])
    if isinstance(value, (str, int, bool)):
        value = [value]
    if not isinstance(value, list):
        raise mapping.error((key,), "must be a value or a list of values")
    return frozenset(str(v) for v in value)


def detect_mapping(path: Path) -> Mapping | None:
    """A built-in mapping whose header this CSV has (for `--data x.csv` without `--mapping`)."""
    try:
        # The first line alone, as bytes: decoding a text stream decodes 8 KB at once, and one bad byte
        # anywhere in them (a bad row that would be skipped) hid a good header.
        with open(path, "rb") as handle:
            first = handle.readline(100_000)
        first = first[3:] if first.startswith(b"\xef\xbb\xbf") else first
        header = next(csv.reader([first.decode("utf-8", "replace")]), [])
    except (OSError, csv.Error):
        return None
    names = tuple(h.strip() for h in header)
    # pandas' to_csv adds its index as a first, unnamed column ("" or "Unnamed: 0"): the same export.
    if names and names[0] in ("", "Unnamed: 0", "index"):
        names = names[1:]
    if names == TWCS_HEADER:
        return load_mapping("twcs")
    return None
