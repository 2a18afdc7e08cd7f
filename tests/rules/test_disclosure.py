"""disclosure on small hand-made timelines."""

from __future__ import annotations

import pytest

from tests.factories import policy, post, run


def rule(**options):
    base = {"id": "disclose", "type": "disclosure", "severity": "medium", "applies_to": {"kinds": ["employee"]},
            "when_mentioning": ["Acme", "@acme", "WidgetCo"], "require_any": ["#employee", "I work at Acme"]}
    base.update(options)
    return base


def outcome(result):
    return next(r for r in result.rules if r.id == "disclose")


def judged(tmp_path, text, author="jdoe", **options):
    result = run(policy(tmp_path, [rule(**options)]), post(author, "2026-10-27 09:00", text))
    figures = outcome(result).figures
    return {(0, 0): "not checked", (1, 0): "disclosed", (0, 1): "undisclosed"}[(figures.passed, figures.failed)]


def test_a_mention_without_disclosure_is_a_finding(tmp_path):
    undisclosed = post("jdoe", "2026-10-27 09:00", "Acme Cloud just passed its SOC 2 audit. Big deal!")
    result = run(policy(tmp_path, [rule()]), undisclosed)
    [finding] = result.findings
    assert (finding.account, finding.status, finding.counterpart) == ("jdoe", "violation", None)
    assert finding.message == ('mentions "Acme" without disclosing that they work for the company (none of "#employee", '
                               '"I work at Acme")')
    assert [(e.id, e.role) for e in finding.evidence] == [(undisclosed.id, "undisclosed")]
    assert finding.measure == {"mentioned": "Acme", "require_any": ["#employee", "I work at Acme"]}
    assert outcome(result).figures.metrics == {"posts_mentioning": 1, "disclosed": 0, "undisclosed": 1}


@pytest.mark.parametrize(("text", "expected"), [
    ("#employee Acme Cloud now has a Canadian region!", "disclosed"),
    ("Acme Cloud now has a Canadian region! #Employee", "disclosed"),
    ("i work at ACME, and the offline folders are my favourite", "disclosed"),
    ("Acme's new release is out", "undisclosed"),
    ("Honest comparison: WidgetCo vs the rest", "undisclosed"),
    ("congrats to @acme on the launch", "undisclosed"),
    ("#employees Acme rocks", "undisclosed"),  # another hashtag
    ("I work at Acmeville and love it", "not checked"),
    ("thanks @acme_support for the quick fix", "not checked"),  # a handle is not the name inside it
    ("mail me at jane@acme.com or see https://acme.com/jobs", "not checked"),  # addresses are not talk
    ("pricing at acme.com/pricing", "not checked"),  # nor a link written without its scheme
    ("a lovely day in Toronto", "not checked"),
])
def test_what_mentions_and_what_discloses(tmp_path, text, expected):
    assert judged(tmp_path, text) == expected


def test_applies_to_decides_who_is_audited(tmp_path):
    assert judged(tmp_path, "Acme Cloud is great", author="acme_support") == "not checked"  # a brand account
    assert judged(tmp_path, "Acme Cloud is great", author="acme_support", applies_to=None) == "undisclosed"


def test_reposts_are_not_checked(tmp_path):
    original = post("bob", "2026-10-27 08:00", "Acme Cloud is great")
    repost = post("jdoe", "2026-10-27 09:00", "RT @bob: Acme Cloud is great", repost_of=original.id, mentions=("bob",))
    assert outcome(run(policy(tmp_path, [rule()]), original, repost)).figures.checked == 0


def test_regex_entries(tmp_path):
    assert judged(tmp_path, "Acme Sync 3 is out", when_mentioning=["/acme\\s+sync/"]) == "undisclosed"
    assert judged(tmp_path, "Acme Cloud is out", when_mentioning=["/acme\\s+sync/"]) == "not checked"


# -- employer: a first-person affiliation discloses ----------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("We at Acme just shipped offline folders", "disclosed"),
    ("Here at @acme we ship on Fridays", "disclosed"),
    ("Proud of my colleagues at Acme for this launch", "disclosed"),
    ("I'm the head of sales at Acme: ask me anything about Acme Cloud", "disclosed"),
    ("Acme's team shipped offline folders", "undisclosed"),  # third person
    ("I used to work at Acme and Acme Cloud was my baby", "undisclosed"),  # the past
    ("I'm a happy customer at Acme, Acme Cloud rocks", "undisclosed"),
    ("WidgetCo is slow. I work at Acme, so take it with a grain of salt", "disclosed"),
    ("#employee Acme Cloud is out", "disclosed"),  # require_any still works beside it
])
def test_a_first_person_affiliation_with_the_employer_discloses(tmp_path, text, expected):
    assert judged(tmp_path, text, employer=["Acme", "@acme"]) == expected


def test_employer_alone_is_enough_and_the_finding_says_what_was_looked_for(tmp_path):
    loaded = policy(tmp_path, [rule(require_any=None, employer=["Acme", "@acme"])])
    result = run(loaded, post("jdoe", "2026-10-27 09:00", "Acme's team shipped offline folders"),
                 post("jdoe", "2026-10-27 10:00", "We at Acme shipped offline folders"))
    assert (outcome(result).figures.passed, outcome(result).figures.failed) == (1, 1)
    [finding] = result.findings
    assert finding.message == ('mentions "Acme" without disclosing that they work for Acme '
                               '(no first-person affiliation with "Acme", "@acme")')
    assert finding.measure == {"mentioned": "Acme", "employer": ["Acme", "@acme"]}
    both = run(policy(tmp_path, [rule(employer=["Acme"])]), post("jdoe", "2026-10-27 09:00", "Acme Cloud rocks"))
    assert both.findings[0].message == ('mentions "Acme" without disclosing that they work for Acme (none of "#employee", '
                                        '"I work at Acme"; no first-person affiliation with "Acme")')


def test_we_at_tinybird_discloses_when_tinybird_is_the_employer(tmp_path):
    options = {"when_mentioning": ["Tinybird", "@tinybirdco"], "require_any": ["#employee"]}
    text = "We at Tinybird just shipped Data Branches"
    assert judged(tmp_path, text, **options) == "undisclosed"
    assert judged(tmp_path, text, employer=["Tinybird", "@tinybirdco"], **options) == "disclosed"


@pytest.mark.parametrize(("tweet_id", "expected"), [
    ("1703841412939174260", "disclosed"),  # "Working on a big announcement at Tinybird together with the marketing team..."
    ("1722663842222624904", "undisclosed"),  # "I was curious about the length of Tinybird CLI's integrated help..."
])
def test_real_posts_of_a_tinybird_engineer(tmp_path, tweet_id, expected):
    from auditor.activity.sources.archive import read_archive
    from tests.shared_data import shared

    archive = read_archive(shared("x-archive", "alrocar"))
    [original] = [p for p in archive.posts if p.id == tweet_id]
    events = [post("jdoe", "2026-10-27 09:00", original.text)]
    options = {"when_mentioning": ["Tinybird", "@tinybirdco"], "employer": ["Tinybird", "@tinybirdco"],
               "require_any": None}
    result = run(policy(tmp_path, [rule(**options)]), *events)
    figures = outcome(result).figures
    assert {(1, 0): "disclosed", (0, 1): "undisclosed"}[(figures.passed, figures.failed)] == expected


@pytest.mark.parametrize(("options", "message"), [
    ({"require_any": None}, "give require_any: [...]"),
    ({"employer": []}, "at least 1 item"),
    ({"employer": ["  "]}, "may not be empty"),
    ({"employer": ["/acme/"]}, "not regular expressions"),
])
def test_bad_disclosure_options_are_policy_errors(tmp_path, options, message):
    from auditor.errors import PolicyError

    with pytest.raises(PolicyError) as caught:
        policy(tmp_path, [rule(**options)])
    assert message in str(caught.value)


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme's new dashboard is honestly great (I work here, so I'm biased)", "disclosed"),
    ("Acme engineer here: yes, the outage is fixed", "disclosed"),
    ("We just shipped the new Acme dashboard! So proud of the team", "disclosed"),
    ("We launched Acme Cloud in Canada today", "disclosed"),
    ("We just bought the new Acme dashboard", "undisclosed"),  # a customer's "we"
    ("Acme customer here: the outage is fixed", "undisclosed"),
])
def test_more_first_person_affiliations(tmp_path, text, expected):
    assert judged(tmp_path, text, employer=["Acme", "@acme"]) == expected


def test_handles_x_adds_to_a_reply_are_not_a_mention(tmp_path):
    announcement = post("acme", "2026-10-27 08:00", "Acme Con is next week!")
    friend = post("ana_r", "2026-10-27 08:30", "@acme @jdoe see you there?", reply_to=announcement,
                  mentions=("acme", "jdoe"))
    reply = post("jdoe", "2026-10-27 09:00", "@ana_r @acme Wouldn't miss it, see you there Ana!", reply_to=friend,
                 mentions=("ana_r", "acme"))
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["jdoe"]})]), announcement, friend, reply)
    assert outcome(result).figures.metrics["posts_mentioning"] == 0
    # replying to the company itself, or naming it in the words, still mentions it
    to_acme = post("jdoe", "2026-10-27 09:10", "@acme congrats on the launch!", reply_to=announcement)
    named = post("jdoe", "2026-10-27 09:20", "@ana_r @acme Acme Con is the best, see you", reply_to=friend,
                 mentions=("ana_r", "acme"))
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["jdoe"]})]), announcement, friend, to_acme, named)
    assert outcome(result).figures.metrics["posts_mentioning"] == 2


def test_a_handle_typed_at_the_start_of_a_reply_is_a_mention(tmp_path):
    question = post("bob", "2026-10-27 08:30", "where do I find good deals?")
    typed = post("jdoe", "2026-10-27 09:00", "@bob @acme has the best deals this week", reply_to=question,
                 mentions=("bob", "acme"))
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["jdoe"]})]), question, typed)
    assert outcome(result).figures.metrics["posts_mentioning"] == 1


def test_a_company_handle_typed_as_the_subject_or_after_a_greeting_is_a_mention_without_the_parent(tmp_path):
    from msgspec.structs import replace as replaced

    orphan = replaced(post("jdoe", "2026-10-27 09:00", "@bob @acme has 40% off this week", mentions=("bob", "acme")),
                      in_reply_to="999", in_reply_to_author="bob")
    hey = replaced(post("jdoe", "2026-10-27 09:10", "Hey @acme, love the new dashboard", mentions=("acme",)),
                   in_reply_to="998", in_reply_to_author="bob")
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["jdoe"]})]), orphan, hey)
    assert outcome(result).figures.metrics["posts_mentioning"] == 2


# -- languages ----------------------------------------------------------------------------------
# shared/data/x-archive (alrocar): "En Tinybird tenemos..." ("At Tinybird we have...") says in Spanish what "We at
# Tinybird" says in English, and 35 of 38 findings of 2024 were such posts.


@pytest.mark.parametrize("lang", ["es", None, "en"])
def test_a_post_in_another_language_that_may_disclose_in_its_words_is_not_judged(tmp_path, lang):
    text = "En Acme tenemos un equipo de ingeniería fantástico y estamos contratando en Madrid y Barcelona"
    options = {"employer": ["Acme"]}
    result = run(policy(tmp_path, [rule(**options)]), post("jdoe", "2026-10-27 09:00", text, lang=lang))
    figures = outcome(result).figures
    assert (figures.checked, figures.failed) == (0, 0) and result.findings == ()
    assert figures.metrics == {"posts_mentioning": 1, "disclosed": 0, "undisclosed": 0, "not_scored": {"language": 1},
                               "note": '1 post in other languages (es 1) not judged: a disclosure in their words '
                                       '("we at ...") is read in English only'}
    assert judged(tmp_path, "At Acme we have a fantastic engineering team and we are hiring in Madrid",
                  require_any=["#employee"]) == "undisclosed"


def test_an_english_post_the_source_tags_as_another_language_is_judged(tmp_path):
    # shared/data/x-archive (andreruffert): X tagged "Essential JavaScript Design Patterns" Catalan.
    text = "Essential Acme Design Patterns: a free book on how we structure the Acme dashboard code"
    result = run(policy(tmp_path, [rule(employer=["Acme"])]), post("jdoe", "2026-10-27 09:00", text, lang="ca"))
    assert outcome(result).figures.failed == 1


def test_where_only_hashtags_disclose_any_language_is_judged(tmp_path):
    text = "En Acme tenemos un equipo de ingeniería fantástico y estamos contratando en Madrid y Barcelona"
    result = run(policy(tmp_path, [rule(require_any=["#employee", "#empleado"])]),
                 post("jdoe", "2026-10-27 09:00", text, lang="es"))
    assert outcome(result).figures.failed == 1
