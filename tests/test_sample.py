"""The sample data generator and the bundled demo.jsonl it wrote."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from auditor.sample import generate as gen
from auditor.sample.people import extra_accounts

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "auditor" / "sample" / "demo.jsonl"
POLICIES = ROOT / "policies"
TORONTO = ZoneInfo("America/Toronto")
ROSTER = {row[0] for row in gen.ROSTER}
POST_KEYS = ["type", "id", "author", "created_at", "text", "in_reply_to", "in_reply_to_author", "conversation_id",
             "mentions", "repost_of", "quote_of", "url", "platform"]
DM_KEYS = ["type", "id", "conversation_id", "sender", "recipients", "created_at", "text", "platform"]
PHONE = re.compile(r"\b\d{3}-\d{3}-\d{4}\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


@pytest.fixture(scope="module")
def demo_lines() -> list[str]:
    return DEMO.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def demo(demo_lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in demo_lines]


def _when(event: dict) -> datetime:
    return datetime.fromisoformat(event["created_at"])


def _who(event: dict) -> str:
    return event["author"] if event["type"] == "post" else event["sender"]


# --- determinism -------------------------------------------------------------

def test_two_runs_write_identical_bytes(tmp_path: Path) -> None:
    kwargs = dict(seed=11, scale=0.5, customers=120, accounts=2, dm_share=0.3)
    gen.write_jsonl(tmp_path / "a.jsonl", **kwargs)
    gen.write_jsonl(tmp_path / "b.jsonl", **kwargs)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    gen.write_jsonl(tmp_path / "a.jsonl", seed=1)
    gen.write_jsonl(tmp_path / "b.jsonl", seed=2)
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "b.jsonl").read_bytes()


def test_bundled_demo_is_a_fresh_generation(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    count = gen.write_jsonl(out)
    assert out.read_bytes() == DEMO.read_bytes(), (
        "auditor/sample/demo.jsonl is out of date: run python -m auditor.sample.generate --out auditor/sample/demo.jsonl")
    assert count == len(DEMO.read_bytes().splitlines())


def test_generate_yields_what_write_jsonl_writes(demo: list[dict]) -> None:
    assert list(gen.generate()) == demo


def test_stdlib_json_writes_the_same_bytes_as_orjson(demo_lines: list[str], demo: list[dict]) -> None:
    # The generator falls back to the json module without orjson: the demo must not change.
    assert [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in demo] == demo_lines


# --- canonical format ----------------------------------------------------------

def test_every_line_is_a_canonical_event(demo: list[dict]) -> None:
    for n, event in enumerate(demo, 1):
        assert event["type"] in ("post", "dm"), n
        assert list(event) == (POST_KEYS if event["type"] == "post" else DM_KEYS), n
        assert isinstance(event["id"], str) and event["id"], n
        assert isinstance(event["text"], str) and event["text"].strip(), n
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", event["created_at"]), n
        assert _when(event).utcoffset() is not None, n
        assert event["platform"] == "x"
        if event["type"] == "post":
            assert re.fullmatch(r"[a-z0-9_]{1,15}", event["author"]), n
            assert re.fullmatch(r"[1-9]\d{18}", event["id"]), n
            assert event["url"] == f"https://x.com/{event['author']}/status/{event['id']}"
            assert isinstance(event["mentions"], list)
            assert event["mentions"] == list(dict.fromkeys(re.findall(r"(?<![\w@])@(\w{1,15})\b", event["text"])))
        else:
            assert re.fullmatch(r"d-\d+", event["id"]), n
            assert isinstance(event["recipients"], list) and len(event["recipients"]) == 1, n
            assert event["conversation_id"] == ":".join(sorted([event["sender"], *event["recipients"]])), n


def test_the_auditors_own_parser_accepts_every_line(demo: list[dict]) -> None:
    events = pytest.importorskip("auditor.activity.events")
    for event in demo:
        events.parse_event(event)


def test_ids_are_unique_and_lines_sorted(demo: list[dict]) -> None:
    assert len({e["id"] for e in demo}) == len(demo)
    keys = [(e["created_at"], e["id"]) for e in demo]
    assert keys == sorted(keys)


def test_post_ids_grow_with_time(demo: list[dict]) -> None:
    posts = [e for e in demo if e["type"] == "post"]
    for earlier, later in zip(posts, posts[1:]):
        if earlier["created_at"] < later["created_at"]:
            assert int(earlier["id"]) < int(later["id"])


def test_replies_point_at_earlier_posts_of_their_conversation(demo: list[dict]) -> None:
    posts = {e["id"]: e for e in demo if e["type"] == "post"}
    replies = [p for p in posts.values() if p["in_reply_to"]]
    assert len(replies) > 500
    for reply in replies:
        parent = posts[reply["in_reply_to"]]
        assert reply["in_reply_to_author"] == parent["author"]
        assert reply["conversation_id"] == parent["conversation_id"]
        assert _when(parent) < _when(reply)
        assert reply["text"].startswith("@")
    for post in posts.values():
        if not post["in_reply_to"]:
            assert post["conversation_id"] == post["id"]


def test_covers_the_period_and_its_neighbours(demo: list[dict]) -> None:
    local = [_when(e).astimezone(TORONTO) for e in demo]
    assert min(local).date().isoformat() == "2026-09-01"
    assert max(local).date().isoformat() == "2026-11-02"
    october = sum(1 for t in local if (t.year, t.month) == (2026, 10))
    assert october > 0.45 * len(demo)  # September is there in full, for the trend
    assert 2000 <= len(demo) <= 4000


def test_reposts_are_marked_and_mention_the_original_author(demo: list[dict]) -> None:
    posts = {e["id"]: e for e in demo if e["type"] == "post"}
    reposts = [p for p in posts.values() if p["repost_of"]]
    assert len(reposts) >= 10
    for repost in reposts:
        original = posts[repost["repost_of"]]
        assert repost["text"].startswith(f"RT @{original['author']}: ")
        assert original["author"] in repost["mentions"]
        assert repost["in_reply_to"] is None


def test_mixed_scripts_and_emoji(demo: list[dict]) -> None:
    texts = " ".join(e["text"] for e in demo)
    assert re.search(r"[\u4e00-\u9fff]", texts)  # Chinese
    assert re.search(r"[\u0600-\u06ff]", texts)  # Arabic
    assert re.search(r"[\U0001F300-\U0001FAFF]", texts)  # emoji


# --- the story -------------------------------------------------------------------

def test_story_ids_are_all_in_the_demo(demo: list[dict]) -> None:
    ids = {e["id"] for e in demo}
    marks = gen.story_ids()
    assert len(marks) > 40
    assert set(marks.values()) <= ids


def test_story_is_the_same_at_every_scale() -> None:
    small = gen.story_ids()
    big = gen._make(scale=3.0).marks
    assert small == big


def test_the_lost_deal(demo: list[dict]) -> None:
    promise = [e for e in demo if e["type"] == "post" and e["author"] == "jdoe"
               and e["in_reply_to_author"] == "northwind_cto"]
    assert len(promise) == 1
    assert "DM me" in promise[0]["text"] and "off air" in promise[0]["text"]
    question = next(e for e in demo if e["id"] == promise[0]["in_reply_to"])
    assert question["author"] == "northwind_cto" and "jdoe" in question["mentions"] and "?" in question["text"]

    dms = [e for e in demo if e["type"] == "dm" and e["conversation_id"] == "jdoe:northwind_cto"]
    assert dms and all(d["sender"] == "northwind_cto" and d["recipients"] == ["jdoe"] for d in dms)
    first = dms[0]
    assert _when(first) > _when(promise[0])
    assert PHONE.search(first["text"]) and EMAIL.search(first["text"])
    # jdoe never answers, by DM or in public, for the rest of the data
    assert not [e for e in demo if e["type"] == "dm" and e["sender"] == "jdoe" and "northwind_cto" in e["recipients"]]
    assert not [e for e in demo if e["type"] == "post" and e["author"] == "jdoe"
                and ("northwind_cto" in e["mentions"]) and e is not promise[0]]


def test_dm_us_promises_by_the_brand_are_followed_by_a_dm(demo: list[dict]) -> None:
    """Every "DM us" of acme_support is followed by its DM to that customer, within 24 hours except priya_s's."""
    late = []
    promises = [e for e in demo if e["type"] == "post" and e["author"] == "acme_support"
                and re.search(r"\bDM us\b|send us a DM|Check your DMs", e["text"])]
    assert len(promises) >= 10
    for promise in promises:
        customer = promise["in_reply_to_author"]
        conversation = ":".join(sorted(["acme_support", customer]))
        answers = [e for e in demo if e["type"] == "dm" and e["conversation_id"] == conversation
                   and e["sender"] == "acme_support" and _when(e) > _when(promise)]
        assert answers, promise
        if (_when(answers[0]) - _when(promise)).total_seconds() > 24 * 3600:
            late.append(customer)
    assert late == ["priya_s"]


def test_tone_and_disclosure_problems_are_there(demo: list[dict]) -> None:
    by_id = {e["id"]: e for e in demo}
    marks = gen.story_ids()
    assert "f***ing" in by_id[marks["mkhan_rude"]]["text"]
    assert "not my problem" in by_id[marks["rpatel_not_my_problem"]]["text"]
    assert re.search(r"\bwhatever\b", by_id[marks["rpatel_whatever"]]["text"])
    shout = re.sub(r"@\w+", "", by_id[marks["tnguyen_shouting"]]["text"])
    letters = [c for c in shout if c.isalpha()]
    assert len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7
    jab = by_id[marks["mkhan_widgetco"]]["text"]
    assert "WidgetCo" in jab and "#employee" not in jab and "I work at Acme" not in jab
    assert "I work at Acme" in by_id[marks["lchen_disclosed"]]["text"]


def test_one_long_public_thread_without_another_channel(demo: list[dict]) -> None:
    marks = gen.story_ids()
    thread = [e for e in demo if e["type"] == "post" and e["conversation_id"] == marks["kate_complaint"]]
    brand = [e for e in thread if e["author"] == "acme_support"]
    assert len(brand) >= 5
    for reply in brand:
        assert not re.search(r"\bDM\b|@\w+\.\w|https?://|\d{3}-\d{4}", reply["text"].split(" ", 1)[1])


def test_only_acme_repeats_a_broadcast(demo: list[dict]) -> None:
    broadcasts = Counter((e["author"], e["text"]) for e in demo if e["type"] == "post"
                         and e["author"] in ROSTER and not e["in_reply_to"] and not e["repost_of"])
    repeated = {key for key, n in broadcasts.items() if n > 2}
    assert [author for author, _ in repeated] == ["acme"]


def test_broadcasters_broadcast_and_support_replies(demo: list[dict]) -> None:
    def reply_share(handle: str) -> float:
        posts = [e for e in demo if e["type"] == "post" and e["author"] == handle]
        return sum(1 for p in posts if p["in_reply_to_author"] not in (None, *ROSTER)) / len(posts)

    assert reply_share("acme") < 0.3 and reply_share("bsmith") < 0.3
    assert reply_share("acme_support") > 0.8 and reply_share("jdoe") > 0.5


# --- policies and roster -----------------------------------------------------------

def test_roster_file_is_the_generators_roster() -> None:
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load((POLICIES / "roster.yaml").read_text())["accounts"] == gen.roster()
    extra = yaml.safe_load(gen.roster_yaml(accounts=4))["accounts"]
    assert extra[: len(gen.ROSTER)] == gen.roster() and len(extra) == len(gen.ROSTER) + 4
    assert len({a["handle"] for a in extra}) == len(extra)


def test_example_policy_uses_every_rule_kind() -> None:
    yaml = pytest.importorskip("yaml")
    text = (POLICIES / "example.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../policy.schema.json"
    policy = yaml.safe_load(text)
    kinds = Counter(rule["type"] for rule in policy["rules"])
    assert kinds == {"response_time": 2, "follow_through": 1, "tone": 1, "disclosure": 1, "escalation": 1,
                     "engagement": 1}
    assert all(rule.get("description") for rule in policy["rules"])
    assert policy["accounts"] == "roster.yaml"


# --- size and speed --------------------------------------------------------------------

def test_events_option_reaches_its_target_quickly(tmp_path: Path) -> None:
    out = tmp_path / "big.jsonl"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "auditor.sample.generate", "--out", str(out), "--events", "20000"],
                   check=True, cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - started
    lines = out.read_bytes().splitlines()
    assert 19_000 <= len(lines) <= 21_000
    assert elapsed < 15, f"20,000 events took {elapsed:.1f} s"
    # the story is in the big file too
    ids = {json.loads(line)["id"] for line in lines}
    assert set(gen.story_ids().values()) <= ids


def test_month_option_puts_every_event_in_that_month(tmp_path: Path, demo: list[dict]) -> None:
    out, roster_out = tmp_path / "month.jsonl", tmp_path / "roster.yaml"
    assert gen.main(["--out", str(out), "--events", "6000", "--month", "2026-10", "--accounts", "10",
                     "--roster-out", str(roster_out)]) == 0
    events = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert 5_700 <= len(events) <= 6_300
    months = {_when(e).astimezone(TORONTO).strftime("%Y-%m") for e in events}
    assert months == {"2026-10"}
    days = {_when(e).astimezone(TORONTO).day for e in events}
    assert days == set(range(1, 32))  # spread over the whole month
    # the story's October scenes are there, with the same ids as in the demo
    story = set(gen.story_ids().values())
    october = {e["id"] for e in demo if e["id"] in story and _when(e).astimezone(TORONTO).month == 10}
    assert october and october <= {e["id"] for e in events}
    # a generated employee of the roster takes part
    yaml = pytest.importorskip("yaml")
    extra = {a["handle"] for a in yaml.safe_load(roster_out.read_text())["accounts"]} - ROSTER
    assert len(extra) == 10
    assert extra & {_who(e) for e in events}


def test_month_option_is_the_months_dates(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    gen.main(["--out", str(a), "--month", "2026-12"])
    gen.write_jsonl(b, start="2026-12-01", end="2027-01-01")
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 0
    with pytest.raises(SystemExit):
        gen.main(["--month", "2026-13"])
    with pytest.raises(SystemExit):
        gen.main(["--month", "October"])


def test_staff_small_talk_is_shared_when_accounts_grow() -> None:
    # Small talk is the company's, shared among its staff: more accounts post it less
    # often each, rather than multiplying it (it was 70% of a million-event file).
    events = list(gen.generate(start="2026-10-01", end="2026-11-01", scale=5.0, customers=750, accounts=200))
    extra = {a[0] for a in extra_accounts(200)}
    small_talk = [e for e in events if e["type"] == "post" and e["author"] in extra
                  and not e["in_reply_to"] and not e["repost_of"]]
    assert len(small_talk) < 0.02 * len(events)
    assert {_who(e) for e in events} & extra


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        list(gen.generate(dm_share=1.5))
    with pytest.raises(ValueError):
        list(gen.generate(start="2026-10-10", end="2026-10-01"))
    with pytest.raises(SystemExit):
        gen.main(["--dm-share", "2"])


def test_time_zone_boundaries_follow_toronto() -> None:
    # 1 November 2026 ends daylight saving time: local days map to UTC with -4 h, then -5 h.
    events = list(gen.generate(start="2026-10-31", end="2026-11-03", scale=2.0))
    assert events
    for event in events:
        local = _when(event).astimezone(TORONTO).date().isoformat()
        assert "2026-10-31" <= local <= "2026-11-02"
    first = min(_when(e) for e in events)
    assert first >= datetime(2026, 10, 31, 4, tzinfo=timezone.utc)
