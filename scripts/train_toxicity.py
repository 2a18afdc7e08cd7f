"""Rebuild the offensive-language models of the tone rule's `toxicity` check (auditor/text/toxicity_*).

    .venv/bin/python scripts/train_toxicity.py --data ../shared/data --work /tmp/toxicity-work

The check is a cascade of two models, both rebuilt here from named data:

1. **The transformer** (auditor/text/toxicity_transformer.onnx): all-MiniLM-L6-v2
   fine-tuned on TweetEval's offensive tweets and quantised to int8, by
   scripts/train_transformer.py, which this script runs first (training-time
   dependencies and timings are in its docstring; `--reuse-transformer` skips
   it and keeps the shipped one). Milliseconds a text.
2. **The first stage** (auditor/text/toxicity_model.json): a logistic regression
   on what alt-profanity-check (MIT) computes anyway, its TF-IDF vector (15,442
   words) and the logit of its probability; microseconds a text:

       score = sigmoid(bias + a * logit(p_base) + w . x)

   It is the transformer's student: trained to predict where the transformer
   flags a text (its probability above the threshold), on the texts of the
   train split it was fitted on and on other real tweets (Davidson's, the VADER
   tweets, the two X archives), so it learns what the transformer would leave
   alone in ordinary posts too. Every text whose first-stage score is at least
   `second_stage.from` goes to the transformer, and its probability is the
   score; below that cut the first stage's score stands.

Data (read in place, never copied into the repository): TweetEval's offensive
task, ``tone/tweeteval-offensive/`` (OffensEval 2019 / OLID), train split only:
85 % to fit the transformer, 15 % (the development part, a seeded shuffle) to
choose the thresholds. The validation split is only measured, and its figures
printed; the held-out test split is not read. Harmless idioms are set aside in
every text first, as the tone rule does.

How the thresholds are chosen, on the development part:

- the default threshold: a post is flagged when the profanity list or the
  classifier trips (the tone rule's defaults). The classifier's own additions,
  the posts it flags that the list does not, must be at least
  `MIN_ADDED_PRECISION` offensive; among such thresholds the one with the best
  macro-F1 of the union wins. Precision first: a flag accuses a named employee.
- the cut from which the transformer decides (`second_stage.from`): the
  highest first-stage score that still sends `GATE_RECALL` of the development
  texts the transformer flags to the transformer. The rest of what it would
  flag is lost; that is the price of reading ordinary posts at the speed of a
  bag of words (docs/detectors.md gives both figures).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.text.idioms import set_aside  # noqa: E402
from auditor.text.profanity import find_profanity  # noqa: E402

TEXT = ROOT / "auditor" / "text"
OUT = TEXT / "toxicity_model.json"
STUDENT_C = 1.0
MIN_ADDED_PRECISION = 0.88
GATE_RECALL = 0.85
SEED = 0


def other_tweets(data: Path) -> list[str]:
    """Real tweets besides TweetEval's, for the student to learn what the transformer leaves alone (and flags)."""
    with (data / "tone" / "davidson" / "labeled_data.csv").open(encoding="utf-8", newline="") as handle:
        tweets = [row["tweet"] for row in csv.DictReader(handle)]
    with (data / "tone" / "vader" / "tweets_GroundTruth.txt").open(encoding="utf-8") as handle:
        tweets += [line.rstrip("\r\n").split("\t", 2)[2] for line in handle if line.strip()]
    for owner in ("alrocar", "andreruffert"):
        raw = (data / "x-archive" / owner / "tweets.js").read_text(encoding="utf-8")
        tweets += [t["tweet"]["full_text"] for t in json.loads(raw[raw.index("[") :])]
    return [set_aside(t) for t in tweets]


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


def features(texts: list[str]):
    return design(*base_features(texts))


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


def best_macro_f1(scores: np.ndarray, gold: np.ndarray) -> float:
    """The best macro-F1 of ``scores > t`` over thresholds t (how an epoch of the transformer is judged)."""
    return max(macro_f1(scores > t, gold)[0] for t in np.arange(0.05, 0.96, 0.01))


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


def transformer_logits(texts: list[str], work: Path, name: str) -> np.ndarray:
    """The shipped int8 transformer's logits, cached in the work folder per model file."""
    from auditor.text import transformer

    model = hashlib.sha256((TEXT / transformer.MODEL_FILE).read_bytes()).hexdigest()
    cached = work / f"logits-{name}-{model[:12]}-{hashlib.sha256(chr(0).join(texts).encode()).hexdigest()[:12]}.npy"
    if cached.exists():
        return np.load(cached)
    transformer._session.cache_clear()
    logits = np.array(transformer.logits(texts))
    np.save(cached, logits)
    return logits


def line(name: str, figures: tuple[float, float, float]) -> str:
    return f"{name}: macro-F1 {figures[0]:.4f}, offensive precision {figures[1]:.3f}, recall {figures[2]:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder")
    parser.add_argument("--work", type=Path, required=True, help="a folder for checkpoints and cached logits")
    parser.add_argument("--reuse-transformer", action="store_true", help="keep the shipped transformer (skip the "
                        "fine-tuning, which needs PyTorch and about an hour)")
    parser.add_argument("--epochs", type=int, default=3, help="passed to scripts/train_transformer.py")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    import train_transformer

    if not args.reuse_transformer:
        train_transformer.main(["--data", str(args.data), "--work", str(args.work), "--epochs", str(args.epochs)])
    from importlib.metadata import version

    from profanity_check import profanity_check as base

    folder = args.data / "tone" / "tweeteval-offensive"
    texts, labels = train_transformer.read_split(folder, "train")
    dev, fit_part = train_transformer.split(len(texts))
    gold = labels.astype(bool)
    listed = np.array([bool(find_profanity(t)) for t in texts])
    dev_texts = [texts[i] for i in dev]

    # 1. The transformer alone on the development part: the threshold its student learns to anticipate.
    dev_p = 1 / (1 + np.exp(-transformer_logits(dev_texts, args.work, "dev")))
    picked = choose_threshold(dev_p, listed[dev], gold[dev])
    if picked is None:
        print("no threshold keeps the transformer's additions precise enough", file=sys.stderr)
        return 1
    flag_above = picked[0]
    print(line(f"development part ({len(dev)} tweets), list or transformer > {flag_above:.3f}",
               macro_f1((dev_p > flag_above) | listed[dev], gold[dev])))

    # 2. The student: where does the transformer flag? Learned from its verdicts on real tweets.
    pool = [texts[i] for i in fit_part] + other_tweets(args.data)
    pool_flagged = transformer_logits(pool, args.work, "pool") > _logit(np.array(flag_above))
    student = fit(features(pool), pool_flagged.astype(int), STUDENT_C)
    dev_first = student.predict_proba(features(dev_texts))[:, 1]

    # 3. The cut: the highest first-stage score that still sends GATE_RECALL of the transformer's flags to it.
    flagged_dev = dev_p > flag_above
    cut = float(np.floor(np.quantile(dev_first[flagged_dev], 1 - GATE_RECALL, method="lower") * 1000) / 1000)
    cascade = np.where(dev_first >= cut, dev_p, dev_first)
    picked = choose_threshold(cascade, listed[dev], gold[dev])
    if picked is None or picked[0] < cut:
        print("the cascade has no usable threshold above its cut", file=sys.stderr)
        return 1
    threshold = picked[0]
    reach = float(np.mean(dev_first >= cut))
    print(f"transformer from first-stage score {cut:.3f}: it reads {reach:.1%} of the development part and "
          f"{np.mean(dev_first[flagged_dev] >= cut):.1%} of what it flags there")
    print(line(f"development part, list or cascade > {threshold:.3f}", macro_f1((cascade > threshold) | listed[dev],
                                                                               gold[dev])))

    vocabulary = base.vectorizer.vocabulary_
    terms = sorted(vocabulary, key=vocabulary.get)
    coefficients = student.coef_.ravel()
    words = {term: round(float(coefficients[i]), 6) for i, term in enumerate(terms) if abs(coefficients[i]) >= 1e-6}
    from auditor.text import transformer

    payload = {
        "format": 2,
        "what": "first stage: logistic regression over alt-profanity-check's TF-IDF vector and the logit of its "
                "probability, trained to predict where the transformer flags; second stage: the transformer",
        "trained_on": "TweetEval offensive (OffensEval 2019 / OLID), train split, idioms set aside; the first stage "
                      "also on the transformer's verdicts on the Davidson, VADER and two X archives' tweets",
        "base": {"package": "alt-profanity-check", "version": version("alt-profanity-check"),
                 "vocabulary_size": len(terms), "vocabulary_sha256": vocabulary_fingerprint(terms)},
        "C": STUDENT_C,
        "threshold": threshold,
        "bias": round(float(student.intercept_[0]), 6),
        "base_logit": round(float(coefficients[len(terms)]), 6),
        "words": words,
        "second_stage": {
            "from": cut,
            "model": transformer.MODEL_FILE,
            "model_sha256": hashlib.sha256((TEXT / transformer.MODEL_FILE).read_bytes()).hexdigest(),
            "what": "all-MiniLM-L6-v2 fine-tuned on TweetEval offensive (train split, 85 %), int8 ONNX",
        },
    }
    OUT.write_text(json.dumps(payload, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: threshold {threshold:.3f}, transformer from {cut:.3f}; "
          f"set toxicity.TOXICITY_ABOVE to {threshold}")

    # Measured, never chosen on: the validation split, through the shipped code.
    from auditor.text import toxicity

    toxicity._first_stage.cache_clear()
    toxicity._second_stage_from.cache_clear()
    toxicity.clear_cache()
    val_texts, val_labels = train_transformer.read_split(folder, "val")
    val_scores = np.array(toxicity.toxicity_scores(val_texts))
    val_listed = np.array([bool(find_profanity(t)) for t in val_texts])
    val_gold = val_labels.astype(bool)
    print(line(f"validation split ({len(val_texts)} tweets), list or classifier > {threshold:.3f}",
               macro_f1((val_scores > threshold) | val_listed, val_gold)))
    print(line("validation split, classifier alone", macro_f1(val_scores > threshold, val_gold)))
    return 0


def vocabulary_fingerprint(terms: list[str]) -> str:
    """Which alt-profanity-check vocabulary (in its column order) the weights belong to."""
    return hashlib.sha256("\n".join(terms).encode("utf-8")).hexdigest()


if __name__ == "__main__":
    raise SystemExit(main())
