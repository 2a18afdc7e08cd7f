"""alt-profanity-check's model scored from toxicity_base.json equals alt-profanity-check itself, bit for bit.

The toxicity check reads that model without scikit-learn (auditor/text/toxicity_base.py). Its
vectors and probabilities must be the very numbers scikit-learn computes, or a score next to a
threshold could turn a post into a finding on one machine and not on another.
"""

from __future__ import annotations

import numpy as np
import pytest

from auditor.text.toxicity_base import base_classifier
from tests.text.test_shortcuts import _davidson_tweets, _demo_texts, _tweeteval_tweets, _vader_tweets

EDGE_TEXTS = [
    "", "   ", "!!! ??? ...", "the and of to", "a b c 1 2",  # no word of the vocabulary, or only stop words
    "You IDIOT idiot idiot!!!", "İSTANBUL ǅungla ÀÉÎ straße ΣΊΣΥΦΟΣ", "fuck_this f.u.c.k", "x" * 5000,
    "@user you are a #loser https://t.co/abc", "日本語のツイート", "stupid\nstupid\tstupid",
]


def _reference(texts: list[str]):
    from profanity_check import profanity_check as base

    vectors = base.vectorizer.transform(texts)
    return vectors, base.model.predict_proba(vectors)[:, 1]


@pytest.mark.parametrize("texts", [
    lambda: EDGE_TEXTS, _tweeteval_tweets, _davidson_tweets, _vader_tweets, _demo_texts,
], ids=["edge", "tweeteval", "davidson", "vader", "demo"])
def test_vectors_and_probabilities_are_scikit_learns_own(texts):
    corpus = texts()
    vectors, probabilities = _reference(corpus)
    ours = base_classifier().vectors(corpus)
    assert ours.shape == vectors.shape
    assert (ours != vectors).nnz == 0
    assert np.array_equal(base_classifier().probabilities(ours), probabilities)
    assert probabilities.min() < 0.2 and probabilities.max() > 0.8  # the corpus reached both ends


def test_the_vocabulary_is_the_installed_models_in_column_order():
    from profanity_check import profanity_check as base

    vocabulary = base.vectorizer.vocabulary_
    assert base_classifier().terms == sorted(vocabulary, key=vocabulary.get)


def test_the_export_script_writes_the_shipped_file(tmp_path, monkeypatch):
    import importlib.util
    import json
    from importlib.resources import files
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "export_toxicity_base.py"
    spec = importlib.util.spec_from_file_location("export_toxicity_base", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = json.loads(files("auditor.text").joinpath("toxicity_base.json").read_text(encoding="utf-8"))
    exported = module.export()
    assert {k: exported[k] for k in ("terms", "idf", "classifiers")} == {
        k: shipped[k] for k in ("terms", "idf", "classifiers")}


def test_scoring_imports_neither_scikit_learn_nor_alt_profanity_check():
    import subprocess
    import sys

    code = ("import sys\n"
            "from auditor.text import toxicity\n"
            "toxicity.load_classifier()\n"
            "scores = toxicity.toxicity_scores(['you are an idiot', 'thanks for the help'])\n"
            "assert scores[0] > scores[1], scores\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'profanity_check', 'joblib')))\n")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
