"""Would a calibrated combination of the signals the toxicity check already has reach its aim? Prints the table.

    .venv/bin/python scripts/evaluate_stacking.py --data ../shared/data --work /tmp/toxicity-work

The aim (docs/detectors.md): the tone rule's defaults, the profanity list or
the classifier, at macro-F1 0.76 with an offensive precision of at least 0.85
on TweetEval's offensive tweets, flagging none of the 1,127 real brand replies.
The shipped cascade reaches 0.716 at 0.863. This script tries stacking, a
logistic regression over what exists, and prints each try's figures; nothing
it fits is shipped.

The signals, for every text:

- the transformer's logit (auditor/text/transformer.py; cached in ``--work``);
- the first stage's score (auditor/text/toxicity.py) and alt-profanity-check's
  probability, as logits;
- an n-gram model: TF-IDF of word 1-2-grams and character 2-5-grams within
  words, logistic regression, fitted on the fit part of the train split.

The transformer was fine-tuned on the fit part, so its logits there are
in-sample (ROC AUC 0.95 against 0.86 elsewhere): a stacker trained on them
would trust it too much. The stacker is therefore trained on the development
part (the 15 % of the train split the transformer never saw,
`train_transformer.split`); its threshold is chosen, by train_toxicity's rule,
on its out-of-fold scores there (5-fold, repeated 5 times), and it is then
refitted on the whole development part. "Gated" stackers score only the texts
the first stage sends to the transformer (at or above the shipped cut), which
keeps the cost within the speed budget; the others stand for a check that runs
the transformer on every text (about 400 times the first stage). The
validation split is only measured; the test split is not read.

The last rows are no method but a ceiling: the stacker fitted, and its
threshold picked, on the validation split itself.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.text.idioms import set_aside  # noqa: E402
from auditor.text.profanity import find_profanity  # noqa: E402
from auditor.text.transformer import model_text  # noqa: E402

MIN_PRECISION = 0.85
SIGNALS = ("transformer", "first stage", "alt-profanity-check", "n-grams")


def ngram_vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)]


def signals(texts: list[str], work: Path, name: str, ngram) -> dict[str, np.ndarray]:
    from profanity_check import predict_prob

    from auditor.text import toxicity
    from train_toxicity import _logit, transformer_logits

    return {"transformer": transformer_logits(texts, work, name),
            "first stage": _logit(np.array(toxicity.first_stage_scores(texts))),
            "alt-profanity-check": _logit(np.array(predict_prob(texts))),
            "n-grams": ngram(texts),
            "listed": np.array([bool(find_profanity(t)) for t in texts])}


def stack(names, dev: dict, gold: np.ndarray, others: list[dict]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Out-of-fold scores on the development part, and the refitted stacker's scores on ``others``."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    def matrix(part: dict) -> np.ndarray:
        return np.column_stack([part[n] for n in names])

    x = matrix(dev)
    oof = np.zeros(len(gold))
    for repeat in range(5):
        for train, held in StratifiedKFold(5, shuffle=True, random_state=repeat).split(x, gold):
            oof[held] += LogisticRegression().fit(x[train], gold[train]).predict_proba(x[held])[:, 1] / 5
    model = LogisticRegression().fit(x, gold)
    return oof, [model.predict_proba(matrix(part))[:, 1] for part in others]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder")
    parser.add_argument("--work", type=Path, required=True, help="a folder for the cached transformer logits")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    import train_transformer
    from auditor.text import toxicity
    from train_toxicity import choose_threshold, macro_f1

    folder = args.data / "tone" / "tweeteval-offensive"
    texts, labels = train_transformer.read_split(folder, "train")
    val_texts, val_labels = train_transformer.read_split(folder, "val")
    with (args.data / "twcs" / "twcs-rows-0-2499.csv").open(encoding="utf-8", newline="") as handle:
        brand = [set_aside(row["text"]) for row in csv.DictReader(handle) if row["inbound"] == "False"]
    dev, fit = train_transformer.split(len(texts))
    gold, val_gold = labels.astype(bool), val_labels.astype(bool)

    vectorizers = ngram_vectorizers()
    fit_matrix = hstack([vec.fit_transform([model_text(texts[i]) for i in fit]) for vec in vectorizers]).tocsr()
    ngram_model = LogisticRegression(solver="liblinear", max_iter=5000).fit(fit_matrix, gold[fit])

    def ngram(batch: list[str]) -> np.ndarray:
        return ngram_model.decision_function(hstack([vec.transform([model_text(t) for t in batch])
                                                     for vec in vectorizers]).tocsr())

    d = signals([texts[i] for i in dev], args.work, "dev", ngram)
    v = signals(val_texts, args.work, "val", ngram)
    b = signals(brand, args.work, "brand", ngram)
    dev_gold = gold[dev]
    print("ROC AUC on the development part: " + ", ".join(f"{n} {roc_auc_score(dev_gold, d[n]):.3f}" for n in SIGNALS))
    started = time.perf_counter()
    ngram(brand * 4)
    ngram_cost = (time.perf_counter() - started) / (4 * len(brand))
    started = time.perf_counter()
    toxicity.first_stage_scores(brand * 4)
    first_cost = (time.perf_counter() - started) / (4 * len(brand))
    print(f"per text: the n-gram model {ngram_cost * 1e6:.0f} µs, the first stage {first_cost * 1e6:.0f} µs")

    def gate(cut: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Which texts reach the transformer at ``cut``, and the cascade's scores with that cut."""
        reaches = [part["first stage"] >= _logit_of(cut) for part in (d, v, b)]
        return reaches, [np.where(r, _sigmoid(part["transformer"]), _sigmoid(part["first stage"]))
                         for r, part in zip(reaches, (d, v, b), strict=True)]

    cut = toxicity._second_stage_from()
    reaches, shipped = gate(cut)

    rows = []

    def measure(name: str, dev_scores, val_scores, brand_scores, threshold=None) -> None:
        if threshold is None:
            picked = choose_threshold(dev_scores, d["listed"], dev_gold)
            if picked is None:
                rows.append([name, "–", "no threshold keeps the additions precise enough", "", "", "", ""])
                return
            threshold = picked[0]
        f, p, r = macro_f1((val_scores > threshold) | v["listed"], val_gold)
        mark = "yes" if f >= 0.76 and p >= MIN_PRECISION else "no"
        rows.append([name, f"{threshold:g}", f"{f:.3f}", f"{p:.3f}", f"{r:.3f}",
                     int(((brand_scores > threshold) | b["listed"]).sum()), mark])

    measure("shipped cascade", *shipped, threshold=toxicity.TOXICITY_ABOVE)
    measure("transformer on every text", *(_sigmoid(part["transformer"]) for part in (d, v, b)))
    tries = [("transformer",), ("transformer", "alt-profanity-check"), ("transformer", "first stage"),
             ("transformer", "n-grams"), SIGNALS]
    for names in tries:
        oof, (val_scores, brand_scores) = stack(names, d, dev_gold, [v, b])
        measure(f"stacked on every text: {' + '.join(names)}", oof, val_scores, brand_scores)
    for names in tries:
        oof, (val_scores, brand_scores) = stack(names, d, dev_gold, [v, b])
        measure(f"stacked, gated at {cut:g} ({int(reaches[1].sum())}, {int(reaches[2].sum())}): {' + '.join(names)}", *(
            np.where(r, s, g) for r, s, g in zip(reaches, (oof, val_scores, brand_scores), shipped, strict=True)))
    for other in (0.05, 0.1, 0.15, 0.25):  # another cut: more or fewer texts reach the transformer
        other_reaches, other_cascade = gate(other)
        oof, (val_scores, brand_scores) = stack(SIGNALS, d, dev_gold, [v, b])
        measure(f"stacked, gated at {other:g} ({int(other_reaches[1].sum())}, {int(other_reaches[2].sum())}): "
                f"{' + '.join(SIGNALS)}", *(
            np.where(r, s, g) for r, s, g in zip(other_reaches, (oof, val_scores, brand_scores), other_cascade,
                                                 strict=True)))
    names = ("first stage", "alt-profanity-check", "n-grams")
    oof, (val_scores, brand_scores) = stack(names, d, dev_gold, [v, b])
    measure(f"stacked on every text, no transformer: {' + '.join(names)}", oof, val_scores, brand_scores)

    # The ceiling: fitted, and thresholded, on the validation split itself (gated: on the texts that reach the
    # transformer, the others keeping the first stage's score).
    for gated in (False, True):
        for names in (("transformer",), SIGNALS):
            x = np.column_stack([v[n] for n in names])
            scores = LogisticRegression(C=100).fit(x, val_gold).predict_proba(x)[:, 1]
            if gated:
                scores = np.where(reaches[1], scores, shipped[1])
            best = max((macro_f1((scores > t) | v["listed"], val_gold) for t in np.unique(scores)),
                       key=lambda f: f[0] if f[1] >= MIN_PRECISION else -1)
            where = f"gated at {cut:g}" if gated else "on every text"
            rows.append([f"ceiling (fitted on validation), {where}: {' + '.join(names)}", "–", f"{best[0]:.3f}",
                         f"{best[1]:.3f}", f"{best[2]:.3f}", "–", "yes" if best[0] >= 0.76 else "no"])

    print(f"\nThe list or the classifier on TweetEval's validation split ({len(val_texts)} tweets, "
          f"{int(val_gold.sum())} offensive), thresholds chosen on the development part; {len(brand)} brand "
          f"replies. 'Gated at c (n, m)': the stacker scores the texts the first stage sends to the transformer "
          f"from c (n validation tweets, m brand replies); the others keep the first stage's score.\n")
    header = ["classifier", "threshold", "macro-F1", "precision", "recall", "brand replies flagged", "aim reached"]
    print("| " + " | ".join(header) + " |\n|" + " --- |" * len(header))
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    return 0


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def _logit_of(p: float) -> float:
    return float(np.log(p / (1 - p)))


if __name__ == "__main__":
    raise SystemExit(main())
