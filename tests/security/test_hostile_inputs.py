"""Hostile and careless input refused in one line with exit 2, each as a user meets it through the CLI:
every case here once ended in exit 3 (a traceback's last line), in a wrong answer, or in a file read or
echoed that should not have been."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.activity.sources.archive import read_archive
from auditor.cli import app
from tests.shared_data import shared

runner = CliRunner()

ACCOUNT = [{"account": {"accountId": "100", "username": "acme_support"}}]


def one_line(result) -> str:
    assert "Traceback" not in result.output
    lines = (result.stderr or result.stdout).strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def policy_file(folder: Path, accounts: str = "[{handle: acme_support, kind: brand}]", **fields) -> Path:
    path = folder / "policy.yaml"
    body = {"name": "Acme", "timezone": "UTC", **fields}
    lines = [f"{key}: {value}" for key, value in body.items()]
    path.write_text("\n".join(lines) + f"\naccounts: {accounts}\n"
                    "rules:\n  - {id: tone, type: tone, severity: low, checks: {shouting: true}}\n")
    return path


def validate(*args) -> object:
    return runner.invoke(app, ["validate", *map(str, args)])


# -- policies and rosters ------------------------------------------------------------------------


def test_a_time_zone_of_250_parts_is_an_unknown_time_zone(tmp_path):
    result = validate(policy_file(tmp_path, timezone="/".join(["a"] * 250)))
    assert result.exit_code == 2  # RecursionError in ZoneInfo, exit 3, before
    assert "timezone: unknown time zone 'a/a/a/a" in one_line(result)


def test_a_roster_name_over_255_bytes_is_one_line_at_its_position(tmp_path):
    result = validate(policy_file(tmp_path, accounts="r" * 300 + ".yaml"))
    assert result.exit_code == 2
    line = one_line(result)
    assert line.startswith(f"{tmp_path / 'policy.yaml'}:3:11: accounts: roster file 'rrr")
    assert line.endswith("...' cannot be read: File name too long")


@pytest.mark.parametrize("outside", ["/etc/passwd", "../elsewhere/roster.yaml", "link.yaml"])
def test_a_roster_outside_the_policy_folder_is_refused_unless_allowed(tmp_path, outside):
    folder = tmp_path / "policies"
    folder.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "roster.yaml").write_text("- {handle: acme_support, kind: brand}\n")
    (folder / "link.yaml").symlink_to(tmp_path / "elsewhere" / "roster.yaml")
    policy = policy_file(folder, accounts=outside)
    refused = validate(policy)
    assert refused.exit_code == 2
    assert one_line(refused) == (f"{policy}:3:11: accounts: roster file {outside!r} is outside the policy's folder: "
                                 "refused (pass --allow-outside to read it)")
    audited = runner.invoke(app, ["audit", "--policy", str(policy), "--data", str(tmp_path), "--period", "2026-10"])
    assert audited.exit_code == 2 and "outside the policy's folder" in audited.stderr
    if outside != "/etc/passwd":
        allowed = validate("--allow-outside", policy)
        assert allowed.exit_code == 0, allowed.output


def test_a_wrong_roster_file_is_never_echoed(tmp_path):
    (tmp_path / "secrets.yaml").write_text("- AKIAIOSFODNN7EXAMPLE\n- {handle: a, kind: brand, team: [sk_live_51H]}\n"
                                           "- {handle: b, kind: brand, name: [hunter2hunter2]}\n")
    result = validate(policy_file(tmp_path, accounts="secrets.yaml"))
    assert result.exit_code == 2
    for secret in ("AKIAIOSFODNN7EXAMPLE", "sk_live_51H", "hunter2hunter2"):
        assert secret not in result.output
    assert "accounts[0]: expected a valid dictionary or instance of Account, got a text" in result.output


def test_a_5000_digit_number_is_a_number_too_long_not_python_advice(tmp_path):
    path = policy_file(tmp_path)
    path.write_text(path.read_text().replace("severity: low,", "severity: low, target: " + "9" * 5000 + ","))
    result = validate(path)
    assert result.exit_code == 2
    assert one_line(result).endswith("invalid YAML: a number with more than 4300 digits")
    assert "set_int_max_str_digits" not in result.output


def test_the_policys_patterns_together_are_bounded(tmp_path):
    path = policy_file(tmp_path)
    patterns = ", ".join(f'"/a[ab]{{1000}}x{n}/"' for n in range(10))  # ~1,000 RE2 instructions each
    path.write_text(path.read_text().replace("checks: {shouting: true}", f"checks: {{banned: [{patterns}]}}"))
    result = validate(path)
    assert result.exit_code == 2
    line = one_line(result)
    assert "rules[0].checks.banned[5]: the policy's regular expressions compile to more than 6000 RE2 instructions" in line
    path.write_text(path.read_text().replace(", ".join(f'"/a[ab]{{1000}}x{n}/"' for n in range(5, 10)), '"/x/"'))
    assert validate(path).exit_code == 0


# -- data files ----------------------------------------------------------------------------------


def audit(policy: Path, data: Path, *args):
    return runner.invoke(app, ["audit", "--policy", str(policy), "--data", str(data), "--period", "2026-10", *args])


def test_a_jsonl_file_starting_with_a_byte_order_mark_keeps_line_1(tmp_path):
    data = tmp_path / "bom.jsonl"
    data.write_bytes(b"\xef\xbb\xbf" + json.dumps({"type": "post", "id": "1", "author": "acme_support",
                                                    "created_at": "2026-10-05T10:00:00Z", "text": "hello"}).encode())
    out = tmp_path / "r.json"
    result = audit(policy_file(tmp_path), data, "--out", str(out))
    assert result.exit_code == 0, result.output  # line 1 was skipped as bad JSON: nothing to audit
    report = json.loads(out.read_text())
    assert (report["data"]["events"], report["data"]["skipped"]) == (1, 0)


def test_one_bad_byte_near_the_top_of_a_twcs_csv_does_not_hide_its_header(tmp_path):
    sample = shared("twcs", "sample.csv")
    lines = sample.read_bytes().split(b"\n")
    data = tmp_path / "twcs.csv"
    data.write_bytes(b"\n".join([lines[0], b"9,bad\xff\xfebyte,True,Wed Oct 11 06:55:44 +0000 2017,hi,,", *lines[1:]]))
    result = runner.invoke(app, ["import", str(data), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{data} (csv): 93 events read, 1 skipped; store: 93 new, 0 updated, 0 already there"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_data_is_refused_at_once(tmp_path, device):
    result = audit(policy_file(tmp_path), Path(device))  # read as JSONL, it never ended
    assert result.exit_code == 2
    assert one_line(result) == (f"{device}: not a regular file or folder (a device or a pipe): give an export file, "
                                "an archive or a store")


@pytest.mark.parametrize(("name", "head", "said"), [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document, not activity data; give JSON Lines, an X or "
     "Mastodon archive, a Bluesky .car export, a CSV file or a store"),
    ("october.jsonl.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip-compressed; unpack it first (gunzip)"),
    ("twitter-archive", b"PK\x03\x04\x14\x00\x00\x00", "a zip file; give it a name ending in .zip to read it as an "
     "X or Mastodon archive"),
    ("chart.png", b"\x89PNG\r\n\x1a\n", "a PNG image, not activity data; give JSON Lines, an X or Mastodon archive, "
     "a Bluesky .car export, a CSV file or a store"),
])
def test_a_file_of_another_format_is_refused_in_one_line_not_skipped_line_by_line(tmp_path, name, head, said):
    # Read as JSON Lines (the default for a name no reader claims), every line was "not valid JSON":
    # a screenful of skipped lines and then "nothing to audit".
    data = tmp_path / name
    data.write_bytes(head + bytes(range(256)) * 40)
    result = audit(policy_file(tmp_path), data)
    assert result.exit_code == 2
    assert one_line(result) == f"{data}: {said}"
    imported = runner.invoke(app, ["import", str(data), "--store", str(tmp_path / "s.db")])
    assert imported.exit_code == 2
    assert one_line(imported) == f"{data}: {said}"


# -- X archives ----------------------------------------------------------------------------------


def tweet(n: int, when: str = "Mon Oct 05 14:02:00 +0000 2026", text: str = "hello") -> dict:
    return {"tweet": {"id_str": str(1000 + n), "id": str(1000 + n), "created_at": when, "full_text": text}}


def js(name: str, records) -> str:
    return f"window.YTD.{name}.part0 = " + json.dumps(records, indent=2).replace("\n", "\n  ")


def test_duplicate_zip_member_names_are_refused(tmp_path):
    path = tmp_path / "twice.zip"
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/account.js", js("account", ACCOUNT))
        archive.writestr("data/tweets.js", js("tweets", [tweet(1)]))
        archive.writestr("data/tweets.js", js("tweets", [tweet(2)]))  # the one read before, silently
    result = runner.invoke(app, ["import", str(path), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 2
    assert one_line(result) == f"{path}: the zip holds 'data/tweets.js' twice: refusing"


def test_symlinks_out_of_an_archive_folder_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "tweets.js").write_text(js("tweets", [tweet(1, text="from outside")]))
    folder = tmp_path / "archive" / "data"
    folder.mkdir(parents=True)
    (folder / "account.js").write_text(js("account", ACCOUNT))
    (folder / "tweets.js").symlink_to(outside / "tweets.js")
    (folder / "direct-messages.js").write_text(js("direct_messages", []))
    (tmp_path / "archive" / "wrapped").symlink_to(outside, target_is_directory=True)
    activity = read_archive(tmp_path / "archive")
    assert activity.posts == []
    # A link inside the folder is followed.
    (folder / "tweets.js").unlink()
    (tmp_path / "archive" / "real.js").write_text(js("tweets", [tweet(2, text="inside")]))
    (folder / "tweets.js").symlink_to(tmp_path / "archive" / "real.js")
    assert [p.text for p in read_archive(tmp_path / "archive").posts] == ["inside"]


def test_welcome_messages_are_counted_not_silently_dropped(tmp_path):
    folder = tmp_path / "archive" / "data"
    folder.mkdir(parents=True)
    (folder / "account.js").write_text(js("account", ACCOUNT))
    welcome = {"welcomeMessageCreate": {"id": "w1", "senderId": "100", "recipientId": "200",
                                        "createdAt": "2026-10-05T10:00:00.000Z", "text": "Hi! How can we help?"}}
    message = {"messageCreate": {"id": "m1", "senderId": "200", "recipientId": "100",
                                 "createdAt": "2026-10-05T10:01:00.000Z", "text": "my order"}}
    (folder / "direct-messages.js").write_text(js("direct_messages", [
        {"dmConversation": {"conversationId": "100-200", "messages": [welcome, message, welcome]}}]))
    activity = read_archive(tmp_path / "archive")
    assert [dm.id for dm in activity.dms] == ["m1"]
    assert ("2 automated welcome messages (welcomeMessageCreate) left out: not written by anyone, "
            "so never counted as an answer") in activity.sources[0].notes


def test_an_older_archive_with_tweet_js_beside_a_data_folder_of_other_files(tmp_path):
    root = tmp_path / "archive"
    (root / "data").mkdir(parents=True)
    (root / "data" / "account.js").write_text(js("account", []))
    (root / "manifest.js").write_text("window.__THAR_CONFIG = " + json.dumps({
        "userInfo": {"accountId": "100", "userName": "acme_support"},
        "dataTypes": {"tweet": {"files": [{"fileName": "tweet.js", "globalName": "YTD.tweet.part0"}]}}}))
    (root / "tweet.js").write_text(js("tweet", [tweet(1)["tweet"]]))
    result = runner.invoke(app, ["import", str(root), "--store", str(tmp_path / "s.db")])
    assert result.exit_code == 0, result.output  # "is this an X data archive?" before
    assert result.stdout.startswith(f"{root} (archive): 1 events read, 0 skipped")


def test_archive_memory_follows_the_events_kept_not_the_bytes_inflated(tmp_path):
    """A zip of ~0.5 MB inflating to 30 MB of tweets, one month of them audited: parsed whole, it held
    the text, every record parsed and every post; read a record at a time with the window, it holds a
    chunk, a record and the posts kept."""
    path = tmp_path / "archive.zip"
    records = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/account.js", js("account", ACCOUNT))
        with archive.open("data/tweets.js", "w") as handle:
            handle.write(b"window.YTD.tweets.part0 = [\n  ")
            written = 0
            while written < 30_000_000:
                month = 9 if records % 30 else 10  # one post in thirty is in October
                body = json.dumps(tweet(records, f"Mon {['Sep', 'Oct'][month - 9]} 05 14:02:00 +0000 2026",
                                        "padding " * 100), indent=2).replace("\n", "\n  ")
                chunk = (b",\n  " if records else b"") + body.encode()
                handle.write(chunk)
                written += len(chunk)
                records += 1
            handle.write(b"\n]")
    from datetime import datetime, timezone

    window = (datetime(2026, 10, 1, tzinfo=timezone.utc), datetime(2026, 11, 1, tzinfo=timezone.utc))
    tracemalloc.start()
    try:
        activity = read_archive(path, window=window)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(activity.posts) == (records + 29) // 30
    # 30 MB inflated: parsed whole, the traced peak was 39 MB (and the process's resident size, which
    # also counts the raw text, ~6x the file: benchmarks/archive_memory.py); a record at a time, ~9 MB.
    assert peak < 15_000_000, peak
