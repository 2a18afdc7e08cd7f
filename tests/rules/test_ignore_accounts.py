"""ignore_accounts: counterparts no rule treats as people (monitoring bots, status pages)."""

from __future__ import annotations

import pytest

from auditor.errors import PolicyError
from auditor.policy.loader import load_policy
from tests.factories import dm, policy, post, run
from tests.rules.test_escalation import COMPLAINT, thread


def with_ignore(tmp_path, rules, patterns):
    tmp_path.mkdir(exist_ok=True)
    loaded = policy(tmp_path, rules)
    loaded.path.write_text(loaded.path.read_text() + f"ignore_accounts: {patterns!r}\n")
    return load_policy(loaded.path)


def test_an_ignored_account_is_no_complaint_thread(tmp_path):
    rules = [{"id": "private", "type": "escalation", "severity": "medium", "applies_to": {"accounts": ["acme_support"]}}]
    (tmp_path / "a").mkdir()
    turns = thread(COMPLAINT, "@uptime_bot we are looking into it", "@acme_support still awful", "@uptime_bot sorry",
                   customer="uptime_bot")
    assert next(r for r in run(policy(tmp_path / "a", rules), *turns).rules).figures.failed == 1
    result = run(with_ignore(tmp_path / "b", rules, ["*_bot"]), *turns)
    assert next(r for r in result.rules).figures.checked == 0


def test_replies_to_an_ignored_account_are_not_listening_to_people(tmp_path):
    rules = [{"id": "listen", "type": "engagement", "severity": "low", "applies_to": {"accounts": ["acme_support"]},
              "min_reply_share": "50%"}]
    (tmp_path / "a").mkdir()
    alert = post("uptime_bot", "2026-10-05 10:00", "@acme_support checkout 500s", mentions=("acme_support",))
    events = [alert, post("acme_support", "2026-10-05 10:05", "@uptime_bot ack", reply_to=alert),
              post("acme_support", "2026-10-06 10:00", "Spring range out now")]
    assert next(r for r in run(policy(tmp_path / "a", rules), *events).rules).figures.passed == 1
    assert next(r for r in run(with_ignore(tmp_path / "b", rules, ["uptime_bot"]), *events).rules).figures.failed == 1


def test_the_report_lists_the_patterns_and_counts_the_events_of_the_period_they_set_aside(tmp_path):
    rules = [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}]
    events = [post("uptime_bot", f"2026-10-0{day} 10:00", "@acme_support ok?", mentions=("acme_support",))
              for day in (1, 2, 3)]
    events.append(post("uptime_bot", "2026-11-02 10:00", "@acme_support ok?", mentions=("acme_support",)))
    # Their DMs count too, in the period only; a DM to them is the roster account's own.
    events += [dm("statuspage", "acme_support", "2026-10-04 10:00"), dm("statuspage", "acme_support", "2026-11-04 10:00"),
               dm("acme_support", "statuspage", "2026-10-04 11:00")]
    result = run(with_ignore(tmp_path, rules, ["*_bot", "statuspage"]), *events)
    assert (result.data.ignored_accounts, result.data.ignored_events) == (("*_bot", "statuspage"), 4)


@pytest.mark.parametrize("pattern", ["no spaces", "a/b", ""])
def test_a_bad_pattern_is_a_policy_error_with_its_place(tmp_path, pattern):
    with pytest.raises(PolicyError) as error:
        with_ignore(tmp_path, [], [pattern])
    assert ": ignore_accounts[0]: expected a handle or a pattern such as \"*_bot\"" in error.value.lines()[0]


def test_a_promise_to_an_ignored_account_is_no_promise(tmp_path):
    rules = [{"id": "promises", "type": "follow_through", "severity": "critical", "within": "24h",
              "applies_to": {"accounts": ["acme_support"]}}]
    (tmp_path / "a").mkdir()
    alert = post("uptime_bot", "2026-10-05 10:00", "@acme_support checkout 500s", mentions=("acme_support",))
    reply = post("acme_support", "2026-10-05 10:05", "@uptime_bot we'll get back to you", reply_to=alert)
    assert next(r for r in run(policy(tmp_path / "a", rules), alert, reply, as_of="2026-10-09 10:00").rules).figures.failed == 1
    result = run(with_ignore(tmp_path / "b", rules, ["*_bot"]), alert, reply, as_of="2026-10-09 10:00")
    assert next(r for r in result.rules).figures.metrics["promises"] == 0


def test_a_pattern_matches_a_mastodon_account_by_its_user_name_too(tmp_path):
    loaded = with_ignore(tmp_path, [], ["*_bot", "status@ops.example"])
    ignored = loaded.policy.is_ignored
    assert ignored("alert_bot@mastodon.social") and ignored("uptime_bot")
    assert ignored("status@ops.example") and not ignored("status@mastodon.social")
    assert not ignored("alert@mastodon.social") and not ignored("bot_fan@mastodon.social")
