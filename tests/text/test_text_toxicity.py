import csv
import hashlib
import math
from concurrent.futures import ProcessPoolExecutor
from importlib.resources import files
from multiprocessing import get_context

import pytest

from auditor.text import toxicity, transformer


@pytest.fixture(autouse=True)
def fresh_cache():
    toxicity.clear_cache()
    yield
    toxicity.clear_cache()


def brand_replies() -> list[str]:
    from tests.shared_data import shared

    with shared("twcs", "twcs-rows-0-2499.csv").open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle) if row["inbound"] == "False"]


def test_scores_in_input_order():
    scores = toxicity.toxicity_scores(["Thanks for your patience!", "fuck you, you stupid bitch"])
    assert len(scores) == 2
    assert scores[0] < 0.5 < scores[1]
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)


def test_one_batched_call_per_list_and_cache(monkeypatch):
    calls = []

    def fake_predict_prob(texts):
        calls.append(list(texts))
        return [len(t) / 100 for t in texts]

    monkeypatch.setattr(toxicity, "_predict_prob", lambda: fake_predict_prob)
    assert toxicity.toxicity_scores(["aa", "bbbb", "aa"]) == [0.02, 0.04, 0.02]
    assert calls == [["aa", "bbbb"]]
    assert toxicity.toxicity_scores(["bbbb", "c"]) == [0.04, 0.01]
    assert calls == [["aa", "bbbb"], ["c"]]
    assert toxicity.toxicity_scores(["aa"]) == [0.02]
    assert len(calls) == 2


def test_empty_list_makes_no_call(monkeypatch):
    monkeypatch.setattr(toxicity, "_predict_prob", lambda: pytest.fail("classifier called"))
    assert toxicity.toxicity_scores([]) == []


def test_only_texts_at_or_above_the_cut_reach_the_transformer(monkeypatch):
    cut = toxicity.read_model()["second_stage"]["from"]
    first = {"sure": cut / 2, "unsure": cut, "very unsure": 0.99}
    read = []
    monkeypatch.setattr(toxicity, "_first_stage", lambda: lambda texts: [first[t] for t in texts])
    monkeypatch.setattr(transformer, "logits", lambda texts: read.append(list(texts)) or [2.0] * len(texts))
    assert toxicity.toxicity_scores(["sure", "unsure", "very unsure", "sure"]) == [
        cut / 2, 1 / (1 + math.exp(-2.0)), 1 / (1 + math.exp(-2.0)), cut / 2]
    assert read == [["unsure", "very unsure"]]  # one call, each distinct text once


def test_the_cut_is_below_the_default_threshold():
    # A text the transformer never reads keeps its first-stage score, which is below the cut: it is never flagged
    # by default.
    assert toxicity.read_model()["second_stage"]["from"] <= toxicity.TOXICITY_ABOVE


def test_the_default_threshold_is_the_one_the_model_was_trained_for():
    assert toxicity.read_model()["threshold"] == toxicity.TOXICITY_ABOVE


def test_the_first_stage_is_plain_json_over_the_installed_base_vocabulary():
    from profanity_check import profanity_check as base

    model = toxicity.read_model()
    assert model["base"]["vocabulary_size"] == len(base.vectorizer.vocabulary_)
    assert set(model["words"]) <= set(base.vectorizer.vocabulary_)
    assert isinstance(model["bias"], float) and isinstance(model["base_logit"], float)


def test_the_model_file_names_the_transformer_it_was_built_with():
    shipped = files("auditor.text").joinpath(transformer.MODEL_FILE).read_bytes()
    assert toxicity.read_model()["second_stage"]["model_sha256"] == hashlib.sha256(shipped).hexdigest()


def test_a_mismatched_transformer_is_refused(monkeypatch):
    model = toxicity.read_model()
    model["second_stage"]["model_sha256"] = "0" * 64
    monkeypatch.setattr(toxicity, "read_model", lambda: model)
    toxicity._second_stage_from.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="rebuild both with scripts/train_toxicity.py"):
            toxicity.load_classifier()
    finally:
        toxicity._second_stage_from.cache_clear()


def test_the_transformer_ships_small_enough_to_live_in_the_package():
    assert files("auditor.text").joinpath(transformer.TOKENIZER_FILE).is_file()
    assert len(files("auditor.text").joinpath(transformer.MODEL_FILE).read_bytes()) < 25_000_000


@pytest.mark.parametrize(("text", "read"), [
    ("@acme_support my order is late", "@user my order is late"),
    ("see https://acme.example/x?y=1 and www.acme.example now", "see URL and URL now"),
    ("mail jane@acme.example please", "mail jane@acme.example please"),  # an e-mail address is not a handle
    ("@a @b_c hi", "@user @user hi"),
])
def test_the_transformer_reads_handles_and_links_as_its_training_data_wrote_them(text, read):
    assert transformer.model_text(text) == read


def test_a_texts_transformer_score_does_not_depend_on_the_texts_beside_it():
    texts = ["you are a clown", "Thanks for your patience!", "shut up", "x" * 400, ""]
    together = transformer.logits(texts)
    assert together == [transformer.logits([text])[0] for text in texts]


# The model's logits in exact integer arithmetic, as every CPU with VNNI computes them. On an AVX2-only CPU
# onnxruntime's default int8 kernels saturate and give -3.37, -1.18 and 1.84: this test fails there unless
# the session asks for exact products (transformer._session).
@pytest.mark.parametrize("text, logit", [
    ("you are a joke and so is your company", -3.9106),
    ("That was a joke, calm down", -1.3151),
    ("WidgetCo's sync is garbage and their support is awful. Stop wasting your time and switch to Acme.", 1.8518),
])
def test_a_texts_transformer_score_is_the_same_on_every_cpu(text, logit):
    assert transformer.logits([text])[0] == pytest.approx(logit, abs=2e-3)


def _scores_in_worker(texts: list[str]) -> list[float]:
    toxicity.clear_cache()  # a forked worker inherits the parent's cache: score for real
    return toxicity.toxicity_scores(texts)


def test_workers_forked_after_loading_score_like_the_parent():
    # The tone rule loads both stages before it forks its workers (speedups.worker_pool); the onnxruntime session
    # created then must keep working in the children and give the same bytes.
    texts = ["you are a clown", "what an idiot, unbelievable", "go to hell", "Thanks for your patience!",
             "@acme_support this is garbage and so are you"]
    toxicity.load_classifier()
    here = toxicity.toxicity_scores(texts)
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
        there = list(pool.map(_scores_in_worker, [texts, texts[::-1]]))
    assert there == [here, here[::-1]]


def test_real_brand_replies_score_below_the_default():
    replies = brand_replies()
    scores = toxicity.toxicity_scores(replies)
    assert len(scores) == 1127
    assert [text for text, score in zip(replies, scores) if score > toxicity.TOXICITY_ABOVE] == []


@pytest.mark.parametrize("text", [
    "Shoot me a DM and I'll sort it out.",
    "Meetings that suck the life out of the party are not our style.",
    "Kill the app and restart it, that should fix it.",
    "We are killing it this quarter!",
])
def test_blunt_but_harmless_support_talk_scores_below_the_default(text):
    assert toxicity.toxicity_scores([text])[0] <= toxicity.TOXICITY_ABOVE


@pytest.mark.parametrize("text", ["You are an idiot, read the manual.", "shut up you moron", "fuck you, you stupid bitch"])
def test_insults_score_above_the_default(text):
    assert toxicity.toxicity_scores([text])[0] > toxicity.TOXICITY_ABOVE


def test_the_cache_keeps_the_latest_texts_not_every_text_scored():
    # A worker scores batch after batch of distinct texts: a cache of all of them only grew with the month.
    texts = [f"order {n} is late" for n in range(toxicity._CACHE_SIZE + 500)]
    first = toxicity.toxicity_scores(texts)
    assert len(toxicity._cache) == toxicity._CACHE_SIZE
    assert texts[0] not in toxicity._cache and texts[-1] in toxicity._cache
    assert toxicity.toxicity_scores(texts[-3:]) == first[-3:]
