"""CSV with a column mapping: the Kaggle TWCS sample, messy files, mapping files and their errors."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.activity.sources import read_source
from auditor.activity.sources.csv_source import read_csv
from auditor.audit import audit
from auditor.cli import app
from auditor.errors import DataError
from auditor.time.period import parse_period
from tests.factories import policy as make_policy
from tests.shared_data import shared

BRANDS = ["applesupport", "ask_spectrum", "british_airways", "chasesupport", "comcastcares", "hpsupport", "o2",
          "southwestair", "spotifycares", "sprintcare", "tesco", "upshelp", "virgintrains"]


def test_twcs_sample_reads_every_row():
    activity = read_csv(shared("twcs", "sample.csv"), "twcs")
    assert len(activity.posts) == 93 and activity.skipped_count == 0
    by_id = {p.id: p for p in activity.posts}
    answer = by_id["119238"]
    assert (answer.author, answer.in_reply_to, answer.in_reply_to_author) == ("chasesupport", "119239", "105835")
    assert answer.created_at == datetime(2017, 10, 11, 13, 25, 49, tzinfo=timezone.utc)
    assert by_id["119237"].mentions == ("applesupport",)
    # in_reply_to_author comes from the replied-to row, for every reply whose row is in the file.
    assert sum(p.in_reply_to is not None for p in activity.posts) == 68
    assert sum(p.in_reply_to_author is not None for p in activity.posts) == 66
    [info] = activity.sources
    assert info.kind == "csv" and info.channels == ("mention", "reply")
    assert "49 inbound and 44 outbound rows" in info.notes
    assert sorted(p.author for p in activity.posts if not p.author.isdigit()) == sorted(
        p.author for p in activity.posts if p.author in BRANDS)


def test_twcs_layout_is_recognised_without_a_mapping():
    assert read_source(shared("twcs", "sample.csv")).posts == read_csv(shared("twcs", "sample.csv"), "twcs").posts


def test_an_audit_runs_on_the_twcs_sample(tmp_path):
    activity = read_source(shared("twcs", "sample.csv"))
    loaded = make_policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                         accounts=[{"handle": b, "kind": "brand"} for b in BRANDS], timezone="UTC")
    result = audit(loaded, activity, parse_period("2017-10", loaded.policy.zone, date(2017, 11, 15)))
    [rule] = result.rules
    # Two inbound posts need no answer: "Brilliant thanks 😊" and a passing mention whose sentence naming
    # the brand is no complaint ("First flight for long time with @British_Airways.").
    # Two customers left waiting as far as the sample shows (105834, 105838) got replies the 93-row sample does
    # not hold (its response_tweet_id names them), and three wrote on after the brand had asked them to DM
    # ("Send us a DM so we can look into this together"), which the sample cannot show: not judged.
    assert (rule.figures.checked, rule.figures.passed, rule.figures.failed) == (28, 19, 9)
    assert rule.figures.metrics["not_counted"] == {"acknowledgement": 1, "passing mention": 1, "DMs not held": 3,
                                                   "reply not in the data": 2}
    assert sorted(f.counterpart for f in result.findings if f.status == "cannot_tell") == [
        "105834", "105838", "105844", "105848", "105854"]
    assert result.data.channels_missing == ("dm",)
    assert result.data.events == 93


MESSY_MAPPING = """\
columns:
  id: id
  author: user
  time: when
  text: body
  in_reply_to: parent
time_format: "%Y-%m-%d %H:%M"
timezone: Europe/Berlin
"""


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def test_messy_rows_are_skipped_with_their_physical_line_and_the_rest_is_read(tmp_path):
    mapping = write(tmp_path, "map.yaml", MESSY_MAPPING)
    csv_bytes = (
        b"id,user,when,body,parent\r\n"                             # 1
        b'1,bob,2026-10-05 10:00,"hello\r\nacross two lines",\r\n'  # 2-3 quoted newline: fine
        b"2,acme,2026-10-05 11:00,stray\rreturn,1\n"               # 4 stray carriage return: fine
        b"3,bob,2026-10-05 12:00,too,many,fields\n"                # 5
        b"4,bob,yesterday,bad time,\n"                             # 6
        b",bob,2026-10-05 12:00,no id,\n"                          # 7
        b"\n"                                                      # 8 blank: ignored
        b"2,bob,2026-10-05 12:30,same id again,\n"                 # 9
        b"5,bob,2026-10-05 13:00,caf\xe9 in latin-1,\n"            # 10
        b"6,,2026-10-05 13:00,no author,\n"                        # 11
        b"7,acme,2026-10-05 14:00,last good row,1\n"               # 12
        b'8,bob,2026-10-05 15:00,"never closed,\n'                 # 13
        b"9,bob,2026-10-05 16:00,swallowed,\n"                     # 14
    )
    activity = read_csv(write(tmp_path, "messy.csv", csv_bytes), mapping, name="messy.csv")
    assert [p.id for p in activity.posts] == ["1", "2", "7"]
    assert activity.posts[0].text == "hello\nacross two lines"
    assert activity.posts[1].text == "stray return"
    assert activity.posts[1].created_at == datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)  # Berlin, CEST
    assert activity.posts[2].in_reply_to_author == "bob"
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (5, "expected 5 fields, found 6"),
        (6, "when 'yesterday' does not match %Y-%m-%d %H:%M"),
        (7, "empty id"),
        (9, "duplicate id 2 (first on line 4)"),
        (10, "not valid utf-8 text"),
        (11, "empty user"),
        (13, "expected 5 fields, found 4 (an unclosed quote on line 13 may have joined lines 13-14)"),
    ]
    assert {s.source for s in activity.skipped} == {"messy.csv"}
    assert "1 stray carriage returns read as spaces" in activity.sources[0].notes


def test_a_handle_that_is_no_x_handle_and_a_link_that_is_no_web_link(tmp_path):
    mapping = write(tmp_path, "map.yaml", MESSY_MAPPING)
    csv_bytes = (b"id,user,when,body,parent\n"
                 b"1,bob smith,2026-10-05 10:00,hello,\n"
                 b"2,=cmd|' /C calc'!A0,2026-10-05 10:00,hello,\n"
                 b"3,bob,2026-10-05 10:00,hello,\n")
    activity = read_csv(write(tmp_path, "handles.csv", csv_bytes), mapping, name="handles.csv")
    assert [p.id for p in activity.posts] == ["3"]
    assert [(s.line, s.reason) for s in activity.skipped] == [
        (2, "user 'bob smith' is not an X handle (letters, digits and _)"),
        (3, "user \"=cmd|' /C calc'!A0\" is not an X handle (letters, digits and _)")]


def test_a_mapping_can_say_the_zone_direction_and_which_rows_are_dms(tmp_path):
    mapping = write(tmp_path, "map.yaml", """\
columns: {id: Ticket, author: Handle, time: Sent, text: Message, type: Channel, recipients: To, conversation: Thread}
time_format: iso
direction: {column: Direction, inbound: [in], outbound: [out], account: acme_support}
dm_types: [direct message]
delimiter: ";"
""")
    data = write(tmp_path, "helpdesk.csv", (
        "Ticket;Handle;Sent;Message;Channel;To;Thread;Direction\n"
        "t1;@Bob;2026-10-05T10:00:00+02:00;@acme_support help;public;;;in\n"
        "t2;;2026-10-05T10:30:00Z;@bob on it;public;;;out\n"
        "t3;bob;2026-10-05T11:00:00Z;my phone is 555-0100;Direct Message;acme_support;c9;in\n"
        "t4;bob;2026-10-05T11:00:00Z;who knows;public;;;sideways\n"
    ))
    activity = read_csv(data, mapping)
    assert [(p.id, p.author, p.created_at.hour) for p in activity.posts] == [("t1", "bob", 8), ("t2", "acme_support", 10)]
    [dm] = activity.dms
    assert (dm.sender, dm.recipients, dm.conversation_id) == ("bob", ("acme_support",), "c9")
    assert [(s.line, s.reason) for s in activity.skipped] == [(5, "Direction is 'sideways': neither inbound nor outbound")]
    assert activity.sources[0].channels == ("mention", "reply", "dm")


@pytest.mark.parametrize("content, message", [
    ("columns: {id: a, author: b, time: c}\n", "map.yaml:1:10: columns: missing text"),
    ("columns: {id: a, author: b, time: c, text: d}\ncolour: red\n", "map.yaml:2:1: colour: unknown key; expected one of:"),
    ("columns: {id: a, author: b, time: c, text: d, mood: e}\n", "map.yaml:1:47: columns.mood: unknown column role"),
    ("columns: {id: a, author: b, time: c, text: d}\ntimezone: Mars/Olympus\n", "map.yaml:2:11: timezone: unknown time zone 'Mars/Olympus'"),
    ("columns: {id: a, author: b, time: c, text: d}\ntime_format: dd.mm.yyyy\n", "map.yaml:2:14: time_format: must be iso or a strptime format"),
    ("columns: [a, b]\n", "map.yaml:1:10: columns: must map id, author, time and text to column names"),
    ("columns: {id: a\n", "map.yaml:2:1: invalid YAML"),
    ("columns: {id: tweet_id, author: author_id, time: created_at, text: body}\n",
     "map.yaml:1:68: columns.text: column 'body' is not in the header of"),
    # "twitter" read every row as a network of its own, and the evidence of each finding blank
    ("columns: {id: tweet_id, author: author_id, time: created_at, text: text}\nplatform: twitter\n",
     "map.yaml:2:11: platform: unknown platform 'twitter' (expected x, bluesky or mastodon)"),
])
def test_mapping_errors_are_one_line_and_name_the_mapping_file_and_line(tmp_path, content, message):
    mapping = write(tmp_path, "map.yaml", content)
    data = write(tmp_path, "d.csv", "tweet_id,author_id,created_at,text\n1,a,2026-10-05T10:00:00Z,hi\n")
    with pytest.raises(DataError) as caught:
        read_csv(data, mapping)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"{tmp_path / message.split(':', 1)[0]}:{message.split(':', 1)[1]}"), text


def test_a_csv_without_a_mapping_or_a_known_header_is_a_clear_error(tmp_path):
    data = write(tmp_path, "d.csv", "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"d.csv: a CSV needs a column mapping: --mapping FILE \(or twcs"):
        read_source(data)
    with pytest.raises(DataError, match=r"nope.yaml: no such mapping file \(or built-in mapping: twcs\)"):
        read_csv(data, "nope.yaml")
    with pytest.raises(DataError, match="empty file: expected a header row"):
        read_csv(write(tmp_path, "empty.csv", ""), "twcs")


# `auditor audit --mapping`: the same mappings as `auditor import`, applied to the CSV sources only.
def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _answer_policy(tmp_path: Path, handles: list[str]) -> Path:
    make_policy(tmp_path, [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}],
                accounts=[{"handle": h, "kind": "brand"} for h in handles], timezone="UTC")
    return tmp_path / "policy.yaml"


def test_audit_reads_a_csv_with_its_mapping_file(tmp_path):
    mapping = write(tmp_path, "map.yaml", MESSY_MAPPING)
    data = write(tmp_path, "export.csv", "id,user,when,body,parent\n"
                 "1,bob,2026-10-05 10:00,@acme my order never came,\n"
                 "2,acme,2026-10-05 11:00,@bob sorry! On it,1\n"
                 "3,carol,2026-10-06 09:00,@acme where is my refund?,\n")
    out = tmp_path / "report.json"
    result = _cli("audit", "--policy", _answer_policy(tmp_path, ["acme"]), "--data", data, "--mapping", mapping,
                  "--period", "2026-10", "--as-of", "2026-10-07T09:00:00Z", "--out", out)
    assert result.exit_code == 0, result.output
    [rule] = json.loads(out.read_text())["rules"]
    assert (rule["checked"], rule["passed"], rule["failed"]) == (2, 1, 1)


def test_audit_without_the_mapping_names_the_option_it_needs(tmp_path):
    data = write(tmp_path, "export.csv", "id,user,when,body,parent\n1,bob,2026-10-05 10:00,hi @acme,\n")
    result = _cli("audit", "--policy", _answer_policy(tmp_path, ["acme"]), "--data", data, "--period", "2026-10")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].endswith(
        "export.csv: a CSV needs a column mapping: --mapping FILE (or twcs for Kaggle's Customer Support on Twitter)")


def test_audit_applies_the_mapping_to_the_csv_beside_a_jsonl_file(tmp_path):
    jsonl = write(tmp_path, "more.jsonl", '{"type": "post", "id": "9", "author": "dave", '
                  '"created_at": "2026-10-08T10:00:00Z", "text": "@acme is anyone there?", "mentions": ["acme"]}\n')
    data = write(tmp_path, "export.csv", "id,user,when,body,parent\n1,bob,2026-10-05 10:00,@acme my order never came,\n")
    out = tmp_path / "report.json"
    result = _cli("audit", "--policy", _answer_policy(tmp_path, ["acme"]), "--data", data, "--data", jsonl,
                  "--mapping", write(tmp_path, "map.yaml", MESSY_MAPPING), "--period", "2026-10",
                  "--as-of", "2026-10-09T10:00:00Z", "--out", out)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    assert report["data"]["events"] == 2
    assert report["rules"][0]["failed"] == 2


def test_audit_mapping_without_a_csv_source_is_bad_usage(tmp_path):
    jsonl = write(tmp_path, "a.jsonl", "")
    result = _cli("audit", "--policy", _answer_policy(tmp_path, ["acme"]), "--data", jsonl, "--mapping", "twcs",
                  "--period", "2026-10")
    assert result.exit_code == 2
    assert "--mapping is for CSV files, and no --data source is a .csv file" in result.output


@pytest.mark.parametrize("encoding, how", [("utf-16", "a byte-order mark"), ("utf-16-le", "a NUL byte every other byte")])
def test_a_utf16_csv_says_so_instead_of_asking_for_a_mapping_or_naming_nul_columns(tmp_path, encoding, how):
    # Excel's "Unicode text": read as UTF-8, its TWCS header was NUL bytes, and the advice was to add a mapping.
    data = tmp_path / "u16.csv"
    data.write_bytes(shared("twcs", "sample.csv").read_text(encoding="utf-8").encode(encoding))
    for mapping in (None, "twcs"):
        with pytest.raises(DataError) as caught:
            read_csv(data, mapping)
        assert str(caught.value) == (f"{data}: the file is UTF-16 ({how}), not UTF-8: save it as UTF-8, or read it "
                                     "with a mapping that says encoding: utf-16")
    wide = write(tmp_path, "m.yaml", "columns: {id: tweet_id, author: author_id, time: created_at, text: text}\n"
                                     "time_format: \"%a %b %d %H:%M:%S %z %Y\"\nencoding: utf-16\n")
    if encoding == "utf-16":
        assert len(read_csv(data, wide).posts) == 93
