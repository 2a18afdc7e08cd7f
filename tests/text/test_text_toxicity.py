import pytest

from auditor.text import toxicity


@pytest.fixture(autouse=True)
def fresh_cache():
    toxicity.clear_cache()
    yield
    toxicity.clear_cache()


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


def test_the_default_threshold_is_the_one_the_model_was_trained_for():
    assert toxicity.read_model()["threshold"] == toxicity.TOXICITY_ABOVE


def test_the_model_is_plain_json_over_the_installed_base_vocabulary():
    from profanity_check import profanity_check as base

    model = toxicity.read_model()
    assert model["base"]["vocabulary_size"] == len(base.vectorizer.vocabulary_)
    assert set(model["words"]) <= set(base.vectorizer.vocabulary_)
    assert isinstance(model["bias"], float) and isinstance(model["base_logit"], float)


def test_real_brand_replies_score_below_the_default():
    import csv

    from tests.shared_data import shared

    with shared("twcs", "twcs-rows-0-2499.csv").open(encoding="utf-8", newline="") as handle:
        replies = [row["text"] for row in csv.DictReader(handle) if row["inbound"] == "False"]
    scores = toxicity.toxicity_scores(replies)
    assert len(scores) == 1127
    assert [text for text, score in zip(replies, scores) if score > toxicity.TOXICITY_ABOVE] == []


@pytest.mark.parametrize("text", ["You are an idiot, read the manual.", "shut up you moron", "fuck you, you stupid bitch"])
def test_insults_score_above_the_default(text):
    assert toxicity.toxicity_scores([text])[0] > toxicity.TOXICITY_ABOVE
