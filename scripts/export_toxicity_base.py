"""Writes auditor/text/toxicity_base.json: alt-profanity-check's model as plain numbers, for scoring without scikit-learn.

alt-profanity-check (MIT, https://github.com/dimitrismistriotis/alt-profanity-check) ships a
scikit-learn TF-IDF vectorizer and a sigmoid-calibrated linear SVM, pickled. The toxicity
check's first stage reads both (auditor/text/toxicity.py). Importing scikit-learn to do so
took 0.6-0.7 s and ~80 MB in every audit with a toxicity check, so the package carries the
numbers instead and auditor/text/toxicity_base.py does the same arithmetic.

    pip install alt-profanity-check        # the test extra has it
    .venv/bin/python scripts/export_toxicity_base.py

The file holds the vocabulary in column order, the inverse document frequencies and, for
each of the calibrated classifiers, the SVM's weights and intercept and the sigmoid's a and
b. The script refuses a model whose settings toxicity_base.py does not reproduce.
tests/text/test_toxicity_base.py holds the two equal, bit for bit, on real tweets.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "auditor" / "text" / "toxicity_base.json"

# What toxicity_base.py computes: these settings and no others.
EXPECTED_VECTORIZER = {
    "analyzer": "word", "binary": False, "lowercase": True, "ngram_range": (1, 1), "norm": "l2",
    "preprocessor": None, "strip_accents": None, "sublinear_tf": False, "token_pattern": r"(?u)\b\w\w+\b",
    "tokenizer": None, "use_idf": True,
}


def export() -> dict:
    from profanity_check import profanity_check as base

    vectorizer, model = base.vectorizer, base.model
    params = vectorizer.get_params()
    wrong = {key: params[key] for key, value in EXPECTED_VECTORIZER.items() if params[key] != value}
    if wrong:
        raise SystemExit(f"alt-profanity-check's vectorizer has settings toxicity_base.py does not compute: {wrong}")
    if model.method != "sigmoid" or list(model.classes_) != [0, 1]:
        raise SystemExit("alt-profanity-check's model is not a binary sigmoid-calibrated classifier")
    vocabulary = vectorizer.vocabulary_
    terms = sorted(vocabulary, key=vocabulary.get)
    stop_words = vectorizer.get_stop_words() or frozenset()
    if any(term in stop_words for term in terms):
        raise SystemExit("a stop word is in the vocabulary: toxicity_base.py does not drop stop words")
    classifiers = []
    for calibrated in model.calibrated_classifiers_:
        svm, (sigmoid,) = calibrated.estimator, calibrated.calibrators
        if svm.coef_.shape != (1, len(terms)) or list(svm.classes_) != [0, 1]:
            raise SystemExit("an SVM of alt-profanity-check's model is not one binary linear model")
        classifiers.append({"coef": svm.coef_[0].tolist(), "intercept": float(svm.intercept_[0]),
                            "a": float(sigmoid.a_), "b": float(sigmoid.b_)})
    return {
        "source": {"package": "alt-profanity-check", "version": version("alt-profanity-check"), "license": "MIT",
                   "scikit-learn": version("scikit-learn")},
        "terms": terms,
        "idf": vectorizer.idf_.tolist(),
        "classifiers": classifiers,
    }


def main() -> int:
    OUT.write_text(json.dumps(export(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
