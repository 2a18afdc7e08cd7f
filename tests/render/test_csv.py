"""CSV of findings: one row each, the columns docs/report.md lists, spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from auditor.review.baseline import apply_baseline, load_baseline
from auditor.render import render
from auditor.render.csv_report import COLUMNS, neutralise
from auditor.review.waivers import apply_waivers, load_waivers
from tests.ci.scenario import result as scenario


def rows(result) -> list[dict]:
    data = render(result, "csv")
    assert not data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def test_one_row_per_finding(tmp_path):
    result = scenario(tmp_path)
    table = rows(result)
    assert len(table) == len(result.findings) == 4
    bob = table[0]
    finding = result.findings[0]
    assert {k: bob[k] for k in ("rule", "type", "severity", "account", "counterpart", "status", "occurred_at",
                                "fingerprint", "waived", "baseline", "evidence_url")} == {
        "rule": "answer", "type": "response_time", "severity": "high", "account": "acme_support",
        "counterpart": "bob", "status": "breached", "occurred_at": "2026-10-05T14:00:00Z",
        "fingerprint": finding.fingerprint, "waived": "", "baseline": "", "evidence_url": "https://x.com/bob/status/100",
    }
    # Messages start with a handle: "@..." is a formula to a spreadsheet, so it is neutralised.
    assert bob["message"] == "'@bob waited 9h for an answer (limit 4h on wall clock)"
    carol = next(r for r in table if r["counterpart"] == "carol")
    assert carol["evidence_url"] == ""  # a DM has no link


def test_waiver_and_baseline_columns_with_formula_cells_neutralised(tmp_path):
    base = scenario(tmp_path)
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "- {rule: answer, account: acme_support, counterpart: bob, expires: 2026-12-31,\n"
        "   reason: '=HYPERLINK(\"http://evil.example\",\"click\")', approved_by: '+1 555 0100'}\n"
        "- {rule: answer, account: acme_support, counterpart: carol, expires: 2026-12-31,\n"
        "   reason: \"@SUM(1+1)*cmd|' /C calc'!A0\", approved_by: '-Dana'}\n"
    )
    old = tmp_path / "old.json"
    old.write_bytes(render(base, "json"))
    table = rows(apply_baseline(apply_waivers(base, load_waivers(waivers)), load_baseline(old)))
    bob, carol = table[0], table[1]
    assert (bob["waived"], bob["waiver_reason"], bob["waiver_approved_by"], bob["waiver_expires"]) == (
        "yes", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 555 0100", "2026-12-31")
    assert (carol["waiver_reason"], carol["waiver_approved_by"]) == ("'@SUM(1+1)*cmd|' /C calc'!A0", "'-Dana")
    assert {r["baseline"] for r in table} == {"existing"}
    for row in table:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("a=1", "a=1"), (" =1", " '=1"), ("", ""), (None, ""), ("nul\x00here", "nulhere"), ("\x00=1", "'=1"),
     # Pieces a spreadsheet splits off on `;`, `,`, tabs or line breaks are neutralised too.
     ("x;=2+3;", "x;'=2+3;"), ("a, -1", "a, '-1"), ("a\n@b", "a\n'@b"), ("x,\t=1", "x,\t'=1"), ("1-2", "1-2")],
)
def test_neutralise(value, cell):
    assert neutralise(value) == cell


def test_same_input_same_bytes_and_crlf_rows(tmp_path):
    result = scenario(tmp_path)
    data = render(result, "csv")
    assert data == render(result, "csv")
    assert data.count(b"\r\n") == 5


def test_the_evidence_url_is_a_web_link_or_empty(tmp_path):
    # A JSONL `url` is the source's word: one that is not http(s) is never offered as the finding's link.
    from dataclasses import replace

    result = scenario(tmp_path)
    finding = result.findings[0]
    hostile = tuple(replace(e, url="javascript:alert(1)") for e in finding.evidence)
    table = rows(replace(result, findings=(replace(finding, evidence=hostile),)))
    assert table[0]["evidence_url"] == ""
    mixed = (replace(finding.evidence[0], url="file:///etc/passwd"), *finding.evidence[1:])
    assert rows(replace(result, findings=(replace(finding, evidence=mixed),)))[0]["evidence_url"].startswith("https://")


def test_control_characters_never_reach_a_terminal_that_prints_the_csv():
    assert neutralise("bad \x1b[31mred\x1b[0m and \x07 bell") == "bad \ufffd[31mred\ufffd[0m and \ufffd bell"
    assert neutralise("two\nlines\tand a tab") == "two\nlines\tand a tab"  # kept: a cell may hold them (quoted)
