"""Rebuild the offensive-language model the tone rule's `toxicity` check ships (auditor/text/toxicity_model.json).

    .venv/bin/python scripts/train_toxicity.py --data ../shared/data

What it builds: a logistic regression on top of alt-profanity-check (MIT), the
classifier the auditor already depends on. alt-profanity-check was trained on
a large set of toxic comments and crowd-labelled tweets; it knows insults well
but not the tone of TweetEval's offensive tweets. The layer reads what
alt-profanity-check computes anyway, so it costs one more dot product:

    score = sigmoid(bias + a * logit(p_base) + w . x)

where ``x`` is alt-profanity-check's TF-IDF vector of the text (its
vocabulary: 15,442 words) and ``p_base`` its calibrated probability. Only
``bias``, ``a`` and ``w`` (one weight per word) are stored, as JSON: no pickle.

Data (read in place, never copied into the repository): TweetEval's offensive
task, ``tone/tweeteval-offensive/`` (OffensEval 2019 / OLID). The model is
trained on the train split only; the regularisation and the default threshold
are chosen by 5-fold cross-validation on the train split; the validation split
is only measured, and its figures are printed. The held-out test split is not
read. Harmless idioms are set aside in every text first, as the tone rule does.

How the threshold is chosen: a post is flagged when the profanity list or the
classifier trips (the tone rule's defaults). The classifier's own additions,
the posts it flags that the list does not, must be at least `MIN_ADDED_PRECISION`
offensive in cross-validation; among such thresholds the one with the best
macro-F1 of the union wins. Precision first: a flag accuses a named employee.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.text.idioms import set_aside  # noqa: E402
from auditor.text.profanity import find_profanity  # noqa: E402

OUT = ROOT / "auditor" / "text" / "toxicity_model.json"
GRID_C = (0.3, 1.0, 3.0)
MIN_ADDED_PRECISION = 0.88
FOLDS = 5
SEED = 0


def read_split(folder: Path, name: str) -> tuple[list[str], np.ndarray]:
    labels = [int(x) for x in (folder / f"{name}_labels.txt").read_text(encoding="utf-8").split()]
    texts = (folder / f"{name}_text.txt").read_text(encoding="utf-8").split("\n")[: len(labels)]
    return [set_aside(t) for t in texts], np.array(labels)


def base_features(texts: list[str]):
    """alt-profanity-check's TF-IDF matrix and the logit of its probability, as the shipped model reads them."""
    from profanity_check import profanity_check as base

    matrix = base.vectorizer.transform(texts)
    return matrix, _logit(base.model.predict_proba(matrix)[:, 1])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def design(matrix, logits):
    from scipy.sparse import csr_matrix, hstack

    return hstack([matrix, csr_matrix(logits[:, None])]).tocsr()


def fit(features, labels, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, solver="liblinear", max_iter=5000, random_state=SEED).fit(features, labels)


def macro_f1(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    """(macro-F1, offensive precision, offensive recall)."""
    tp = int((predicted & gold).sum())
    fp = int((predicted & ~gold).sum())
    fn = int((~predicted & gold).sum())
    tn = int((~predicted & ~gold).sum())

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p1 = tp / (tp + fp) if tp + fp else 0.0
    r1 = tp / (tp + fn) if tp + fn else 0.0
    p0 = tn / (tn + fn) if tn + fn else 0.0
    r0 = tn / (tn + fp) if tn + fp else 0.0
    return (f1(p1, r1) + f1(p0, r0)) / 2, p1, r1


def choose_threshold(scores: np.ndarray, listed: np.ndarray, gold: np.ndarray) -> tuple[float, float] | None:
    """(threshold, union macro-F1) with the best union whose additions are precise enough; None if none is."""
    best = None
    for threshold in np.round(np.arange(0.50, 0.995, 0.005), 3):
        added = (scores > threshold) & ~listed
        if added.sum() < 20 or gold[added].mean() < MIN_ADDED_PRECISION:
            continue
        f1 = macro_f1((scores > threshold) | listed, gold)[0]
        if best is None or f1 > best[1]:
            best = (float(threshold), f1)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model (default: the shipped one)")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    from sklearn.model_selection import StratifiedKFold

    folder = args.data / "tone" / "tweeteval-offensive"
    texts, labels = read_split(folder, "train")
    val_texts, val_labels = read_split(folder, "val")
    gold, val_gold = labels.astype(bool), val_labels.astype(bool)
    listed = np.array([bool(find_profanity(t)) for t in texts])
    val_listed = np.array([bool(find_profanity(t)) for t in val_texts])
    matrix, logits = base_features(texts)
    features = design(matrix, logits)

    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, labels))
    chosen = None
    for c in GRID_C:
        out_of_fold = np.zeros(len(texts))
        for train, test in folds:
            out_of_fold[test] = fit(features[train], labels[train], c).predict_proba(features[test])[:, 1]
        picked = choose_threshold(out_of_fold, listed, gold)
        if picked is None:
            print(f"C={c}: no threshold keeps the additions {MIN_ADDED_PRECISION:.0%} precise")
            continue
        union = macro_f1((out_of_fold > picked[0]) | listed, gold)
        print(f"C={c}: cross-validated threshold {picked[0]:.3f}, union macro-F1 {union[0]:.4f} "
              f"(precision {union[1]:.3f}, recall {union[2]:.3f})")
        if chosen is None or picked[1] > chosen[2]:
            chosen = (c, picked[0], picked[1])
    if chosen is None:
        print("no model met the precision floor", file=sys.stderr)
        return 1
    c, threshold, _ = chosen
    model = fit(features, labels, c)

    from profanity_check import profanity_check as base

    vocabulary = base.vectorizer.vocabulary_
    terms = sorted(vocabulary, key=vocabulary.get)
    coefficients = model.coef_.ravel()
    words = {term: round(float(coefficients[i]), 6) for i, term in enumerate(terms) if abs(coefficients[i]) >= 1e-6}
    payload = {
        "format": 1,
        "what": "logistic regression over alt-profanity-check's TF-IDF vector and the logit of its probability",
        "trained_on": "TweetEval offensive (OffensEval 2019 / OLID), train split, idioms set aside",
        "base": {"package": "alt-profanity-check", "version": version("alt-profanity-check"),
                 "vocabulary_size": len(terms), "vocabulary_sha256": vocabulary_fingerprint(terms)},
        "C": c,
        "threshold": threshold,
        "bias": round(float(model.intercept_[0]), 6),
        "base_logit": round(float(coefficients[len(terms)]), 6),
        "words": words,
    }
    args.out.write_text(json.dumps(payload, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")

    val_matrix, val_logits = base_features(val_texts)
    val_scores = model.predict_proba(design(val_matrix, val_logits))[:, 1]
    union = macro_f1((val_scores > threshold) | val_listed, val_gold)
    alone = macro_f1(val_scores > threshold, val_gold)
    print(f"chosen C={c}, threshold {threshold:.3f}; wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    print(f"validation ({len(val_texts)} tweets): profanity list or classifier: macro-F1 {union[0]:.4f}, "
          f"offensive precision {union[1]:.3f}, recall {union[2]:.3f}; classifier alone: macro-F1 {alone[0]:.4f}, "
          f"precision {alone[1]:.3f}, recall {alone[2]:.3f}")
    return 0


def vocabulary_fingerprint(terms: list[str]) -> str:
    """Which alt-profanity-check vocabulary (in its column order) the weights belong to."""
    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()


if __name__ == "__main__":
    raise SystemExit(main())
