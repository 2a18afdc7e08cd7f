"""Waivers: matching, the expiry boundary, refused entries, and that they fail closed."""

from __future__ import annotations

import pytest

from auditor.errors import PolicyError
from auditor.review.waivers import apply_waivers, load_waivers, reference_day
from tests.ci.scenario import result as scenario


def waivers(tmp_path, text):
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    return load_waivers(path)


def by_counterpart(result):
    return {f.counterpart: f for f in result.findings}


BOB = """\
- rule: answer
  account: "@ACME_support"
  counterpart: "@Bob"
  reason: handled by phone
  approved_by: Dana Reyes
  expires: {expires}
"""


def test_the_reference_day_is_the_last_day_of_the_period_or_the_end_of_the_data(tmp_path):
    assert reference_day(scenario(tmp_path)).isoformat() == "2026-10-31"


@pytest.mark.parametrize(("expires", "honoured"), [("2026-10-31", True), ("2026-11-30", True), ("2026-10-30", False)])
def test_a_waiver_holds_through_the_day_it_expires(tmp_path, expires, honoured):
    result = apply_waivers(scenario(tmp_path), waivers(tmp_path, BOB.format(expires=expires)))
    bob = by_counterpart(result)["bob"]
    if honoured:
        assert bob.waived == {"reason": "handled by phone", "approved_by": "Dana Reyes", "expires": expires}
        assert result.summary["findings"] == 2 and result.summary["waived"] == 1
        assert result.summary["findings_by_severity"]["high"] == 1
        assert next(a for a in result.accounts if a.handle == "acme_support").findings == 1
        assert result.notes[-1] == (f"waivers {tmp_path / 'waivers.yaml'}: 1 finding waived by 1 of 1 waivers "
                                    "(judged on 2026-10-31)")
    else:
        assert bob.waived is None
        assert result.summary["findings"] == 3 and result.summary["waived"] == 0
        assert result.notes[0] == (f"{tmp_path / 'waivers.yaml'}:1:3: waiver ignored: expired on 2026-10-30, "
                                   "before 2026-10-31 (answer, acme_support, @bob)")


def test_an_earlier_end_of_the_data_does_not_move_the_reference_day(tmp_path):
    # Expiry is judged against the end of the audited period: a waiver that lapses on the 20th does not
    # cover October, even when the audit runs on the 20th.
    from tests.ci.scenario import events, loaded_policy
    from tests.factories import run

    early = run(loaded_policy(tmp_path), *events(), as_of="2026-10-20 12:00")
    assert reference_day(early).isoformat() == "2026-10-31"
    result = apply_waivers(early, waivers(tmp_path, BOB.format(expires="2026-10-20")))
    assert by_counterpart(result)["bob"].waived is None
    assert result.notes[0].endswith("waiver ignored: expired on 2026-10-20, before 2026-10-31 (answer, acme_support, @bob)")


def test_a_waiver_by_fingerprint_covers_exactly_that_finding(tmp_path):
    base = scenario(tmp_path)
    carol = by_counterpart(base)["carol"]
    text = f"""\
- rule: answer
  account: acme_support
  fingerprint: {carol.fingerprint.upper()}
  reason: spam account
  approved_by: Dana Reyes
  expires: "2026-12-31"
"""
    result = apply_waivers(base, waivers(tmp_path, text))
    assert [f.counterpart for f in result.findings if f.waived] == ["carol"]


def test_a_fingerprint_of_another_rule_or_account_does_not_apply(tmp_path):
    base = scenario(tmp_path)
    carol = by_counterpart(base)["carol"]
    text = f"""\
- {{rule: answer-sales, account: acme_support, fingerprint: {carol.fingerprint}, reason: x, approved_by: y, expires: 2026-12-31}}
- {{rule: answer, account: jdoe, fingerprint: {carol.fingerprint}, reason: x, approved_by: y, expires: 2026-12-31}}
"""
    result = apply_waivers(base, waivers(tmp_path, text))
    assert not any(f.waived for f in result.findings)
    assert [n.split(": ", 1)[1] for n in result.notes[:2]] == [
        f"waiver matched no finding (answer-sales, acme_support, fingerprint {carol.fingerprint})",
        f"waiver matched no finding (answer, jdoe, fingerprint {carol.fingerprint})",
    ]


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("{rule: answer, account: acme_support, counterpart: bob, approved_by: Dana, expires: 2026-12-31}",
         "missing required key 'reason'"),
        ("{rule: answer, account: acme_support, reason: r, approved_by: Dana, expires: 2026-12-31}",
         "needs counterpart or fingerprint (a waiver never covers a whole rule)"),
        ("{rule: answer, account: acme_support, counterpart: bob, reason: r, approved_by: Dana, expires: soon}",
         "expires must be a date (YYYY-MM-DD), got 'soon'"),
        ("{rule: answer, account: acme_support, counterpart: bob, reason: r, approved_by: Dana, expires: 2026-12-31T10:00:00Z}",
         "expires must be a date (YYYY-MM-DD), not a time: 2026-12-31T10:00:00+00:00"),
        ("{rule: answer, account: acme_support, counterpart: bob, reason: r, approved_by: Dana, expires: 2026-12-31, until: x}",
         "unknown key 'until'; expected: rule, account, reason, approved_by, expires, counterpart, fingerprint"),
        ("{rule: answer, account: acme_support, counterpart: [bob], reason: r, approved_by: Dana, expires: 2026-12-31}",
         "counterpart must be text, got ['bob']"),
        ("just text", "expected a mapping with rule, account, reason, approved_by, expires and counterpart or fingerprint"),
    ],
)
def test_a_malformed_waiver_is_refused_and_noted_and_the_others_still_apply(tmp_path, entry, reason):
    text = f"- {entry}\n" + BOB.format(expires="2026-12-31")
    result = apply_waivers(scenario(tmp_path), waivers(tmp_path, text))
    assert result.notes[0] == f"{tmp_path / 'waivers.yaml'}:1:3: waiver ignored: {reason}"
    assert [f.counterpart for f in result.findings if f.waived] == ["bob"]
    assert result.notes[-1].endswith("1 finding waived by 1 of 2 waivers (judged on 2026-10-31)")


def test_a_waiver_for_a_rule_the_policy_lacks_says_so(tmp_path):
    text = "- {rule: answer-csutomers, account: acme_support, counterpart: bob, reason: r, approved_by: D, expires: 2026-12-31}\n"
    result = apply_waivers(scenario(tmp_path), waivers(tmp_path, text))
    assert result.notes[0].endswith("waiver matched no finding (answer-csutomers, acme_support, @bob); "
                                    "the policy has no rule 'answer-csutomers'")


def test_a_pending_finding_can_be_waived_and_the_summary_is_recounted(tmp_path):
    text = "- {rule: answer, account: acme_support, counterpart: erin, reason: r, approved_by: D, expires: 2026-12-31}\n"
    result = apply_waivers(scenario(tmp_path), waivers(tmp_path, text))
    assert by_counterpart(result)["erin"].waived is not None
    assert (result.summary["findings"], result.summary["pending"], result.summary["waived"]) == (3, 1, 1)


def test_a_mapping_with_one_key_waivers_and_an_empty_file_are_accepted(tmp_path):
    text = "waivers:\n" + "".join("  " + line + "\n" for line in BOB.format(expires="2026-12-31").splitlines())
    loaded = waivers(tmp_path, text)
    assert len(loaded.waivers) == 1 and loaded.waivers[0].where.endswith("waivers.yaml:2:5")
    assert waivers(tmp_path, "").waivers == ()


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("rule: answer\n", "waivers.yaml:1:1: a waivers file is a list of waivers (rule, account, counterpart or "
                           "fingerprint, reason, approved_by, expires)"),
        ("- {rule: answer\n", "waivers.yaml:2:1: invalid YAML:"),
    ],
)
def test_a_waivers_file_that_is_not_a_list_is_an_error_with_its_position(tmp_path, text, line):
    with pytest.raises(PolicyError) as info:
        waivers(tmp_path, text)
    [problem] = info.value.lines()
    assert problem.startswith(str(tmp_path / line))


def test_a_missing_waivers_file_is_an_error(tmp_path):
    with pytest.raises(PolicyError) as info:
        load_waivers(tmp_path / "nope.yaml")
    assert info.value.lines() == [f"{tmp_path / 'nope.yaml'}:1:1: cannot read: No such file or directory"]


CAROL = """\
- rule: answer
  account: acme_support
  counterpart: carol
  reason: answered by phone
  approved_by: Dana Reyes
  expires: 2026-12-31
"""


def test_a_waived_finding_counts_nowhere_rule_score_scorecard_and_fail_on(tmp_path):
    from auditor.review.baseline import failing
    from tests.factories import post

    ask = post("gina", "2026-10-08 10:00", "@acme_support where is my parcel?", id="600", mentions=("acme_support",))
    answered = post("acme_support", "2026-10-08 10:30", "@gina on its way", id="601", reply_to=ask)
    base = scenario(tmp_path, extra=(ask, answered))
    answer = next(r for r in base.rules if r.id == "answer")
    assert (answer.status, answer.figures.checked, answer.figures.failed) == ("fail", 3, 2)
    assert base.summary["score"] == round(100 * (1 / 3 + 0) / 2, 1)
    # Waiving every failing finding of the rule: it used to stay FAIL, with the score and scorecard unchanged.
    result = apply_waivers(base, waivers(tmp_path, BOB.format(expires="2026-12-31") + CAROL))
    answer = next(r for r in result.rules if r.id == "answer")
    assert (answer.status, answer.figures.checked, answer.figures.failed, answer.figures.waived) == ("pass", 1, 0, 2)
    assert answer.figures.compliance == 1.0 and answer.figures.metrics["breached"] == 0
    assert result.summary["score"] == 50.0
    assert (result.summary["rules_passed"], result.summary["rules_failed"]) == (1, 1)
    card = next(a for a in result.accounts if a.handle == "acme_support")
    assert (card.findings, card.rules["answer"].failed, card.rules["answer"].waived) == (0, 0, 2)
    assert card.rules["answer"].compliance == 1.0
    assert failing(result, "high") == []
    assert [n for n in result.notes if "covered" in n] == [
        f"{tmp_path / 'waivers.yaml'}:1:3: waiver covered 1 finding (answer, acme_support, @bob)",
        f"{tmp_path / 'waivers.yaml'}:7:3: waiver covered 1 finding (answer, acme_support, @carol)",
    ]


def test_a_rule_whose_every_item_is_waived_passes_and_leaves_the_score(tmp_path):
    result = apply_waivers(scenario(tmp_path), waivers(tmp_path, BOB.format(expires="2026-12-31") + CAROL))
    answer = next(r for r in result.rules if r.id == "answer")
    assert (answer.status, answer.figures.checked, answer.figures.waived, answer.figures.compliance) == ("pass", 0, 2, None)
    assert result.summary["score"] == 0.0  # answer-sales alone, at 0 of 1


def test_waiving_one_of_two_failures_leaves_the_other_counted(tmp_path):
    result = apply_waivers(scenario(tmp_path), waivers(tmp_path, CAROL))
    answer = next(r for r in result.rules if r.id == "answer")
    assert (answer.status, answer.figures.checked, answer.figures.failed, answer.figures.waived) == ("fail", 1, 1, 1)
    assert answer.figures.metrics == next(r for r in scenario(tmp_path).rules if r.id == "answer").kind.metrics(
        [c for c in answer.checks if c.counterpart != "carol"])


def test_waivers_recount_report_json(tmp_path):
    import orjson

    from auditor.render import render

    report = orjson.loads(render(apply_waivers(scenario(tmp_path), waivers(tmp_path, CAROL)), "json"))
    answer = next(r for r in report["rules"] if r["id"] == "answer")
    assert (answer["checked"], answer["failed"], answer["waived"], answer["status"]) == (1, 1, 1, "fail")
    card = next(a for a in report["accounts"] if a["handle"] == "acme_support")
    assert (card["findings"], card["rules"]["answer"]["failed"], card["rules"]["answer"]["waived"]) == (1, 1, 1)
    assert report["summary"]["waived"] == 1


def test_the_summary_table_shows_a_waived_column_only_when_something_was_waived(tmp_path):
    from auditor.render.summary import summary_table

    assert " waived " not in summary_table(scenario(tmp_path))
    table = summary_table(apply_waivers(scenario(tmp_path), waivers(tmp_path, CAROL))).splitlines()
    assert table[1].split() == ["rule", "type", "severity", "checked", "failed", "pending", "waived", "compliance",
                                "target", "status"]
    assert table[3].split()[:7] == ["answer", "response_time", "high", "1", "1", "1", "1"]
