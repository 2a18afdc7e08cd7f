"""Offensive-language probability: a model trained on offensive tweets, on top of alt-profanity-check.

alt-profanity-check (MIT) is a linear SVM over word TF-IDF, trained on toxic
comments and crowd-labelled tweets (the Davidson tweets in
shared/data/tone/davidson among them). It knows insults, but on TweetEval's
offensive tweets (OffensEval 2019) it and the profanity list together reach a
macro-F1 of 0.66 on the validation split. `toxicity_model.json` is a logistic
regression on what it computes anyway, its TF-IDF vector and the logit of its
probability, trained on TweetEval's train split by scripts/train_toxicity.py
(figures, threshold and licences in docs/detectors.md). Stored as JSON (one
weight per word of alt-profanity-check's vocabulary), loaded without pickle.

Scoring is batched: scikit-learn's fixed overhead makes one text a call ~250
times slower than a list, so this module only offers a batch function and the
rule calls it once for all posts of an audit.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.resources import files

import numpy as np

# Default threshold of the tone rule's `toxicity: true`: the model's own, chosen by cross-validation on
# TweetEval's train split so that what the classifier flags beyond the profanity list is at least 88%
# offensive (docs/detectors.md). The model file records it too; a test keeps the two equal.
TOXICITY_ABOVE = 0.735

_CACHE_SIZE = 200_000
_SLICE = 5_000
_cache: OrderedDict[str, float] = OrderedDict()


@lru_cache(maxsize=1)
def _predict_prob() -> Callable[[list[str]], Sequence[float]]:
    # Imported on first use: scikit-learn and alt-profanity-check's model take ~2 s to
    # load and ~270 MB with numpy/scipy; most commands never need them.
    from profanity_check import profanity_check as base

    model = read_model()
    vocabulary = base.vectorizer.vocabulary_
    terms = sorted(vocabulary, key=vocabulary.get)
    if len(terms) != model["base"]["vocabulary_size"] or _fingerprint(terms) != model["base"]["vocabulary_sha256"]:
        raise RuntimeError(
            f"the installed alt-profanity-check is not the one toxicity_model.json was trained on "
            f"({model['base']['package']} {model['base']['version']}): rebuild it with scripts/train_toxicity.py")
    weights = np.zeros(len(terms))
    for term, weight in model["words"].items():
        weights[vocabulary[term]] = weight
    bias, base_logit = model["bias"], model["base_logit"]

    def predict(texts: list[str]) -> Sequence[float]:
        matrix = base.vectorizer.transform(texts)  # once: both the base model and the layer read it
        p = np.clip(base.model.predict_proba(matrix)[:, 1], 1e-6, 1 - 1e-6)
        z = bias + base_logit * np.log(p / (1 - p)) + matrix @ weights
        return 1.0 / (1.0 + np.exp(-z))

    return predict


def read_model() -> dict:
    """The shipped model file (plain JSON)."""
    return json.loads(files("auditor.text").joinpath("toxicity_model.json").read_text(encoding="utf-8"))


def _fingerprint(terms: list[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()


def load_classifier() -> None:
    """Load the model now (worker processes forked afterwards share it)."""
    _predict_prob()


def toxicity_scores(texts: Sequence[str]) -> list[float]:
    """Probability in [0, 1] that each text is offensive, in input order.

    The texts not scored before go to the classifier in batches of thousands;
    repeated texts and texts seen in earlier calls come from a cache.
    """
    known = {t: _cache[t] for t in texts if t in _cache}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    predict = _predict_prob() if missing else None
    # In slices: the classifier's n-gram matrix for 100,000 texts at once is a few hundred MB,
    # and slices of this size run as fast as one call.
    for start in range(0, len(missing), _SLICE):
        part = missing[start : start + _SLICE]
        for text, score in zip(part, predict(part), strict=True):
            known[text] = _cache[text] = float(score)
    if missing:
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return [known[t] for t in texts]


def clear_cache() -> None:
    _cache.clear()
