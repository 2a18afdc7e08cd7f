"""Offensive-language probability: a fast first stage for every text, a small transformer for the unsure ones.

The first stage is a logistic regression on what alt-profanity-check (MIT)
computes anyway, its TF-IDF vector and the logit of its probability: one dot
product more than alt-profanity-check itself, microseconds a text. The package
carries alt-profanity-check's model as numbers (text/toxicity_base.py), so
scoring needs neither it nor scikit-learn. A bag of words plateaus near
macro-F1 0.67 on TweetEval's offensive tweets at the precision a finding
needs, so every text the first stage scores at or above
`second_stage.from` (3 of 5,000 generated company posts) is scored again by
a fine-tuned MiniLM transformer (auditor/text/transformer.py), and its
probability is the score. Texts below that cut keep the first stage's score,
which is below the default threshold.

Both stages are trained by scripts/train_toxicity.py on TweetEval's train
split (figures, thresholds and licences in docs/detectors.md). The first stage
is stored as JSON (one weight per word of alt-profanity-check's vocabulary),
loaded without pickle; the model file records the transformer's checksum, so
the two cannot be mixed up.

Scoring is batched: the fixed cost of a call makes one text a call ~250 times
slower than a list, so this module only offers a batch function and the rule
calls it once for all posts of an audit.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.resources import files

import numpy as np

from auditor import speedups
from auditor.text import transformer
from auditor.text.toxicity_base import MODEL_FILE as BASE_FILE
from auditor.text.toxicity_base import base_classifier

# Default threshold of the tone rule's `toxicity: true`, chosen by scripts/train_toxicity.py on a held-out part of
# TweetEval's train split (docs/detectors.md). The model file records it too; a test keeps the two equal.
TOXICITY_ABOVE = 0.81

# Texts a second call asks again (two tone rules on the same posts) come from here. Two of a worker's
# batches of texts, not more: a worker does not keep every text it ever scored.
_CACHE_SIZE = 2 * speedups.PARALLEL_BATCH
_SLICE = 5_000
_cache: OrderedDict[str, float] = OrderedDict()


@lru_cache(maxsize=1)
def _first_stage() -> Callable[[list[str]], Sequence[float]]:
    base = base_classifier()  # alt-profanity-check's model, as numbers (text/toxicity_base.py)
    model = read_model()
    terms = base.terms
    if len(terms) != model["base"]["vocabulary_size"] or _fingerprint(terms) != model["base"]["vocabulary_sha256"]:
        raise RuntimeError(
            f"{BASE_FILE} is not the alt-profanity-check model toxicity_model.json was trained on "
            f"({model['base']['package']} {model['base']['version']}): rebuild them with "
            f"scripts/export_toxicity_base.py and scripts/train_toxicity.py")
    weights = np.zeros(len(terms))
    for term, weight in model["words"].items():
        weights[base.column[term]] = weight
    bias, base_logit = model["bias"], model["base_logit"]

    def predict(texts: list[str]) -> Sequence[float]:
        matrix = base.vectors(texts)  # once: both the base model and the layer read it
        p = np.clip(base.probabilities(matrix), 1e-6, 1 - 1e-6)
        z = bias + base_logit * np.log(p / (1 - p)) + matrix @ weights
        return 1.0 / (1.0 + np.exp(-z))

    return predict


def read_model() -> dict:
    """The shipped model file (plain JSON)."""
    return json.loads(files("auditor.text").joinpath("toxicity_model.json").read_text(encoding="utf-8"))


def _fingerprint(terms: list[str]) -> str:
    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _second_stage_from() -> float:
    """The first-stage score from which the transformer decides; checks that its model file is the one trained."""
    model = read_model()
    stage = model["second_stage"]
    shipped = hashlib.sha256(files("auditor.text").joinpath(transformer.MODEL_FILE).read_bytes()).hexdigest()
    if shipped != stage["model_sha256"]:
        raise RuntimeError(f"{transformer.MODEL_FILE} is not the model toxicity_model.json was built with: "
                           f"rebuild both with scripts/train_toxicity.py")
    return float(stage["from"])


def _predict_prob() -> Callable[[list[str]], Sequence[float]]:
    """Both stages over a list of texts: the first for all, the transformer for those at or above its cut."""
    first, cut = _first_stage(), _second_stage_from()

    def predict(texts: list[str]) -> Sequence[float]:
        scores = [float(s) for s in first(texts)]
        unsure = [i for i, score in enumerate(scores) if score >= cut]
        if unsure:
            for i, logit in zip(unsure, transformer.logits([texts[i] for i in unsure]), strict=True):
                scores[i] = _sigmoid(logit)
        return scores

    return predict


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def second_stage_count(texts: Sequence[str]) -> int:
    """How many of the distinct ``texts`` the transformer would read (for the benchmark and the docs)."""
    distinct = list(dict.fromkeys(texts))
    return sum(score >= _second_stage_from() for score in first_stage_scores(distinct))


def first_stage_scores(texts: Sequence[str]) -> list[float]:
    """The first stage alone, uncached (the benchmark times it: it is the classifier the cascade replaced)."""
    return [float(s) for s in _first_stage()(list(texts))] if texts else []


def load_classifier() -> None:
    """Load both stages now (worker processes forked afterwards share them)."""
    _first_stage()
    _second_stage_from()
    transformer.load()


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
