"""Nothing from data drives the terminal: escape sequences (OSC title, OSC 8 link, OSC 52 clipboard
write, CSI colours), C0/C1 controls and bidi overrides in a CSV author, an archive's account name, a zip
member's name or a policy's name reach the screen as visible escapes, in every command's output."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.terminal import safe

runner = CliRunner()

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
OSC_CLIPBOARD = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
CSI = "\x1b[2J\x1b[31m"
C1 = "\x9b31m\x9d0;t\x9c"
BIDI = "\u202eevil\u202c\u2066"
HOSTILE = OSC_TITLE + OSC_LINK + OSC_CLIPBOARD + CSI + C1 + BIDI
# What a terminal acts on: ESC, BEL, the C1 controls (CSI, OSC, ST as one byte) and bidi controls.
ACTIVE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printed(result) -> str:
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    return text


def assert_inert(text: str) -> None:
    assert not ACTIVE_RE.search(text), repr(ACTIVE_RE.search(text).group())


def test_safe_shows_each_control_as_its_escape():
    assert safe("a\x1b]52;c;x\x07b\u202ec\x9bd\ttab\nline") == "a\\x1b]52;c;x\\x07b\\u202ec\\x9bd\ttab\nline"


def policy_file(tmp_path, name: str = "Acme") -> str:
    path = tmp_path / "policy.yaml"
    path.write_text(f"name: {json.dumps(name)}\ntimezone: UTC\n"
                    "accounts: [{handle: acme_support, kind: brand}]\n"
                    "rules:\n  - {id: tone, type: tone, severity: low, checks: {shouting: true}}\n")
    return str(path)


def test_a_policy_name_in_the_summary_and_validate(tmp_path):
    policy = policy_file(tmp_path, "Acme " + HOSTILE)
    data = tmp_path / "one.jsonl"
    data.write_text(json.dumps({"type": "post", "id": "1", "author": "acme_support", "created_at": "2026-10-05T10:00:00Z",
                                "text": "HELLO EVERYBODY THIS IS LOUD"}) + "\n")
    audited = runner.invoke(app, ["audit", "--policy", policy, "--data", str(data), "--period", "2026-10",
                                  "--out", str(tmp_path / "r.json")])
    assert audited.exit_code == 0, audited.output
    text = printed(audited)
    assert_inert(text)
    assert "Acme \\x1b]0;pwned\\x07" in text
    validated = runner.invoke(app, ["validate", policy])
    assert_inert(printed(validated))


def test_a_csv_author_in_import_and_audit_output(tmp_path):
    csv_path = tmp_path / "export.csv"
    rows = ["tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id",
            f'1,"{HOSTILE}",True,Wed Oct 11 06:55:44 +0000 2017,@acme_support help,,',
            f'2,"x{HOSTILE}",True,not a time,@acme_support help,,']
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    imported = runner.invoke(app, ["import", str(csv_path), "--store", str(tmp_path / "s.db")])
    # Neither row is read (no X handle; no time): nothing imported is exit 2, and each reason is printed inert.
    assert imported.exit_code == 2, imported.output
    assert "is not an X handle" in printed(imported)
    assert_inert(printed(imported))


def test_an_archive_account_name_and_zip_member_names(tmp_path):
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(
            [{"account": {"accountId": "1", "username": "acme" + HOSTILE}}]))
        zipped.writestr("data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps([{"tweet": {
            "id_str": "5", "created_at": "Mon Oct 05 14:02:00 +0000 2026", "full_text": "hi"}}]))
    imported = runner.invoke(app, ["import", str(archive), "--store", str(tmp_path / "s.db")])
    assert imported.exit_code == 0, imported.output
    assert_inert(printed(imported))
    # A member name that ends in an error message: a duplicate.
    twice = tmp_path / "twice.zip"
    with pytest.warns(UserWarning):  # zipfile warns about the duplicate name it is asked to write
        with zipfile.ZipFile(twice, "w") as zipped:
            for _ in range(2):
                zipped.writestr("data/" + HOSTILE + "tweets.js", "window.YTD.tweets.part0 = []")
    refused = runner.invoke(app, ["import", str(twice), "--store", str(tmp_path / "s2.db")])
    assert refused.exit_code == 2
    assert_inert(printed(refused))
    assert "twice" in printed(refused)
