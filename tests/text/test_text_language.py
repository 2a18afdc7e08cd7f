"""The language detector: the batch reader gives py3langid's own answers, faster."""

from __future__ import annotations

import csv
import functools

import pytest

from auditor.activity.sources.archive import read_archive
from auditor.text import language
from auditor.text.spans import EMAIL_RE, HANDLE_RE, URL_RE
from tests.shared_data import shared


@functools.lru_cache(maxsize=1)
def _reference():
    """py3langid's own identifier, on the candidate languages (the detector keeps only its encoder)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(language._CANDIDATES)
    return identifier


def _one_at_a_time(text: str) -> str | None:
    """py3langid's `classify`, one text a call: what `detect_many` must equal."""
    cleaned = language._NOISE.sub(" ", HANDLE_RE.sub(" ", EMAIL_RE.sub(" ", URL_RE.sub(" ", text))))
    if not any(c.isalpha() for c in cleaned):
        return None
    found, probability = _reference().classify(cleaned)
    return found if probability >= language.CONFIDENT else None


def _real_texts() -> list[str]:
    texts = [post.text for name in ("alrocar", "andreruffert", "larsbrinkhoff")
             for post in read_archive(shared("x-archive", name)).posts]
    with open(shared("twcs", "twcs-rows-0-2499.csv"), encoding="utf-8", newline="") as rows:
        texts += [row["text"] for row in csv.DictReader(rows) if row["text"]]
    return list(dict.fromkeys(texts))


def test_the_batch_gives_py3langids_answers_on_real_tweets_in_several_languages():
    texts = _real_texts()
    batch = language.detect_many(texts)
    reference = [_one_at_a_time(text) for text in texts]
    assert batch == reference
    found = set(batch)
    assert {"en", "es", "de", None} <= found  # the comparison covered more than English


@pytest.mark.parametrize(("text", "expected"), [
    ("Dupliqué sin darme cuenta una tabla de la base de datos", "es"),
    ("Vielen Dank für die schnelle Antwort, das Problem ist gelöst", "de"),
    ("Thanks so much for getting back to me, the refund arrived today", "en"),
    ("@acme https://t.co/abc #x", None),  # nothing but handles, links and tags: nothing to read
    ("", None),
    ("ok", None),  # too little to be sure
])
def test_detect_one_text(text, expected):
    assert language.detect(text) == expected


def test_languages_of_takes_the_sources_word_first_and_keeps_the_order():
    items = [("Thanks a lot, that fixed it for me", None), ("whatever", "pt-BR"), ("🙂", None),
             ("Muchas gracias por la ayuda con mi pedido de ayer", "und")]
    assert language.languages_of(items) == ["en", "pt", None, "es"]


def test_texts_of_very_different_lengths_in_one_batch():
    long = "The delivery was late again and nobody at the store could tell me why. " * 40
    texts = ["Gracias por todo, muy amables", long, "x", "Danke schön für die Hilfe heute"] * 300
    assert language.detect_many(texts) == [_one_at_a_time(text) for text in texts]


def _every_mask(text: str) -> str:
    return language._NOISE.sub(" ", HANDLE_RE.sub(" ", EMAIL_RE.sub(" ", URL_RE.sub(" ", text))))


@pytest.mark.parametrize("text", [
    "plain words only",
    "see https://t.co/abc?x=@y and WWW.Example.com/a#b",
    "mail jo.smith+x@mail.example.co.uk or @acme_help #refund",
    "a@b c@d.e f@g.hi @@twice me@x.io@y",
    "&amp; &lt;3 &#8217; #tag & # hash",
    "HTTP://SHOUT.EXAMPLE/path and hxxp://not-a-link",
    "Ünïcödé @ställe https://ex.ample/ü café@exämple.de",
    "",
])
def test_the_readable_part_skips_only_masks_that_cannot_match(text):
    assert language.readable_part(text) == _every_mask(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("123 !!! ...", False), ("a", True), ("Z9", True), ("١٢٣", False), ("ü", True), ("日本", True), ("", False),
])
def test_a_letter_is_found_in_ascii_and_in_other_scripts(text, expected):
    assert language._has_letter(text) is expected
    assert language._has_letter(text) is any(c.isalpha() for c in text)


def test_a_complaint_is_not_read_only_where_another_language_is_sure():
    from auditor.text.language import reads_as_english

    spanish = ("Hola @AppleSupport necesito urgente la actualización de software. La batería me dura literal medio "
               "día 🙍🏼", None)
    short = [("@acme_support horrible horrible", None), ("@acme_support fail fail fail", None)]
    read = reads_as_english([spanish, *short])
    assert read[spanish] is False and all(read[item] for item in short)
