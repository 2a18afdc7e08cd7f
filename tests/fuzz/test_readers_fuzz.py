"""Broken activity data through `read_source` / `read_sources`, as users reach the readers.

JSONL, CSV (with a mapping, and the twcs header) and X archives (zip and folder) fed arbitrary
bytes and mutated valid records: a bad line or record is skipped with its number and a one-line
reason, a file that cannot be read at all is a `DataError`, and nothing else ever escapes.
Where the file is well formed apart from the bad records, the good records are still read.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import zipfile
from datetime import timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from auditor.activity.model import Activity, DirectMessage, Post
from auditor.activity.sources import archive_records, read_source, read_sources
from auditor.errors import AuditorError, DataError
from tests.fuzz.support import LONE_SURROGATES, NASTY_STRINGS, ODD_TIMES, budget, messy_scalar, messy_text, scratch, watchdog

SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]


def read(path: Path, **options) -> Activity | DataError:
    with watchdog():
        try:
            return read_source(path, **options)
        except AuditorError as error:
            assert isinstance(error, DataError), error
            assert error.lines() and all(len(line.splitlines()) == 1 for line in error.lines()), error.lines()
            return error


def check_activity(activity: Activity) -> None:
    """What every reader promises about what it returns."""
    assert isinstance(activity, Activity)
    assert activity.sources
    assert sum(info.events for info in activity.sources) == len(activity.posts) + len(activity.dms)
    assert activity.skipped_count == sum(info.skipped for info in activity.sources) >= len(activity.skipped)
    for skipped in activity.skipped:
        assert skipped.line >= 1, skipped
        assert skipped.reason.strip() and len(skipped.reason.splitlines()) == 1, skipped
    for event in activity.posts + activity.dms:
        assert event.created_at.utcoffset() is not None, event
        assert event.created_at.tzinfo == timezone.utc or event.created_at.utcoffset().total_seconds() == 0, event
        assert isinstance(event.id, str) and event.id.strip(), event
        assert isinstance(event.text, str), event
    for post in activity.posts:
        assert type(post) is Post
        assert post.author and post.author == post.author.strip().lstrip("@").lower(), post
    for dm in activity.dms:
        assert type(dm) is DirectMessage
        assert dm.sender and dm.recipients, dm


def outcome(path: Path, **options) -> Activity | DataError:
    result = read(path, **options)
    if isinstance(result, Activity):
        check_activity(result)
    return result


# -- canonical JSONL -----------------------------------------------------------------------------

GOOD_POST = {"type": "post", "id": "1001", "author": "acme_support", "created_at": "2026-10-05T14:02:00Z",
             "text": "@bob sorry about that, DM us your order number", "in_reply_to": "1000",
             "in_reply_to_author": "bob", "conversation_id": "1000", "mentions": ["bob"], "repost_of": None,
             "quote_of": None, "url": "https://x.com/acme_support/status/1001", "platform": "x"}
GOOD_DM = {"type": "dm", "id": "d-77", "conversation_id": "bob:acme_support", "sender": "bob",
           "recipients": ["acme_support"], "created_at": "2026-10-05T14:30:00Z", "text": "order 5531, phone 555-0100"}


def weird_value() -> st.SearchStrategy:
    return st.one_of(
        messy_scalar(),
        st.lists(messy_scalar(), max_size=3),
        st.dictionaries(st.text(max_size=3), messy_scalar(), max_size=2),
        st.sampled_from([["@", " "], ["acme_support", 5], [], [None], [["nested"]], "x" * 100_001]),
        st.sampled_from(LONE_SURROGATES).map(lambda s: f"a{s}b"),  # escaped, or raw bytes that are not UTF-8
    )


# ISO times that exist in their own offset but not in UTC (year 0 or 10000 once converted).
OUT_OF_RANGE_IN_UTC = ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00")


@st.composite
def mutated_record(draw) -> dict:
    record = copy.deepcopy(draw(st.sampled_from([GOOD_POST, GOOD_DM])))
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.sampled_from(sorted(set(GOOD_POST) | set(GOOD_DM) | {"sender", "unknown", ""})))
        action = draw(st.sampled_from(["drop", "set", "set", "time"]))
        if action == "drop":
            record.pop(key, None)
        elif action == "time":
            record["created_at"] = draw(st.sampled_from(ODD_TIMES))
        else:
            record[key] = draw(weird_value())
    return record


def json_line(record: dict, how: str) -> bytes:
    """One line of JSON; `how` adds the damage that survives no JSON encoder."""
    text = json.dumps(record, ensure_ascii=how != "utf8")  # NaN/Infinity are written as bare words: not JSON
    line = text.encode("utf-8", "surrogatepass")
    if how == "surrogate-escape":  # a lone surrogate written as a JSON escape
        line = line.replace(b'"text": "', b'"text": "\\ud800', 1)
    elif how == "surrogate-raw":  # ... and as raw (invalid) UTF-8
        line = line.replace(b'"text": "', b'"text": "\xed\xa0\x80', 1)
    elif how == "invalid-utf8":
        line = line.replace(b'"text": "', b'"text": "\xff\xfe', 1)
    elif how == "nul":
        line = line.replace(b", ", b",\x00 ", 1)
    elif how == "truncated":
        line = line[: len(line) // 2]
    return line


JSON_DAMAGE = ["ascii", "utf8", "surrogate-escape", "surrogate-raw", "invalid-utf8", "nul", "truncated"]
SENTINEL = {"type": "post", "id": "sentinel-1", "author": "Sentinel", "created_at": "2026-10-05T14:02:00+02:00",
            "text": "still read"}


def jsonl_file(folder: Path, lines: list[bytes], sentinel_at: int | None = None) -> Path:
    if sentinel_at is not None:
        lines = lines[:sentinel_at] + [json.dumps(SENTINEL).encode()] + lines[sentinel_at:]
    path = folder / "activity.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@budget(60, suppress_health_check=SLOW_OK)
@given(st.binary(max_size=400))
@example(b"SQLite format 3\x00" + b"\x00" * 100)
@example(b"\xef\xbb\xbf" + json.dumps(GOOD_POST).encode())
@example(b"[1, 2]\n{}\n\"x\"\nnull\n")
def test_jsonl_arbitrary_bytes(data):
    with scratch() as folder:
        path = folder / "activity.jsonl"
        path.write_bytes(data)
        outcome(path)


@budget(30, suppress_health_check=SLOW_OK)
@given(st.lists(st.tuples(mutated_record(), st.sampled_from(JSON_DAMAGE)), max_size=12), st.integers(0, 12))
@example([({**GOOD_POST, "created_at": "0001-01-01T00:00:00+01:00"}, "ascii")], 0)
@example([({**GOOD_DM, "created_at": "9999-12-31T23:59:59-01:00", "id": ""}, "ascii")], 1)
@example([({**GOOD_POST, "created_at": "0001-01-01T00:00:00Z", "id": 10**30}, "nul")], 0)
@example([({**GOOD_DM, "recipients": ["@", " "], "sender": "@"}, "surrogate-escape")], 1)
def test_jsonl_bad_lines_are_skipped_and_the_rest_is_read(records, sentinel_at):
    lines = [json_line(record, how) for record, how in records]
    with scratch() as folder:
        path = jsonl_file(folder, lines, sentinel_at)
        activity = outcome(path)
        written = path.read_bytes().split(b"\n")
    assert isinstance(activity, Activity), activity
    assert any(p.id == "sentinel-1" and p.author == "sentinel" for p in activity.posts)
    # every line that is not blank is either read or skipped, and skipped lines are named by their number
    assert activity.sources[0].events + activity.skipped_count == sum(1 for line in written if line.strip())
    assert all(written[s.line - 1].strip() for s in activity.skipped)


@pytest.mark.parametrize("record", [{**GOOD_POST, "id": ""}, {**GOOD_DM, "id": " "}], ids=["post", "dm"])
def test_jsonl_empty_id_is_a_skipped_line(tmp_path, record):
    # Found by fuzzing: an empty id was read as an id (and all id-less events merged into one).
    path = jsonl_file(tmp_path, [json.dumps(record).encode()], 1)
    activity = outcome(path)
    assert [s.line for s in activity.skipped] == [1]
    assert [p.id for p in activity.posts] == ["sentinel-1"] and activity.dms == []


def test_jsonl_overlong_line_is_skipped(tmp_path):
    path = jsonl_file(tmp_path, [b'{"text": "' + b"x" * 1_000_001 + b'"}'], 1)
    activity = outcome(path)
    assert [(s.line, s.reason.split(" than ")[0]) for s in activity.skipped] == [(1, "line longer")]
    assert [p.id for p in activity.posts] == ["sentinel-1"]


@pytest.mark.parametrize("when", OUT_OF_RANGE_IN_UTC)
def test_jsonl_time_out_of_range_in_utc_is_a_skipped_line(tmp_path, when):
    # Found by fuzzing: the OverflowError of converting such a time to UTC escaped read_source.
    path = jsonl_file(tmp_path, [json.dumps({**GOOD_POST, "created_at": when}).encode()], 1)
    activity = read_source(path)
    assert [s.line for s in activity.skipped] == [1]
    assert [p.id for p in activity.posts] == ["sentinel-1"]


# -- CSV -----------------------------------------------------------------------------------------

COLUMNS = ("id", "author", "time", "text", "in_reply_to", "in_reply_to_author", "conversation", "url", "mentions",
           "type", "recipients")
MAPPING = "columns:\n" + "".join(f"  {role}: col_{role}\n" for role in COLUMNS) + "timezone: Europe/Berlin\n"
GOOD_ROW = {"id": "7", "author": "@Bob", "time": "2026-10-05T14:02:00Z", "text": "where is my order?",
            "in_reply_to": "", "in_reply_to_author": "", "conversation": "", "url": "", "mentions": "acme_support",
            "type": "post", "recipients": ""}
CSV_VALUES = st.one_of(st.sampled_from(NASTY_STRINGS), st.sampled_from(ODD_TIMES), messy_text(),
                       st.sampled_from(LONE_SURROGATES),
                       st.sampled_from(["dm", "DM", "post", "1.0", "12.0", "a;b c,d", "\"", "a\"b", "a\nb", "a\r\nb",
                                        "x" * 100_001, ",,,", "\x00"]))


@st.composite
def csv_rows(draw) -> list[dict]:
    rows = []
    for number in range(draw(st.integers(0, 10))):
        row = dict(GOOD_ROW, id=str(number + 100))
        for _ in range(draw(st.integers(0, 4))):
            row[draw(st.sampled_from(COLUMNS))] = draw(CSV_VALUES)
        rows.append(row)
    return rows


def write_csv(folder: Path, rows: list[dict], sentinel_at: int, encoding: str = "utf-8") -> Path:
    sentinel = dict(GOOD_ROW, id="sentinel-1", author="Sentinel", text="still read")
    rows = rows[:sentinel_at] + [sentinel] + rows[sentinel_at:]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([f"col_{role}" for role in COLUMNS])
    for row in rows:
        writer.writerow([row[role] for role in COLUMNS])
    path = folder / "export.csv"
    # a lone surrogate: a row that is not UTF-8; a character the encoding lacks: "?"
    text = out.getvalue()
    path.write_bytes(text.encode("utf-8", "surrogatepass") if encoding == "utf-8" else text.encode(encoding, "replace"))
    (folder / "mapping.yaml").write_text(MAPPING + f"encoding: {encoding}\n")
    return path


@budget(50, suppress_health_check=SLOW_OK)
@given(csv_rows(), st.integers(0, 10))
@example([dict(GOOD_ROW, time="0001-01-01T00:00:00+01:00")], 0)  # OverflowError once in UTC
@example([dict(GOOD_ROW, time="0001-01-01T00:30:00")], 1)  # no offset: Europe/Berlin, before year 1 in UTC
@example([dict(GOOD_ROW, time="9999-12-31T23:59:59-01:00")], 0)
@example([dict(GOOD_ROW, id="0\x0c0"), dict(GOOD_ROW, id="0\x0c0")], 0)  # the duplicate's reason broke its line
def test_csv_bad_rows_are_skipped_and_the_rest_is_read(rows, sentinel_at):
    with scratch() as folder:
        path = write_csv(folder, rows, sentinel_at)
        activity = outcome(path, mapping=folder / "mapping.yaml")
    assert isinstance(activity, Activity), activity
    assert any(p.id == "sentinel-1" and p.author == "sentinel" for p in activity.posts)
    assert activity.sources[0].events + activity.skipped_count == len(rows) + 1


@budget(30, suppress_health_check=SLOW_OK)
@given(csv_rows(), st.integers(0, 10), st.sampled_from(["utf-16", "utf-32", "utf-16-le", "latin-1", "cp1252", "utf-8-sig"]))
@example([dict(GOOD_ROW, text="ünïcödé 😀")], 0, "utf-16")  # UTF-16 and UTF-32 files could not be read at all
def test_csv_in_the_encoding_its_mapping_names(rows, sentinel_at, encoding):
    with scratch() as folder:
        path = write_csv(folder, rows, sentinel_at, encoding)
        activity = outcome(path, mapping=folder / "mapping.yaml")
    assert isinstance(activity, Activity), activity
    assert any(p.id == "sentinel-1" and p.author == "sentinel" and p.text == "still read" for p in activity.posts)
    assert activity.sources[0].events + activity.skipped_count == len(rows) + 1


TWCS_HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
TWCS_ROW = '1,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,"@115712 I understand.",2,3\n'


@st.composite
def broken_csv(draw) -> bytes:
    """A CSV text cut, spliced, unquoted and sprinkled with bytes that are not UTF-8."""
    pieces = draw(st.lists(st.one_of(
        st.sampled_from([TWCS_ROW, '"unclosed,', '",', "\r", "\r\n", "\n", ",", '"', "\x00", "\ufeff"]),
        st.sampled_from(ODD_TIMES).map(lambda t: f"1,a,True,{t},x,,\n"),
        messy_text(20),
    ), max_size=25))
    data = (TWCS_HEADER + "".join(pieces)).encode("utf-8")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xed\xa0\x80", b"\xc3", b"\x00", b"\r"])) + data[at:]
    return data


MAPPINGS = [
    None,  # the twcs header is recognised
    "twcs",
    "columns: {id: tweet_id, author: author_id, time: created_at, text: text}\ntime_format: '%a %b %d %H:%M:%S %z %Y'\n",
    "columns: {id: tweet_id, author: author_id, time: created_at, text: text, type: inbound, recipients: text}\n"
    "dm_types: ['True']\ntimezone: Pacific/Kiritimati\n",
    "columns: {id: tweet_id, author: author_id, time: created_at, text: text}\ndelimiter: ';'\nencoding: utf-16\n",
    "columns: {id: tweet_id, author: author_id, time: created_at, text: text}\nencoding: latin-1\n"
    "time_format: '%Y'\ndirection: {column: inbound, inbound: 'True', account: acme}\n",
    "columns: {id: tweet_id, author: author_id, time: created_at, text: text}\nencoding: idna\n",
    "columns: {id: tweet_id, author: author_id, time: created_at, text: text}\nencoding: unicode_escape\n",
]


# The unicode_escape codec warns about "invalid escape sequence" in the bytes it decodes: the user's
# data, not our code (and DeprecationWarning is not shown outside tests).
@pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")
@budget(60, suppress_health_check=SLOW_OK)
@given(st.one_of(broken_csv(), st.binary(max_size=300)), st.sampled_from(MAPPINGS))
@example(TWCS_HEADER.encode() + b"1,a,True,Mon Jan 01 00:00:00 +0100 0001,x,,\n", None)
@example(TWCS_HEADER.encode() + b"1,a,True,Fri Dec 31 23:59:59 -0100 9999,x,,\n", "twcs")
@example(TWCS_HEADER.encode() + b"1,a,True,0001-01-01T00:00:00+01:00,x,,\n", MAPPINGS[3])
@example(b"\x00\x85\x00", MAPPINGS[5])  # the header quoted in the error broke its line
@example(b"\x80", MAPPINGS[6])  # idna: decoding with errors="replace" raised UnicodeError
@example(b"\x00\x00", MAPPINGS[4])  # utf-16 without a byte-order mark
def test_csv_arbitrary_bytes(data, mapping):
    with scratch() as folder:
        path = folder / "export.csv"
        path.write_bytes(data)
        options = {}
        if mapping is not None and mapping != "twcs":
            (folder / "mapping.yaml").write_text(mapping)
            options["mapping"] = folder / "mapping.yaml"
        elif mapping == "twcs":
            options["mapping"] = "twcs"
        outcome(path, **options)


@budget(40, suppress_health_check=SLOW_OK)
@given(st.one_of(st.binary(max_size=200), st.lists(st.sampled_from(
    ["columns:\n", "  id: a\n", "  author: b\n", "  time: c\n", "  text: d\n", "  type: e\n", "timezone: ", "Mars/x\n",
     "encoding: ", "rot13\n", "utf-32\n", "undefined\n", "\"utf-8\\0\"\n", "idna\n", "delimiter: ", "'\"'\n", "''\n", "direction: ", "{column: 5}\n",
     "dm_types: ", "[[1]]\n", "time_format: ", "'%Q'\n", "!!int \n", "[", "&a ", "*a\n", "<<: *a\n"]), max_size=20)
    .map(lambda parts: "".join(parts).encode())))
@example(b"columns: {id: a, author: b, time: c, text: d}\nencoding: undefined\n")
@example(b'columns: {id: a, author: b, time: c, text: d}\nencoding: "utf-8\\0"\n')
def test_csv_mapping_file_holding_anything(mapping):
    with scratch() as folder:
        path = folder / "export.csv"
        path.write_bytes(b"a,b,c,d,e\n1,bob,2026-10-05T14:02:00Z,hello,dm\n")
        (folder / "mapping.yaml").write_bytes(mapping)
        outcome(path, mapping=folder / "mapping.yaml")


# -- X archives ----------------------------------------------------------------------------------

def tweet(id_: str, created_at: str, text: str, **extra) -> dict:
    return {"tweet": {"id_str": id_, "id": id_, "created_at": created_at, "full_text": text,
                      "entities": {"user_mentions": [{"screen_name": "bob", "id_str": "200"}], "hashtags": []},
                      "edit_info": {"initial": {"editTweetIds": [id_], "editsRemaining": "5"}}, **extra}}


def message(id_: str, sender: str, recipient: str | None, at: str, text: str | None = "hi") -> dict:
    body = {"id": id_, "senderId": sender, "createdAt": at}
    if recipient is not None:
        body["recipientId"] = recipient
    if text is not None:
        body["text"] = text
    return {"messageCreate": body}


ACCOUNT = [{"account": {"username": "Acme_Support", "accountId": "100"}}]
TWEETS = [
    tweet("1001", "Mon Oct 05 14:02:00 +0000 2026", "Big news &amp; more"),
    tweet("1002", "Mon Oct 05 15:00:00 +0000 2026", "@bob sorry, DM us", in_reply_to_status_id_str="900",
          in_reply_to_user_id_str="200", in_reply_to_screen_name="bob"),
    tweet("1003", "2026-10-07T08:00:00.000Z", "RT @carol: Lovely", retweeted_status={"id_str": "5"}),
    tweet("1005", "Tue Oct 06 10:00:00 +0000 2026", "Typo",
          edit_info={"initial": {"editTweetIds": ["1005", "1006"], "editsRemaining": "4"}}),
    tweet("1006", "Tue Oct 06 10:05:00 +0000 2026", "Fixed", edit_info={"edit": {"initialTweetId": "1005"}}),
]
NOTES = [{"noteTweet": {"noteTweetId": "1001", "createdAt": "2026-10-05T14:02:00.000Z", "core": {"text": "Big news & more, longer"}}}]
DMS = [
    {"dmConversation": {"conversationId": "100-200", "messages": [
        message("d1", "200", "100", "2026-10-05T15:30:00.000Z", "order 5531"),
        message("d2", "100", "200", "2026-10-05T16:00:00.000Z", "on its way"),
        {"reactionCreate": {"senderId": "200", "createdAt": "2026-10-05T16:01:00.000Z"}},
    ]}},
    {"dmConversation": {"conversationId": "g-77", "messages": [message("g1", "300", None, "2026-10-05T18:00:00.000Z")]}},
]
ARCHIVE = {"account.js": ("account", ACCOUNT), "tweets.js": ("tweets", TWEETS), "note-tweet.js": ("note_tweet", NOTES),
           "direct-messages.js": ("direct_messages", DMS), "direct-message-headers.js": ("direct_message_headers", DMS)}


def _leaves(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _leaves(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield prefix + (i,)
            yield from _leaves(value, prefix + (i,))


@st.composite
def mutated_archive(draw) -> dict[str, bytes]:
    """The archive's files, some records damaged (fields dropped or given odd values), some files garbage."""
    files = {}
    for name, (ytd, records) in ARCHIVE.items():
        if draw(st.integers(0, 9)) == 0:
            continue  # a file missing
        records = copy.deepcopy(records)
        for _ in range(draw(st.integers(0, 5))):
            paths = list(_leaves(records))
            if not paths:
                break
            path = draw(st.sampled_from(paths))
            parent = records
            for part in path[:-1]:
                parent = parent[part]
            if draw(st.booleans()):
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(st.one_of(weird_value(), st.sampled_from(ODD_TIMES)))
        body = json.dumps(records, ensure_ascii=False).encode("utf-8", "surrogatepass")
        wrapper = draw(st.sampled_from([f"window.YTD.{ytd}.part0 = ", "", "window.YTD = ", "\ufeffwindow.YTD.x.part0 = "]))
        data = wrapper.encode() + body + draw(st.sampled_from([b"", b";", b";\n", b" garbage"]))
        if draw(st.integers(0, 7)) == 0:
            data = draw(st.binary(max_size=80))
        files[name] = data
    return files


def write_archive(folder: Path, files: dict[str, bytes], layout: str) -> Path:
    if layout == "folder":
        root = folder / "archive"
        (root / "data").mkdir(parents=True)
        for name, data in files.items():
            (root / "data" / name).write_bytes(data)
        return root
    path = folder / "archive.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED if layout == "zip" else zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(f"data/{name}", data)
    return path


@budget(30, suppress_health_check=SLOW_OK)
@given(mutated_archive(), st.sampled_from(["folder", "zip", "stored-zip"]))
def test_archive_with_damaged_records(files, layout):
    with scratch() as folder:
        outcome(write_archive(folder, files, layout))


def test_an_archive_with_dates_at_the_edge_of_time_skips_them(tmp_path):
    # "+0100" in year 1 and "-0100" at the end of 9999 once escaped as OverflowError (common.parse_x_time)
    tweets = [tweet("1", "Mon Jan 01 00:00:00 +0100 0001", "too early"), tweet("2", "Fri Dec 31 23:59:59 -0100 9999", "too late"),
              tweet("3", "0001-01-01T00:00:00+01:00", "iso, too early"), tweet("4", "Mon Oct 05 14:02:00 +0000 2026", "fine")]
    dms = [{"dmConversation": {"conversationId": "100-200", "messages": [
        message("d1", "200", "100", "0001-01-01T00:00:00.000+05:00")]}}]
    notes = [{"noteTweet": {"noteTweetId": "9", "createdAt": "9999-12-31T23:59:59.000-05:00", "core": {"text": "x"}}}]
    files = {"account.js": b"window.YTD.account.part0 = " + json.dumps(ACCOUNT).encode(),
             "tweets.js": b"window.YTD.tweets.part0 = " + json.dumps(tweets).encode(),
             "note-tweet.js": b"window.YTD.note_tweet.part0 = " + json.dumps(notes).encode(),
             "direct-messages.js": b"window.YTD.direct_messages.part0 = " + json.dumps(dms).encode()}
    activity = outcome(write_archive(tmp_path, files, "zip"))
    assert [p.id for p in activity.posts] == ["4"]
    assert sorted((s.line, s.reason.split(":")[0]) for s in activity.skipped) == [
        (1, "conversation 100-200"), (1, "createdAt is not a time"), (1, "created_at is not a time"),
        (2, "created_at is not a time"), (3, "created_at is not a time")]


@st.composite
def damaged_zip(draw) -> bytes:
    """A valid archive zip with bytes overwritten, cut off, or with members whose names are odd."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (ytd, records) in ARCHIVE.items():
            archive.writestr(f"data/{name}", f"window.YTD.{ytd}.part0 = {json.dumps(records)}")
    data = bytearray(out.getvalue())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def test_a_zip_needing_a_newer_version_is_a_data_error(tmp_path):
    # A damaged "version needed to extract" in the central directory made zipfile raise NotImplementedError,
    # which escaped read_source (found by fuzzing).
    path = write_archive(tmp_path, {"tweets.js": b"window.YTD.tweets.part0 = []"}, "zip")
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6: central + 8] = (64).to_bytes(2, "little")  # version 6.4
    path.write_bytes(bytes(data))
    error = outcome(path)
    assert isinstance(error, DataError)
    assert str(error) == f"{path}: not a readable zip file (zip file version 6.4)"


@budget(80, suppress_health_check=SLOW_OK)
@given(st.one_of(damaged_zip(), st.binary(max_size=300)))
@example(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip: no data files
def test_damaged_zip(data):
    with scratch() as folder:
        path = folder / "archive.zip"
        path.write_bytes(data)
        outcome(path)


def test_a_corrupt_deflate_stream_is_a_data_error(tmp_path):
    # A flipped byte inside a compressed member made zlib raise zlib.error, which escaped (found by fuzzing).
    path = write_archive(tmp_path, {name: f"window.YTD.{ytd}.part0 = {json.dumps(records)}".encode()
                                    for name, (ytd, records) in ARCHIVE.items()}, "zip")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("data/tweets.js")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start: start + 8] = b"\xff" * 8  # the start of the deflate stream: an invalid block type
    path.write_bytes(bytes(data))
    error = outcome(path)
    assert isinstance(error, DataError)
    assert str(error).startswith(f"{path}: data/tweets.js: cannot read from the zip (")


@budget(15, suppress_health_check=SLOW_OK)
@given(st.lists(st.sampled_from(["jsonl", "twcs", "archive", "zip"]), min_size=1, max_size=3), st.data())
def test_read_sources_merges_whatever_it_can_read(kinds, data):
    with scratch() as folder:
        paths = []
        for i, kind in enumerate(kinds):
            sub = folder / f"source{i}"
            sub.mkdir()
            if kind == "jsonl":
                lines = [json_line(record, how) for record, how in data.draw(st.lists(st.tuples(mutated_record(), st.sampled_from(JSON_DAMAGE)), max_size=5))]
                paths.append(jsonl_file(sub, lines, 0))
            elif kind == "twcs":
                path = sub / "twcs.csv"
                path.write_bytes(data.draw(broken_csv()))
                paths.append(path)
            else:
                paths.append(write_archive(sub, data.draw(mutated_archive()), "folder" if kind == "archive" else "zip"))
        with watchdog():
            try:
                activity = read_sources(paths)
            except DataError:
                return
        check_activity(activity)
        assert len(activity.sources) == len(paths)
        assert activity.skipped_count == sum(info.skipped for info in activity.sources)


# -- archive data files, one record at a time ----------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20)


@contextlib.contextmanager
def small_chunks(size: int):
    """Records cut from a stream read a few bytes at a time: every boundary falls inside a token somewhere."""
    saved = archive_records.CHUNK
    archive_records.CHUNK = size
    try:
        yield
    finally:
        archive_records.CHUNK = saved


@budget(100, suppress_health_check=SLOW_OK)
@given(st.lists(JSON_VALUES, max_size=8), st.sampled_from(["x", "compact", "spaced"]), st.integers(1, 40),
       st.sampled_from(["", ";", ";\n", "\n"]))
def test_records_cut_from_a_stream_are_the_list_parsed_whole(items, layout, chunk, tail):
    if layout == "x":  # X's own: "[\n  {\n    ...\n  },\n  {" (indent 2, records shifted by two spaces)
        body = json.dumps(items, indent=2, ensure_ascii=False)
    elif layout == "compact":
        body = json.dumps(items, separators=(",", ":"), ensure_ascii=False)
    else:
        body = json.dumps(items, indent=1, ensure_ascii=False).replace("\n", "\n ")
    data = ("window.YTD.tweets.part0 = " + body + tail).encode("utf-8")
    with small_chunks(chunk), watchdog():
        assert list(archive_records.records(io.BytesIO(data), "t.js")) == items


@budget(100, suppress_health_check=SLOW_OK)
@given(st.binary(max_size=200), st.integers(1, 16))
def test_records_of_arbitrary_bytes_are_records_or_one_data_error(data, chunk):
    with small_chunks(chunk), watchdog():
        try:
            for record in archive_records.records(io.BytesIO(b"window.YTD.x.part0 = [" + data), "t.js"):
                assert record is not None or record is None
        except DataError as exc:
            assert "\n" not in str(exc)


@pytest.mark.parametrize("name", ["", "/", "data/", "\x00", "../../etc/tweets.js", "data/\x1b]0;t\x07tweets.js"])
def test_a_zip_member_with_an_empty_or_odd_name_is_ignored(tmp_path, name):
    # A member with an empty name made zipfile's is_dir() raise IndexError (found by the long fuzz run).
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(ACCOUNT))
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(TWEETS))
        odd = zipfile.ZipInfo("placeholder")
        odd.filename = name  # set after the constructor, which would refuse or clean some of these names
        with archive.open(odd, "w") as handle:
            handle.write(b"window.YTD.tweets.part0 = []")
    result = outcome(path)
    assert isinstance(result, Activity)
    assert {p.id for p in result.posts} == {"1001", "1002", "1003", "1006"}


def test_a_local_header_name_that_is_not_its_claimed_utf8_is_a_data_error(tmp_path):
    # The central directory names data/account.js; the member's own header says its name is UTF-8 and
    # starts with a byte that is not: zipfile raised UnicodeDecodeError, which escaped (found by tests/fuzz).
    path = write_archive(tmp_path, {"account.js": b"window.YTD.account.part0 = []",
                                    "tweets.js": b"window.YTD.tweets.part0 = []"}, "zip")
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    data[local + 7] |= 0x08  # general purpose flag bit 11: the name is UTF-8
    name = data.index(b"data/account.js", local)
    data[name] = 0x80
    path.write_bytes(bytes(data))
    error = outcome(path)
    assert isinstance(error, DataError) and "account.js" in str(error), error
