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
