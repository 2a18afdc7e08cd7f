"""Offensive-language probability from a trained classifier (alt-profanity-check).

The model is a linear SVM over character n-grams: it scores ~40,000 texts a
second when given a list but ~150 a second one text per call, because each
call pays scikit-learn's fixed overhead. So this module only offers a batch
function and the rule calls it once for all posts of an audit.

Its training data include the Davidson tweets in shared/data/tone/davidson,
so its scores there look better than they will be on other text; the
threshold in docs/detectors.md was chosen on text it was not trained on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache

# Default threshold of the tone rule's `toxicity: true`. Between 0.90 and 0.95
# almost every extra tweet flagged on the VADER set was merely negative ("I
# hate burpees"), not offensive: see docs/detectors.md.
TOXICITY_ABOVE = 0.95

_CACHE_SIZE = 200_000
_SLICE = 5_000
_cache: OrderedDict[str, float] = OrderedDict()


@lru_cache(maxsize=1)
def _predict_prob() -> Callable[[list[str]], Sequence[float]]:
    # Imported on first use: scikit-learn and the pickled model take ~2 s to
    # load and ~270 MB with numpy/scipy; most commands never need them.
    from profanity_check import predict_prob

    return predict_prob


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
