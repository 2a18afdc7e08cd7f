"""Measure the tone detectors on human-labelled tweets; prints the tables of docs/detectors.md.

    .venv/bin/python scripts/evaluate_detectors.py --data ../shared/data

Data (read in place, never copied into the repository):

* ``tone/vader/tweets_GroundTruth.txt``: 4,200 tweets, each with the mean
  sentiment of 20+ human raters from -4 to +4 (TAB-separated id, mean, text).
* ``tone/davidson/labeled_data.csv``: 24,783 tweets labelled by crowd workers
  0 hate speech, 1 offensive, 2 neither. alt-profanity-check was trained on
  these, so its figures there flatter it; the VADER tweets are the check on
  text it has not seen.
* ``tone/tweeteval-offensive/``: TweetEval's offensive-language task. The
  shipped models were trained on its train split (scripts/train_toxicity.py);
  its validation split (1,324 tweets) is measured here. The test split is not
  read.
* ``twcs/twcs-rows-0-2499.csv``: 1,127 real brand support replies (``inbound``
  False), none of which should be flagged.
* ``x-archive/alrocar`` and ``x-archive/andreruffert``: tweets X tagged with a
  language, for the language detector.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.text.idioms import set_aside
from auditor.text.language import detect
from auditor.text.profanity import find_profanity
from auditor.text.promises import find_promise
from auditor.text.sentiment import sentiment
from auditor.text.toxicity import TOXICITY_ABOVE, toxicity_scores

# What counts as a complaint for the human raters: a mean of -1 or below on
# their -4..+4 scale ("negative", not merely "a bit off"). A looser cut is
# reported too.
HUMAN_COMPLAINT = -1.0
HUMAN_COMPLAINT_LOOSE = -0.5
# "Ordinary" tweets for the false-accusation check: rated neutral to
# positive by people (mean >= 0), and strictly neutral (|mean| < 0.5).
SENTIMENT_THRESHOLDS = [-0.3, -0.5, -0.6, -0.7, -0.8]
TOXICITY_THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]
# What support and sales accounts write, to see where the defaults fall.
REPLIES = [
    "Thanks for your patience!",
    "We apologise for the inconvenience, a refund is on its way.",
    "Sorry you are having a hard time with this.",
    "We hate to hear that. Please DM us your order number.",
    "Kill the app and restart it, that should fix it.",
    "The shipment got killed by customs, sorry.",
    "We are killing it this quarter!",
    "Terrible weather is delaying deliveries, sorry.",
    "Sorry for the stupid bug, a fix is coming.",
    "Hell yeah, launch day!",
    "Oh no, that sucks! DM us and we will fix it.",
    "That is a damn shame, sorry!",
    "Not my problem, talk to your bank.",
    "Stop whining and read the FAQ.",
    "You are an idiot, read the manual.",
]


def read_vader(path: Path) -> list[tuple[float, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if not line:
                continue
            _id, mean, text = line.split("\t", 2)
            rows.append((float(mean), text))
    return rows


def read_davidson(path: Path) -> list[tuple[int, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(int(row["class"]), row["tweet"]) for row in csv.DictReader(handle)]


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    return cov / math.sqrt(vx * vy)


def precision_recall(predicted: list[bool], actual: list[bool]) -> tuple[float, float, int]:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    flagged = sum(predicted)
    positives = sum(actual)
    return (tp / flagged if flagged else float("nan"), tp / positives if positives else float("nan"), flagged)


def share(flags: list[bool]) -> str:
    return f"{sum(flags) / len(flags):.1%} ({sum(flags)}/{len(flags)})" if flags else "n/a"


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} texts/s"


def read_tweeteval(folder: Path, name: str) -> tuple[list[str], list[bool]]:
    labels = [x == "1" for x in (folder / f"{name}_labels.txt").read_text(encoding="utf-8").split()]
    return (folder / f"{name}_text.txt").read_text(encoding="utf-8").split("\n")[: len(labels)], labels


def macro_f1(predicted: list[bool], gold: list[bool]) -> tuple[float, float, float]:
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p1, r1, _ = precision_recall(predicted, gold)
    p0, r0, _ = precision_recall([not p for p in predicted], [not g for g in gold])
    return (f1(p1, r1) + f1(p0, r0)) / 2, p1, r1


def tone_defaults(data: Path) -> None:
    """The tone rule's defaults (profanity list or classifier, idioms set aside) on TweetEval and real brand replies."""
    from profanity_check import predict_prob as base_predict_prob

    from auditor.text.toxicity import first_stage_scores, second_stage_count

    texts, gold = read_tweeteval(data / "tone" / "tweeteval-offensive", "val")
    readable = [set_aside(t) for t in texts]
    listed = [bool(find_profanity(t)) for t in readable]
    new = toxicity_scores(readable)
    first = first_stage_scores(readable)
    old = list(base_predict_prob(readable))
    with (data / "twcs" / "twcs-rows-0-2499.csv").open(encoding="utf-8", newline="") as handle:
        brand = [set_aside(row["text"]) for row in csv.DictReader(handle) if row["inbound"] == "False"]
    b_listed = [bool(find_profanity(t)) for t in brand]
    b_new = toxicity_scores(brand)
    b_first = first_stage_scores(brand)
    b_old = list(base_predict_prob(brand))
    print(f"\n## The tone rule's defaults on TweetEval offensive, validation split ({len(texts)} tweets, "
          f"{sum(gold)} offensive), and on {len(brand)} real brand replies\n")
    print(f"The transformer reads {second_stage_count(readable)} of the {len(texts)} validation tweets and "
          f"{second_stage_count(brand)} of the {len(brand)} brand replies.\n")
    rows = []
    for name, scores, b_scores, thresholds in (
        ("alt-profanity-check alone", old, b_old, (0.9, 0.95)),
        ("first stage alone", first, b_first, (0.5, TOXICITY_ABOVE)),
        ("shipped cascade", new, b_new, (0.6, 0.7, 0.8, TOXICITY_ABOVE, 0.9, 0.95)),
    ):
        for threshold in sorted(set(thresholds)):
            flags = [s > threshold for s in scores]
            union = [f or w for f, w in zip(flags, listed, strict=True)]
            f, p, r = macro_f1(union, gold)
            fa, pa, ra = macro_f1(flags, gold)
            b_flags = [s > threshold or w for s, w in zip(b_scores, b_listed, strict=True)]
            mark = "**" if name == "shipped cascade" and threshold == TOXICITY_ABOVE else ""
            rows.append([f"{mark}{name} > {threshold:g}{mark}", f"{f:.3f}", f"{p:.3f}", f"{r:.3f}", f"{fa:.3f}",
                         f"{pa:.3f}", f"{ra:.3f}", sum(b_flags)])
    f, p, r = macro_f1(listed, gold)
    rows.append(["profanity list alone", f"{f:.3f}", f"{p:.3f}", f"{r:.3f}", "–", "–", "–", sum(b_listed)])
    print(table(["classifier", "list or classifier: macro-F1", "precision", "recall", "classifier alone: macro-F1",
                 "precision", "recall", "brand replies flagged"], rows))


def courtesy(data: Path, vader: list[tuple[float, str]]) -> None:
    """The negativity check with apologies and sympathy set aside (text/courtesy.py), against the text as written."""
    from auditor.rules.tone import _negative

    with (data / "twcs" / "twcs-rows-0-2499.csv").open(encoding="utf-8", newline="") as handle:
        brand = [set_aside(row["text"]) for row in csv.DictReader(handle) if row["inbound"] == "False"]
    tweets = [set_aside(text) for _, text in vader]
    negative = [mean <= HUMAN_COMPLAINT for mean, _ in vader]
    ordinary = [mean >= 0 for mean, _ in vader]
    b_scores = [sentiment(text) for text in brand]
    v_scores = [sentiment(text) for text in tweets]
    print(f"\n## The negativity check, apologies and sympathy set aside: {len(brand)} real brand replies and "
          f"the {len(vader)} VADER tweets\n")
    rows = []
    for threshold in SENTIMENT_THRESHOLDS:
        b_written = sum(score < threshold for score in b_scores)
        b_kind = sum(_negative(text, threshold) is not None for text in brand)
        written = [score < threshold for score in v_scores]
        kind = [_negative(text, threshold) is not None for text in tweets]
        (p, r, n), (pk, rk, nk) = precision_recall(written, negative), precision_recall(kind, negative)
        rows.append([f"< {threshold}", b_written, b_kind, f"{n} / {p:.3f} / {r:.3f}", f"{nk} / {pk:.3f} / {rk:.3f}",
                     sum(f and o for f, o in zip(written, ordinary)), sum(f and o for f, o in zip(kind, ordinary))])
    print(table(["threshold", "brand replies flagged, as written", "with apologies set aside",
                 f"VADER tweets flagged / precision / recall (<= {HUMAN_COMPLAINT}), as written",
                 "with apologies set aside", "rated >= 0 flagged, as written", "with apologies set aside"], rows))
    spared = [text for text, score in zip(brand, b_scores) if score < -0.6 and _negative(text, -0.6) is None]
    print(f"\nBrand replies spared at -0.6 ({len(spared)}):\n")
    for text in spared:
        print(f"- {text[:140]}")


def languages(data: Path) -> None:
    """The language detector against the language X gave each tweet of two real archives."""
    import json

    tweets = []
    for owner in ("alrocar", "andreruffert"):
        raw = (data / "x-archive" / owner / "tweets.js").read_text(encoding="utf-8")
        tweets += [(t["tweet"].get("lang"), t["tweet"]["full_text"]) for t in json.loads(raw[raw.index("["):])
                   if not t["tweet"]["full_text"].startswith("RT @")]
    started = time.perf_counter()
    guesses = [detect(text) for _, text in tweets]
    seconds = time.perf_counter() - started
    named = ("es", "de", "pt", "fr", "ca", "it", "nl")
    english = [g for (lang, _), g in zip(tweets, guesses) if lang == "en"]
    other = [g for (lang, _), g in zip(tweets, guesses) if lang in named]
    unknown = [g for (lang, _), g in zip(tweets, guesses) if lang not in named and lang != "en"]
    print(f"\n## Language detector on {len(tweets)} archive tweets (X's own tag as the reference; "
          f"{rate(len(tweets), seconds)}, model load included)\n")
    print(table(["X says", "tweets", "detector: English", "detector: another language", "detector: unknown"], [
        ["en", len(english), sum(g == "en" for g in english), sum(g not in (None, "en") for g in english),
         sum(g is None for g in english)],
        [", ".join(named), len(other), sum(g == "en" for g in other), sum(g not in (None, "en") for g in other),
         sum(g is None for g in other)],
        ["und, zxx, qme, ... or rare", len(unknown), sum(g == "en" for g in unknown),
         sum(g not in (None, "en") for g in unknown), sum(g is None for g in unknown)],
    ]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data folder")
    parser.add_argument("--show", type=int, default=8, help="examples of flagged ordinary tweets to print")
    args = parser.parse_args(argv)

    vader = read_vader(args.data / "tone" / "vader" / "tweets_GroundTruth.txt")
    davidson = read_davidson(args.data / "tone" / "davidson" / "labeled_data.csv")
    v_means = [m for m, _ in vader]
    v_texts = [t for _, t in vader]
    d_offensive = [c in (0, 1) for c, _ in davidson]
    d_texts = [t for _, t in davidson]
    ordinary = [m >= 0 for m in v_means]
    neutral = [abs(m) < 0.5 for m in v_means]

    print(
        f"# Detector evaluation\n\nVADER tweets: {len(vader)}; Davidson tweets: {len(davidson)} "
        f"({sum(c == 0 for c, _ in davidson)} hate, {sum(c == 1 for c, _ in davidson)} offensive, "
        f"{sum(c == 2 for c, _ in davidson)} neither)\n"
    )

    # --- sentiment -------------------------------------------------------
    started = time.perf_counter()
    scores = [sentiment(t) for t in v_texts]
    sentiment_time = time.perf_counter() - started
    print(
        f"## Sentiment (VADER compound) on the VADER tweets\n\nPearson r with the human mean: "
        f"{pearson(scores, v_means):.3f}; speed {rate(len(v_texts), sentiment_time)}\n"
    )
    rows = []
    for threshold in SENTIMENT_THRESHOLDS:
        predicted = [s < threshold for s in scores]
        p, r, n = precision_recall(predicted, [m <= HUMAN_COMPLAINT for m in v_means])
        p2, r2, _ = precision_recall(predicted, [m <= HUMAN_COMPLAINT_LOOSE for m in v_means])
        false_ordinary = [p_ for p_, o in zip(predicted, ordinary, strict=True) if o]
        rows.append([f"< {threshold}", n, f"{p:.3f}", f"{r:.3f}", f"{p2:.3f}", f"{r2:.3f}", share(false_ordinary)])
    print(
        f"Complaint = compound below the threshold; human complaint = mean <= {HUMAN_COMPLAINT} "
        f"({sum(m <= HUMAN_COMPLAINT for m in v_means)} tweets), loose = mean <= {HUMAN_COMPLAINT_LOOSE} "
        f"({sum(m <= HUMAN_COMPLAINT_LOOSE for m in v_means)}).\n"
    )
    print(
        table(
            [
                "threshold",
                "flagged",
                f"precision (<= {HUMAN_COMPLAINT})",
                f"recall (<= {HUMAN_COMPLAINT})",
                f"precision (<= {HUMAN_COMPLAINT_LOOSE})",
                f"recall (<= {HUMAN_COMPLAINT_LOOSE})",
                "human-neutral-or-positive tweets flagged",
            ],
            rows,
        )
    )

    # --- profanity list --------------------------------------------------
    started = time.perf_counter()
    d_prof = [bool(find_profanity(t)) for t in d_texts]
    v_hits = [find_profanity(t) for t in v_texts]
    profanity_time = time.perf_counter() - started
    v_prof = [bool(h) for h in v_hits]
    p, r, n = precision_recall(d_prof, d_offensive)
    neither = [f for f, o in zip(d_prof, d_offensive, strict=True) if not o]
    print(f"\n## Profanity list ({rate(len(d_texts) + len(v_texts), profanity_time)})\n")
    print(
        table(
            [
                "check",
                "Davidson precision",
                "Davidson recall",
                "Davidson 'neither' flagged",
                "VADER tweets flagged",
                "VADER mean >= 0 flagged",
                "VADER neutral flagged",
            ],
            [
                [
                    "profanity list",
                    f"{p:.3f}",
                    f"{r:.3f}",
                    share(neither),
                    share(v_prof),
                    share([f for f, o in zip(v_prof, ordinary, strict=True) if o]),
                    share([f for f, o in zip(v_prof, neutral, strict=True) if o]),
                ]
            ],
        )
    )
    words = Counter(m.text.lower() for hits in v_hits for m in hits)
    print("\nWords matched in the VADER tweets (review these by hand: a VADER tweet may well swear):\n")
    print(", ".join(f"{w} {n}" for w, n in words.most_common()))

    # --- toxicity --------------------------------------------------------
    started = time.perf_counter()
    d_tox = toxicity_scores(d_texts)
    v_tox = toxicity_scores(v_texts)
    toxicity_time = time.perf_counter() - started
    print(
        f"\n## Toxicity (the shipped model), one batched call per data set "
        f"({rate(len(d_texts) + len(v_texts), toxicity_time)}, model load included)\n"
    )
    rows = []
    for threshold in TOXICITY_THRESHOLDS:
        d_pred = [s >= threshold for s in d_tox]
        p, r, n = precision_recall(d_pred, d_offensive)
        neither = [f for f, o in zip(d_pred, d_offensive, strict=True) if not o]
        v_pred = [s >= threshold for s in v_tox]
        rows.append(
            [
                f">= {threshold}",
                f"{p:.3f}",
                f"{r:.3f}",
                share(neither),
                share(v_pred),
                share([f for f, o in zip(v_pred, ordinary, strict=True) if o]),
                share([f for f, o in zip(v_pred, neutral, strict=True) if o]),
                sum(f and not w for f, w in zip(v_pred, v_prof, strict=True)),
            ]
        )
    print(
        table(
            [
                "threshold",
                "Davidson precision",
                "Davidson recall",
                "Davidson 'neither' flagged",
                "VADER tweets flagged",
                "VADER mean >= 0 flagged",
                "VADER neutral flagged",
                "VADER flagged, no listed word",
            ],
            rows,
        )
    )

    tone_defaults(args.data)
    courtesy(args.data, vader)
    languages(args.data)

    # --- promises on real support replies ----------------------------------
    twcs = args.data / "twcs" / "sample.csv"
    if twcs.exists():
        with twcs.open(encoding="utf-8", newline="") as handle:
            brand = [row["text"] for row in csv.DictReader(handle) if row["inbound"] == "False"]
        found = [find_promise(t) for t in brand]
        mention_dm = [bool(re.search(r"(?i)\bdms?\b|direct message", t)) for t in brand]
        caught = sum(bool(f) for f, d in zip(found, mention_dm, strict=True) if d)
        print(
            f"\n## Promises in the brand replies of twcs/sample.csv\n\n{len(brand)} brand replies; "
            f"{sum(mention_dm)} mention a DM, of which {caught} are found as promises; "
            f"{sum(bool(f) for f in found)} replies found in all.\n"
        )
        print(
            table(
                ["found", "reply"],
                [
                    [f.text if f else "-", t.replace("\n", " ").replace("|", "/")[:110]]
                    for f, t, d in zip(found, brand, mention_dm, strict=True)
                    if f or d
                ],
            )
        )

    # --- typical company replies ------------------------------------------
    print("\n## Typical company replies (invented for calibration, not a measurement)\n")
    replies_tox = toxicity_scores(REPLIES)
    print(
        table(
            ["reply", "sentiment", "toxicity", "profanity"],
            [
                [r, f"{sentiment(r):+.2f}", f"{x:.2f}", ", ".join(m.text for m in find_profanity(r)) or "-"]
                for r, x in zip(REPLIES, replies_tox, strict=True)
            ],
        )
    )

    # --- examples for review --------------------------------------------
    if args.show:
        default = TOXICITY_ABOVE
        print(f"\n## VADER tweets with toxicity >= {default} and no listed word (to review by hand)\n")
        flagged = [
            (s, m, t) for s, m, t, w in zip(v_tox, v_means, v_texts, v_prof, strict=True) if s >= default and not w
        ]
        for s, m, t in sorted(flagged, reverse=True)[: args.show]:
            print(f"- {s:.2f} (human {m:+.2f}) {t[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
