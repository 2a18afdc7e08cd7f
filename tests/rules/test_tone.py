"""tone, check by check, on small hand-made timelines."""

from __future__ import annotations

import pytest

from auditor.errors import PolicyError
from auditor.rules import tone
from tests.factories import dm, policy, post, run


def rule(checks, **options):
    base = {"id": "tone", "type": "tone", "severity": "medium", "checks": checks}
    base.update(options)
    return base


def outcome(result):
    return next(r for r in result.rules if r.id == "tone")


def messages(result):
    return [f.message for f in result.findings]


def test_profanity_is_quoted_and_scunthorpe_is_clean(tmp_path):
    question = post("bob", "2026-10-14 15:00", "@lchen which limit is right?", mentions=("lchen",))
    rude = post("lchen", "2026-10-14 15:40", "@bob read the f***ing docs", reply_to=question)
    clean = post("lchen", "2026-10-14 16:00", "Greetings from Scunthorpe, and a class assessment in Dickens!")
    result = run(policy(tmp_path, [rule({"profanity": True})]), question, rude, clean)
    figures = outcome(result).figures
    assert (figures.checked, figures.passed, figures.failed) == (2, 1, 1)
    [finding] = result.findings
    assert (finding.status, finding.counterpart) == ("violation", "bob")
    assert finding.message == 'profanity: "f***ing" (reply to @bob)'
    assert [(e.id, e.role) for e in finding.evidence] == [(rude.id, "offending")]
    assert finding.measure == {"checks": ["profanity"], "profanity": {"words": ["f***ing"]}}


def test_profanity_allow_list(tmp_path):
    damn = post("jdoe", "2026-10-14 15:00", "damn, that release was fast")
    assert outcome(run(policy(tmp_path, [rule({"profanity": {"allow": ["Damn"]}})]), damn)).figures.failed == 0
    assert outcome(run(policy(tmp_path, [rule({"profanity": True})]), damn)).figures.failed == 1


def test_toxicity_is_scored_in_one_batched_call(tmp_path, monkeypatch):
    calls = []

    def fake_scores(texts):
        calls.append(list(texts))
        return [0.99 if "idiot" in t else 0.1 for t in texts]

    monkeypatch.setattr(tone, "toxicity_scores", fake_scores)
    posts = [post("jdoe", f"2026-10-05 1{n}:00", text) for n, text in
             enumerate(["you are an idiot", "have a nice day", "have a nice day", "see you soon"])]
    result = run(policy(tmp_path, [rule({"toxicity": True})]), *posts)
    assert calls == [["you are an idiot", "have a nice day", "see you soon"]]  # once, each distinct text once
    [finding] = result.findings
    assert finding.message == "toxicity: offensive-language score 0.99 (above 0.81)"
    strict = run(policy(tmp_path, [rule({"toxicity": {"above": 0.05}})]), *posts)
    assert outcome(strict).figures.failed == 4


def test_toxicity_with_the_real_classifier(tmp_path):
    insult = post("jdoe", "2026-10-05 10:00", "fuck you, you stupid bitch")
    kind = post("jdoe", "2026-10-05 11:00", "Thanks for waiting, the fix ships tomorrow.")
    result = run(policy(tmp_path, [rule({"toxicity": True})]), insult, kind)
    assert [f.measure["toxicity"]["score"] > 0.95 for f in result.findings] == [True]


def test_negativity_defaults_to_the_threshold_of_docs_detectors(tmp_path):
    support_talk = post("jdoe", "2026-10-05 10:00", "The crash was caused by a bad driver; reinstall it.")  # -0.74
    assert outcome(run(policy(tmp_path, [rule({"negativity": True})]), support_talk)).figures.failed == 0
    assert outcome(run(policy(tmp_path, [rule({"negativity": {"below": -0.6}})]), support_talk)).figures.failed == 1


def test_negativity_below_the_threshold(tmp_path):
    grim = post("jdoe", "2026-10-05 10:00", "This is a terrible, awful, horrible day. I hate everything.")
    mild = post("jdoe", "2026-10-05 11:00", "Not the best day, but fine.")
    result = run(policy(tmp_path, [rule({"negativity": {"below": -0.6}})]), grim, mild)
    [finding] = result.findings
    assert finding.measure["checks"] == ["negativity"]
    assert finding.message.startswith("negativity: sentiment -0.")
    # The words that carried the score are quoted, as every check quotes what it found.
    assert finding.message.endswith('(below -0.6): "terrible", "awful", "horrible", "hate"')
    assert finding.measure["negativity"]["sentiment"] < -0.6
    assert finding.measure["negativity"]["words"] == ["terrible", "awful", "horrible", "hate"]


def test_no_as_a_list_marker_is_no_negativity(tmp_path):
    # shared/data/x-archive (alrocar): VADER weighs "no" at -1.2; without the word "No" this post scores 0.000.
    listing = post("jdoe", "2026-10-05 10:00", "12 signs a data team is out of control: · NoSQL · No code · No tests · "
                   "Spaghetti SQL · No namespaces · Orphan pipelines")
    still = post("jdoe", "2026-10-05 11:00", "No, this release is awful and I hate it.")
    hostile = post("jdoe", "2026-10-05 12:00", "@bob No one asked you. Stop whining.")
    result = run(policy(tmp_path, [rule({"negativity": {"below": -0.6}})]), listing, still, hostile)
    assert [e.id for f in result.findings for e in f.evidence] == [still.id, hostile.id]


def test_negativity_quotes_the_grim_words_not_the_apology_beside_them(tmp_path):
    reply = post("jdoe", "2026-10-05 10:00", "Sorry, but this is pathetic and ridiculous, a sad joke of a complaint.")
    result = run(policy(tmp_path, [rule({"negativity": {"below": -0.6}})]), reply)
    [finding] = result.findings
    assert "pathetic" in finding.measure["negativity"]["words"] and "Sorry" not in finding.measure["negativity"]["words"]


def test_negativity_spares_apologies_and_sympathy(tmp_path):
    """An apology is professional: VADER's "sorry" and "frustration" are not the employee's negativity."""
    question = post("bob", "2026-10-05 09:00", "@jdoe the app ate my order again", mentions=("jdoe",))
    apology = post("jdoe", "2026-10-05 10:00", "@bob We're sorry for your frustration. Any damage must be assessed "
                   "in person within 24 hours of arrival.", reply_to=question)  # -0.77 as written
    rude = post("jdoe", "2026-10-05 11:00", "@bob Sorry, but this is a terrible, awful product and I hate it.",
                reply_to=question)
    result = run(policy(tmp_path, [rule({"negativity": {"below": -0.6}})]), question, apology, rude)
    figures = outcome(result).figures
    assert (figures.checked, figures.failed) == (2, 1)
    [finding] = result.findings
    assert [e.id for e in finding.evidence] == [rude.id]
    assert finding.measure["negativity"]["sentiment"] < -0.6


def test_shouting_but_not_acronyms(tmp_path):
    shout = post("jdoe", "2026-10-05 10:00", "I ALREADY EXPLAINED THIS TWICE. CLEAR YOUR CACHE.")
    acronyms = post("jdoe", "2026-10-05 11:00", "NASA, IBM and the FBI use our API and SDK via AWS")
    short = post("jdoe", "2026-10-05 12:00", "WOW THANKS")
    result = run(policy(tmp_path, [rule({"shouting": {"caps_ratio": 0.7, "min_letters": 12}})]), shout, acronyms, short)
    assert messages(result) == ['shouting: "I ALREADY EXPLAINED THIS TWICE. CLEAR YOUR CACHE"']
    assert outcome(result).figures.checked == 3


def test_banned_phrases_and_regexes(tmp_path):
    checks = {"banned": ["not my problem", "/\\bwhatever\\b/"]}
    one = post("jdoe", "2026-10-05 10:00", "Honestly that's NOT my   problem.")
    two = post("jdoe", "2026-10-05 11:00", "run it as admin or Whatever")
    fine = post("jdoe", "2026-10-05 12:00", "not my problems to solve, whateverland")
    result = run(policy(tmp_path, [rule(checks)]), one, two, fine)
    assert messages(result) == ['banned: "NOT my problem"', 'banned: "Whatever"']  # quoted on one line
    assert result.findings[0].measure == {"checks": ["banned"], "banned": {"words": ["NOT my   problem"]}}


def test_a_banned_word_inside_a_handle_or_a_link_is_not_the_posts_own(tmp_path):
    checks = {"banned": ["/\\bwhatever\\b/", "@badbrand"]}
    handle = post("jdoe", "2026-10-05 10:00", "@whatever_shop thanks for the order!", mentions=("whatever_shop",))
    link = post("jdoe", "2026-10-05 11:00", "All you need: https://acme.example/whatever-you-need")
    named = post("jdoe", "2026-10-05 12:00", "Shout-out to @badbrand")  # an entry that is a whole handle counts
    address = post("jdoe", "2026-10-05 13:00", "Write to whatever@acme.example for a quote")
    bare = post("jdoe", "2026-10-05 14:00", "Plans for every need: acme.example/whatever-you-need")
    result = run(policy(tmp_path, [rule(checks)]), handle, link, named, address, bare)
    assert messages(result) == ['banned: "@badbrand"']


@pytest.mark.parametrize(("text", "found"), [
    ("Honestly WidgetCo's product is garbage and their support is awful",
     'competitors: disparages "WidgetCo": "WidgetCo\'s product is garbage"'),
    ("WidgetCo is a joke, never buy from them", 'competitors: disparages "WidgetCo": "WidgetCo is a joke"'),
    ("WidgetCo is trash", 'competitors: disparages "WidgetCo": "WidgetCo is trash"'),
    ("Tried WidgetCo last year, never buy from them!", 'competitors: disparages "WidgetCo": "never buy from them"'),
    ("Avoid WidgetCo.", 'competitors: disparages "WidgetCo": "Avoid WidgetCo"'),
    ("@widgetco is a total scam", 'competitors: disparages "@widgetco": "@widgetco is a total scam"'),
    ("WidgetCo's sync is garbage and their support is awful. Stop wasting your time and switch to Acme.",
     'competitors: disparages "WidgetCo": "WidgetCo\'s sync is garbage"'),
    ("I hate how WidgetCo treats people, it is sad and cruel.",
     'competitors: negative sentence naming "WidgetCo" (sentiment -0.89, below -0.5)'),
    # a rhetorical question, a rumour passed on, and a verdict on their work with us beside it
    ("Why is WidgetCo such a scam?",
     'competitors: negative sentence naming "WidgetCo" (sentiment -0.57, below -0.5)'),
    ("Some say WidgetCo is a scam, and they are right.", 'competitors: disparages "WidgetCo": "WidgetCo is a scam"'),
    ("Some say WidgetCo is a scam; we agree.", 'competitors: disparages "WidgetCo": "WidgetCo is a scam"'),
    ("Is WidgetCo a scam? Yes, absolutely.",
     'competitors: negative sentence naming "WidgetCo" (sentiment -0.57, below -0.5)'),
    ("Our WidgetCo integration was a mess because WidgetCo is garbage.",
     'competitors: disparages "WidgetCo": "WidgetCo is garbage"'),
])
def test_competitors_disparaged_by_the_lexicon_or_a_negative_sentence(tmp_path, text, found):
    result = run(policy(tmp_path, [rule({"competitors": ["WidgetCo", "@widgetco"]})]), post("jdoe", "2026-10-05 10:00", text))
    assert messages(result) == [found]


@pytest.mark.parametrize("text", [
    "WidgetCo is not a scam",
    "WidgetCo isn't garbage, it's just a different trade-off.",
    "Our honest comparison of Acme and WidgetCo, pros and cons included.",
    "Avoid WidgetCo import timeouts: update to 5.2",
    "Our WidgetCo importer has a bug: a fix ships today.",
    "WidgetCo's garbage collector tuning guide is great",
    "Congrats to WidgetCo on the launch! Our outage yesterday was terrible, awful, sorry.",
    # a denial framing the verdict, and sympathy for the customer
    "I would never say WidgetCo is garbage", "Nobody here thinks WidgetCo is a scam",
    "It's wrong to claim WidgetCo is a scam", "Sorry to hear the WidgetCo outage hit you, that's awful",
    # a verdict denied after it, asked rather than said, or about our own work; an outage shared, with sympathy
    "Rumours that WidgetCo is going bankrupt are false as far as we know.",
    "Some say WidgetCo is a scam; we don't agree.", "Is WidgetCo a scam? No, they're a legit company.",
    "Our old WidgetCo integration was a mess, the new one is solid.",
    "WidgetCo and Acme both had the outage, awful day for everyone, sorry!",
])
def test_competitors_named_without_disparaging_them(tmp_path, text):
    result = run(policy(tmp_path, [rule({"competitors": ["WidgetCo", "@widgetco"]})]), post("jdoe", "2026-10-05 10:00", text))
    assert result.findings == ()


def test_one_post_failing_two_checks_is_one_finding_that_names_both(tmp_path):
    question = post("bob", "2026-10-14 15:00", "@lchen which limit?", mentions=("lchen",))
    rude = post("lchen", "2026-10-14 15:40", "not my problem, read the f***ing docs", reply_to=question)
    result = run(policy(tmp_path, [rule({"profanity": True, "banned": ["not my problem"], "shouting": True})]),
                 question, rude)
    figures = outcome(result).figures
    assert (figures.checked, figures.failed) == (1, 1)
    [finding] = result.findings
    assert finding.message == 'profanity: "f***ing"; banned: "not my problem" (reply to @bob)'
    assert finding.measure == {"checks": ["profanity", "banned"], "profanity": {"words": ["f***ing"]},
                               "banned": {"words": ["not my problem"]}}
    assert figures.metrics == {"posts": 1, "dms": 0, "flagged": 1,
                               "by_check": {"profanity": 1, "shouting": 0, "banned": 1},
                               "not_scored": {"language": 0}}


def test_the_fingerprint_is_the_posts_whichever_checks_trip(tmp_path):
    rude = post("lchen", "2026-10-14 15:40", "not my problem, read the f***ing docs")
    one = run(policy(tmp_path, [rule({"profanity": True})]), rude)
    two = run(policy(tmp_path, [rule({"profanity": True, "banned": ["not my problem"]})]), rude)
    assert [f.fingerprint for f in one.findings] == [f.fingerprint for f in two.findings]


def test_reposts_and_other_peoples_posts_are_not_checked(tmp_path):
    theirs = post("bob", "2026-10-05 10:00", "this shit is great")
    repost = post("jdoe", "2026-10-05 11:00", "RT @bob: this shit is great", repost_of=theirs.id, mentions=("bob",))
    result = run(policy(tmp_path, [rule({"profanity": True})]), theirs, repost)
    assert outcome(result).figures.checked == 0


def test_dms_only_with_include_dms_and_their_words_are_not_quoted(tmp_path):
    message = dm("jdoe", "bob", "2026-10-05 10:00", "what the fuck do you want")
    assert outcome(run(policy(tmp_path, [rule({"profanity": True})]), message)).figures.checked == 0
    result = run(policy(tmp_path, [rule({"profanity": True}, include_dms=True)]), message)
    [finding] = result.findings
    assert finding.message == "profanity: in a DM to @bob (words withheld; DMs are private)"
    assert "fuck" not in finding.message and finding.measure == {"checks": ["profanity"], "profanity": {}}
    assert [(e.type, e.role) for e in finding.evidence] == [("dm", "offending")]
    assert outcome(result).figures.metrics["dms"] == 1


def test_a_dms_negativity_quotes_its_score_not_its_words(tmp_path):
    message = dm("jdoe", "bob", "2026-10-05 10:00", "This is a terrible, awful, horrible day. I hate everything.")
    result = run(policy(tmp_path, [rule({"negativity": {"below": -0.6}}, include_dms=True)]), message)
    [finding] = result.findings
    assert finding.message.startswith("negativity: in a DM to @bob (sentiment -0.")
    assert finding.message.endswith("(below -0.6); DMs are private)")
    assert "terrible" not in finding.message and "words" not in finding.measure["negativity"]


def test_only_posts_in_the_period_are_checked(tmp_path):
    before = post("jdoe", "2026-09-30 23:00-04:00", "shit")
    inside = post("jdoe", "2026-10-31 23:00-04:00", "shit")
    after = post("jdoe", "2026-11-01 00:00-04:00", "shit")
    result = run(policy(tmp_path, [rule({"profanity": True})]), before, inside, after)
    assert [f.evidence[0].id for f in result.findings] == [inside.id]


@pytest.mark.parametrize(("checks", "message"), [
    ({}, "turn on at least one check"),
    ({"profanity": False}, "turn on at least one check"),
    ({"banned": ["/(a+/"]}, "invalid regular expression"),
    ({"toxicity": {"above": 2}}, "less than or equal to 1"),
    ({"shouting": {"ratio": 0.5}}, "unknown key 'ratio'"),
])
def test_bad_checks_are_policy_errors(tmp_path, checks, message):
    with pytest.raises(PolicyError) as caught:
        policy(tmp_path, [rule(checks)])
    assert any(message in line for line in caught.value.lines()), caught.value.lines()


def test_the_workers_send_back_only_the_texts_where_something_was_found(tmp_path, monkeypatch):
    # A month has hundreds of thousands of clean texts: each sent back from a worker as an object of
    # its own (pickling keeps no singleton) was held by this process until the rule ended.
    from auditor import speedups

    monkeypatch.setattr(speedups, "PARALLEL_MIN_ITEMS", 10)
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    [loaded_rule] = policy(tmp_path, [rule({"profanity": True, "shouting": True})]).policy.rules
    # A text is its own key when its source gave no language, else (text, language).
    keys: list = [f"Thanks for the update number {n}, see you soon" for n in range(40)]
    keys += ["read the f***ing docs", ("WHY DOES NOBODY EVER ANSWER US HERE", "en")]
    with speedups.worker_pool():
        verdicts = loaded_rule._verdicts(keys)
    assert list(verdicts) == keys[-2:]
    assert [hit.check for verdict in verdicts.values() for hit in verdict.hits] == ["profanity", "shouting"]


def _metrics_check_by_check(model, checks):
    """The tone metrics as the contract words them, one check and one count at a time (the rule counts in one pass)."""
    from collections import Counter

    by_check = Counter(name for check in checks for draft in check.findings for name in draft.measure["checks"])
    skipped = sum(c.counts.get("not_scored_language", 0) for c in checks)
    languages = Counter()
    for check in checks:
        for key, n in check.counts.items():
            if key.startswith("language:"):
                languages[key.split(":", 1)[1]] += n
    return {"posts": sum(c.counts.get("posts", 0) for c in checks), "dms": sum(c.counts.get("dms", 0) for c in checks),
            "flagged": sum(1 for c in checks if c.status == "failed"),
            "by_check": {name: by_check[name] for name in model.checks.enabled()},
            "skipped": skipped, "languages": dict(languages)}


@pytest.mark.parametrize("seed", range(30))
def test_metrics_count_as_check_by_check(seed):
    import random
    from datetime import datetime, timezone

    from auditor.rules.base import Check, Draft

    rng = random.Random(seed)
    model = tone.ToneRule.model_validate(rule({"profanity": True, "shouting": True, "toxicity": rng.random() < 0.5}))
    at = datetime(2026, 10, 14, tzinfo=timezone.utc)
    checks = []
    for _ in range(rng.randrange(0, 80)):
        kind = rng.choice(["posts", "dms"])
        shared = tone._ONE_POST if kind == "posts" else tone._ONE_DM
        language = rng.choice(["es", "de", "ja"])
        counts = rng.choice([shared, shared, dict(shared), {kind: 1, "not_scored_language": 1, f"language:{language}": 1}])
        drafts = ()
        if rng.random() < 0.3:
            names = rng.sample(["profanity", "shouting", "toxicity"], rng.randrange(1, 3))
            drafts = (Draft("violation", "m", (), {"checks": names}),)
        checks.append(Check("lchen", at, "failed" if drafts else "passed", "bob", None, drafts, counts))
    expected = _metrics_check_by_check(model, checks)
    got = model.metrics(checks)
    assert {key: got[key] for key in ("posts", "dms", "flagged", "by_check")} == {
        key: expected[key] for key in ("posts", "dms", "flagged", "by_check")}
    assert got["not_scored"] == {"language": expected["skipped"]}
    for language, n in expected["languages"].items():
        assert f"{language} {n}" in got["note"]
    assert ("note" in got) == bool(expected["skipped"])


def test_a_banned_pattern_that_matches_the_end_of_a_clause_quotes_the_words(tmp_path):
    checks = {"banned": ["/\\bwhatever\\s*(?:[.!?,;:]|$)/"]}
    result = run(policy(tmp_path, [rule(checks)]), post("jdoe", "2026-10-05 10:00", "run it as admin or whatever, ok"),
                 post("jdoe", "2026-10-05 11:00", "use whatever works for you"))
    assert messages(result) == ['banned: "whatever"']
