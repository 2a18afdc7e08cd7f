"""alt-profanity-check's classifier, scored from plain numbers: the toxicity check's base without scikit-learn.

alt-profanity-check (MIT) is a TF-IDF vector of a text's words fed to five linear SVMs, each
with a sigmoid calibration, whose probabilities are averaged. Its model is a scikit-learn
pickle; importing scikit-learn to read it cost every audit with a toxicity check 0.6-0.7 s and
~80 MB. scripts/export_toxicity_base.py writes the model's numbers to toxicity_base.json and
this module does scikit-learn's arithmetic on them, in the same order, with the same scipy
and numpy kernels, so the scores are the same to the last bit (tests/text/test_toxicity_base.py
compares them on real tweets):

- words: ``(?u)\\b\\w\\w+\\b`` on the lower-cased text, counted per vocabulary term (the
  vectorizer's English stop words are not in the vocabulary, so dropping them changes nothing);
- each count times its term's inverse document frequency, then each row divided by its
  Euclidean norm (summed left to right, as scikit-learn's `inplace_csr_row_normalize_l2`);
- each SVM's ``X @ coef.T + intercept``, calibrated as ``expit(-(a * f + b))``, added up one
  classifier after the other from zero and divided by their number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

MODEL_FILE = "toxicity_base.json"
_WORD = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class _Calibrated:
    coef_t: Any  # (terms, 1), the shape scikit-learn multiplies by
    intercept: Any  # (1,)
    a: float
    b: float


class BaseClassifier:
    """The vectorizer and the averaged calibrated SVMs of alt-profanity-check."""

    def __init__(self, model: dict) -> None:
        self.terms: list[str] = model["terms"]
        self.column = {term: i for i, term in enumerate(self.terms)}
        self.idf = np.asarray(model["idf"], dtype=np.float64)
        self.classifiers = [
            _Calibrated(np.asarray(c["coef"], dtype=np.float64).reshape(1, -1).T,
                        np.asarray([c["intercept"]], dtype=np.float64), float(c["a"]), float(c["b"]))
            for c in model["classifiers"]
        ]

    def vectors(self, texts: list[str]) -> Any:
        """The TF-IDF rows of ``texts`` (a CSR matrix, one row a text, one column a term)."""
        from scipy.sparse import csr_matrix

        # Each text's vocabulary terms in one flat list; numpy counts them per (row, term), in row then
        # term order: the CSR layout scikit-learn builds (a Counter and a sort per text cost 30 % more).
        term_of, words = self.column.get, _WORD.findall
        found: list[int] = []
        lengths = []
        for text in texts:
            terms = [j for word in words(text.lower()) if (j := term_of(word)) is not None]
            found += terms
            lengths.append(len(terms))
        rows, width = len(texts), len(self.terms)
        keys, counts = np.unique(np.repeat(np.arange(rows, dtype=np.int64), lengths) * width
                                 + np.asarray(found, dtype=np.int64), return_counts=True)
        row_of = keys // width
        columns = (keys - row_of * width).astype(np.int32)
        indptr = np.zeros(rows + 1, dtype=np.int32)
        np.cumsum(np.bincount(row_of, minlength=rows), out=indptr[1:])
        data = counts.astype(np.float64)
        data *= self.idf[columns]
        # bincount adds each row's squares in order, from 0.0: the loop scikit-learn's normalisation runs.
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=rows))
        scale = norms[row_of]
        nonzero = scale != 0.0
        data[nonzero] /= scale[nonzero]
        return csr_matrix((data, columns, indptr), shape=(rows, width))

    def probabilities(self, vectors: Any) -> Any:
        """The offensive class's probability for each row of ``vectors`` (`predict_proba(...)[:, 1]`)."""
        from scipy.special import expit

        mean = np.zeros(vectors.shape[0])
        for classifier in self.classifiers:
            decision = np.asarray(vectors @ classifier.coef_t).reshape(-1) + classifier.intercept
            mean += expit(-(classifier.a * decision + classifier.b))
        mean /= len(self.classifiers)
        return mean


@lru_cache(maxsize=1)
def base_classifier() -> BaseClassifier:
    # What scoring imports, imported with the model: worker processes forked after loading share it.
    import scipy.sparse  # noqa: F401
    import scipy.special  # noqa: F401

    return BaseClassifier(json.loads(files("auditor.text").joinpath(MODEL_FILE).read_text(encoding="utf-8")))
