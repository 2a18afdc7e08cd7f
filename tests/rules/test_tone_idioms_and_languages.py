"""tone: harmless idioms are set aside, and the English-only checks skip posts in other languages."""

from __future__ import annotations

import pytest

from auditor.rules import tone
from tests.factories import policy, post, run
from tests.rules.test_tone import messages, outcome, rule

ENGLISH_ONLY = {"profanity": True, "toxicity": True, "negativity": {"below": -0.5}}


@pytest.mark.parametrize("text", [
    "Finally out of dependency hell after the 5.0 upgrade",
    "Callback hell is why we moved to async/await",
    "Remember DLL hell? Our installer fixes that.",
    "Config hell, solved: one file for every environment",
    "What a hell of a launch, thank you all!",
    # real tweets of shared/data/x-archive, each above the classifier's cut as written (0.93, 0.84, 0.82)
    "Crazy thing! https://t.co/Abw9H9QhWR",
    '"In writing, you must kill your darlings"',
    "@kahlillechelt heheee natürlich ;) Crazy thing!",
    "What a crazy week!",  # 0.85 as written
    "That is crazy!",
    # success and mild annoyance, read as hostile word by word (negativity -0.78, the classifier 0.90)
    "We're killing it at the conference today 🔥", "Our new product kills it",
    "I hate to say it but this bug is a pain in the neck", "Our prices are insanely low, crazy deals",
    "Our pussy willow print is back in stock 🌿",
    # words of the list in a trade's, a naturalist's or a name's sense
    "Say goodbye to finger pricks: our new glucose monitor is here", "We spotted blue tits and great tits today",
    "Use a bastard file to smooth the edges", "Flask-WTF 1.2 is out", "Practise on DVWA (Damn Vulnerable Web Application)",
    "The new sea dyke protects 10,000 homes", "Add a retarder to retard the set of the concrete in hot weather",
    # praise and plain talk the classifier or the sentiment reads as hostile
    "Our new phone is stupid fast", "Stupid simple setup: plug it in", "Our network is a dumb pipe by design",
    "No such thing as a stupid question. Ask away!", "Dead simple: drag, drop, done.",
    "Messages go to the dead letter queue, where you can inspect and replay them.",
    "If the app is stuck, kill the process and restart it", "Our support team is crushing it this week",
    # real tweets of shared/data: "kick ass" is praise, and a film; "kill time" waits
    "Kick Ass! You can now create files on GitHub", "congratulations for that kick ass relaunch, nice!",
    "Kick-ass results from the team this quarter", "Watched Kick Ass today with the GF, great film :-)",
    "Need something to kill time on your flight? Check out our new playlists.",
    "Probably gonna have to kill some time between getting outta work and meeting my dad",
    # 🔥 is praise: VADER reads it as fire (-0.77, -0.74)
    "looks so so good 🔥🔥🔥🔥🔥", "Our new fall collection just dropped 🔥🔥🔥",
])
def test_harmless_idioms_are_no_finding_by_default(tmp_path, text):
    result = run(policy(tmp_path, [rule(ENGLISH_ONLY)]), post("jdoe", "2026-10-05 10:00", text))
    assert result.findings == (), messages(result)


def test_the_policy_can_turn_the_idiom_exemption_off(tmp_path):
    text = post("jdoe", "2026-10-05 10:00", "Finally out of dependency hell")
    result = run(policy(tmp_path, [rule({"profanity": True}, exempt_idioms=False)]), text)
    assert messages(result) == ['profanity: "hell"']


@pytest.mark.parametrize("text", ["you are crazy", "crazy people everywhere", "That is crazy, you idiots"])
def test_crazy_of_a_person_is_still_read_by_the_classifier(tmp_path, text):
    result = run(policy(tmp_path, [rule({"toxicity": True})]), post("jdoe", "2026-10-05 10:00", text))
    assert len(result.findings) == 1


@pytest.mark.parametrize("text", [
    "I'll kick your ass", "gonna kick their ass tomorrow", "This place is a dumpster fire 🔥", "burn in hell 🔥🔥",
    "go kill yourself", "kill them all", "I want to kill you, kill time my ass", "lol ok 🔥🔥🔥 go cry about it",
])
def test_threats_and_grim_fire_are_still_found(tmp_path, text):
    result = run(policy(tmp_path, [rule(ENGLISH_ONLY)]), post("jdoe", "2026-10-05 10:00", text))
    assert len(result.findings) == 1, text


@pytest.mark.parametrize("text", ["Go to hell", "What the hell is this release", "Hell yeah, launch day!"])
def test_hell_outside_the_idioms_is_still_profanity(tmp_path, text):
    result = run(policy(tmp_path, [rule({"profanity": True})]), post("jdoe", "2026-10-05 10:00", text))
    assert len(result.findings) == 1


def test_idioms_are_set_aside_before_the_classifier_reads_the_post(tmp_path, monkeypatch):
    read = []
    monkeypatch.setattr(tone, "toxicity_scores", lambda texts: read.extend(texts) or [0.0] * len(texts))
    run(policy(tmp_path, [rule({"toxicity": True})]), post("jdoe", "2026-10-05 10:00", "Out of callback hell at last"))
    assert read == ["Out of " + " " * len("callback hell") + " at last"]


def test_spanish_is_not_scored_by_the_english_checks(tmp_path):
    spanish = post("jdoe", "2026-10-05 10:00", "Dupliqué sin darme cuenta una tabla")  # VADER alone: -0.80
    result = run(policy(tmp_path, [rule(ENGLISH_ONLY)]), spanish)
    assert result.findings == ()
    figures = outcome(result).figures
    assert (figures.checked, figures.passed) == (1, 1)
    assert figures.metrics["not_scored"] == {"language": 1}
    assert figures.metrics["note"] == ("1 item in other languages (es 1) not scored by profanity, toxicity, "
                                       "negativity: those checks read English only.")


def test_the_sources_lang_decides_before_the_detector(tmp_path):
    english_words = post("jdoe", "2026-10-05 10:00", "this is shit", lang="de")
    said_english = post("jdoe", "2026-10-05 11:00", "Dupliqué sin darme cuenta una tabla, shit", lang="en")
    unknown = post("jdoe", "2026-10-05 12:00", "shit", lang="und")
    result = run(policy(tmp_path, [rule({"profanity": True})]), english_words, said_english, unknown)
    assert [f.evidence[0].id for f in result.findings] == [said_english.id, unknown.id]
    assert outcome(result).figures.metrics["not_scored"] == {"language": 1}


def test_banned_shouting_and_competitor_names_apply_to_every_language(tmp_path):
    checks = {**ENGLISH_ONLY, "banned": ["no es mi problema"], "shouting": True, "competitors": ["WidgetCo"]}
    posts = [post("jdoe", "2026-10-05 10:00", "Eso no es mi problema, pregunta al banco", lang="es"),
             post("jdoe", "2026-10-05 11:00", "NO VAMOS A DEVOLVER EL DINERO NUNCA MAS", lang="es"),
             post("jdoe", "2026-10-05 12:00", "WidgetCo is a scam, nunca compres ahí", lang="es")]
    result = run(policy(tmp_path, [rule(checks)]), *posts)
    assert [f.measure["checks"] for f in result.findings] == [["banned"], ["shouting"], ["competitors"]]


def test_a_german_support_reply_is_not_scored_by_the_classifier(tmp_path, monkeypatch):
    read = []
    monkeypatch.setattr(tone, "toxicity_scores", lambda texts: read.extend(texts) or [0.99] * len(texts))
    german = post("jdoe", "2026-10-05 10:00", "Vielen Dank für Ihre Geduld, wir melden uns per DM.")
    result = run(policy(tmp_path, [rule({"toxicity": True})]), german)
    assert read == [] and result.findings == ()


@pytest.mark.parametrize("text", [
    "while you dipshits are at it, tabloid garbage", "putting an end to these fuckwits", "they are both scumbags",
    "every single libtard pusher", "what a bunch of asshats",
])
def test_plurals_of_listed_insults_are_profanity(tmp_path, text):
    result = run(policy(tmp_path, [rule({"profanity": True})]), post("jdoe", "2026-10-05 10:00", text))
    assert messages(result) and messages(result)[0].startswith("profanity:"), text
