"""An audit reads its period and 30 days after it; data that runs further is not read, and the verdicts say so."""

from __future__ import annotations

import json
from datetime import datetime

from auditor.run import read_and_audit, read_paths
from auditor.time.period import parse_period
from tests.factories import at, policy

RULE = {"id": "answer", "type": "response_time", "severity": "high", "within": "1d", "needs_answer": "always",
        "applies_to": {"accounts": ["jdoe"]}}


def write(path, *lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def line(id, author, when, text, reply_to=None, reply_author=None):
    out = {"type": "post", "id": id, "author": author, "created_at": when, "text": text,
           "mentions": [reply_author] if reply_author else ["jdoe"]}
    if reply_to:
        out.update(in_reply_to=reply_to, in_reply_to_author=reply_author, conversation_id="1")
    return out


def audit(tmp_path, data, as_of=None):
    loaded = policy(tmp_path, [RULE])
    period = parse_period("2026-10", loaded.policy.zone, datetime(2026, 12, 30).date())
    return read_and_audit(loaded, read_paths([data]), period, as_of=at(as_of) if as_of else None, workers=False)


def messages(result):
    return [f.message for f in result.findings]


def test_an_item_unanswered_when_the_read_ends_is_judged_then_not_at_the_last_event_read(tmp_path):
    data = write(tmp_path / "year.jsonl",
                 line("1", "carol", "2026-10-20T14:00:00Z", "@jdoe where is the quote?"),
                 line("2", "jdoe", "2026-12-05T15:00:00Z", "@carol here it is", "1", "carol"),
                 line("3", "jdoe", "2026-12-20T10:00:00Z", "hello"))
    result = audit(tmp_path, data)
    [finding] = result.findings
    assert finding.status == "breached"  # not "still waiting (due 21 Oct)" with the data cut at the item
    assert "got no answer" in finding.message and "end of the data" not in finding.message
    assert "the end of what this audit reads" in finding.message
    assert result.data.as_of == "2026-12-01T05:00:00Z"  # the end of the read: 30 days after the period
    assert [note for note in result.notes if "30 days after the period" in note] == [
        "the data runs on past 2026-12-01 00:00 EST, 30 days after the period, which this audit does not read: what "
        "was still unanswered then is judged then (--as-of a later time reads up to it)"]


def test_an_as_of_past_the_read_widens_it(tmp_path):
    data = write(tmp_path / "year.jsonl",
                 line("1", "carol", "2026-10-20T14:00:00Z", "@jdoe where is the quote?"),
                 line("2", "jdoe", "2026-12-05T15:00:00Z", "@carol here it is", "1", "carol"),
                 line("3", "jdoe", "2026-12-20T10:00:00Z", "hello"))
    result = audit(tmp_path, data, as_of="2026-12-21 00:00")
    [finding] = result.findings
    assert finding.status == "breached"
    assert finding.message == "@carol waited 46d 1h for an answer (limit 1d on wall clock)"


def test_data_that_ends_inside_the_read_ends_where_it_ends(tmp_path):
    data = write(tmp_path / "month.jsonl",
                 line("1", "carol", "2026-10-20T14:00:00Z", "@jdoe where is the quote?"),
                 line("3", "jdoe", "2026-10-30T10:00:00Z", "hello"))
    result = audit(tmp_path, data)
    [finding] = result.findings
    assert finding.message.endswith("by the end of the data (limit 1d on wall clock)"), finding.message
    assert result.data.as_of == "2026-10-30T10:00:00Z"


def test_a_store_that_runs_on_past_the_read_says_so_too(tmp_path):
    from auditor.activity.ingest.importing import import_sources

    data = write(tmp_path / "year.jsonl",
                 line("1", "carol", "2026-10-20T14:00:00Z", "@jdoe where is the quote?"),
                 line("3", "jdoe", "2026-12-20T10:00:00Z", "hello"))
    list(import_sources([data], tmp_path / "s.db"))
    result = audit(tmp_path, tmp_path / "s.db")
    assert result.data.as_of == "2026-12-01T05:00:00Z"
    [finding] = result.findings
    assert finding.status == "breached" and "the end of what this audit reads" in finding.message
