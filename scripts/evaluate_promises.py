"""Measure the promise detector on real brand replies; prints the figures of docs/detectors.md.

    .venv/bin/python scripts/evaluate_promises.py --data ../shared/data

Data (read in place, never copied into the repository): the brand replies
(`inbound` False) of ``twcs/twcs-rows-0-2499.csv`` (1,127) and
``twcs/sample.csv`` (44), "Customer Support on Twitter". The hand labels
(``tests/text/promise_labels.csv``: tweet id and kind of every reply that makes
a promise) are ours; tests/text/test_text_promises.py holds the figures.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auditor.text.promises import find_promise  # noqa: E402

LABELS = ROOT / "tests" / "text" / "promise_labels.csv"
FILES = ("twcs-rows-0-2499.csv", "sample.csv")


def read_labels(path: Path = LABELS) -> dict[tuple[str, str], str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {(row["file"], row["tweet_id"]): row["kind"] for row in csv.DictReader(lines)}


def brand_replies(data: Path, name: str) -> list[tuple[str, str]]:
    with (data / "twcs" / name).open(encoding="utf-8", newline="") as handle:
        return [(row["tweet_id"], row["text"]) for row in csv.DictReader(handle) if row["inbound"] == "False"]


def evaluate(data: Path, name: str, labels: dict[tuple[str, str], str]) -> Counter:
    """Counts over one file's brand replies: replies, labelled, found, right (a promise found where one is,
    of the right kind), wrong_kind, false (found where none is), missed; by kind too."""
    counts: Counter = Counter()
    for tweet_id, text in brand_replies(data, name):
        truth = labels.get((name, tweet_id))
        found = find_promise(text)
        counts["replies"] += 1
        counts["labelled"] += truth is not None
        counts["found"] += found is not None
        if truth is not None:
            counts[f"labelled {truth}"] += 1
        if found is not None:
            counts[f"found {found.kind}"] += 1
            if found.elsewhere:
                counts["found elsewhere"] += 1
        if found is not None and truth is None:
            counts["false"] += 1
        elif found is None and truth is not None:
            counts["missed"] += 1
        elif found is not None:
            counts["right" if found.kind == truth else "wrong_kind"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the shared data folder")
    args = parser.parse_args(argv)
    labels = read_labels()
    print("| file | brand replies | promises (invitations, commitments) | found | right kind | wrong kind "
          "| false | missed | precision | recall |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in FILES:
        c = evaluate(args.data, name, labels)
        precision = (c["right"] + c["wrong_kind"]) / c["found"] if c["found"] else 0.0
        recall = (c["right"] + c["wrong_kind"]) / c["labelled"] if c["labelled"] else 0.0
        print(f"| {name} | {c['replies']} | {c['labelled']} ({c['labelled invitation']}, {c['labelled commitment']}) "
              f"| {c['found']} | {c['right']} | {c['wrong_kind']} | {c['false']} | {c['missed']} "
              f"| {precision:.3f} | {recall:.3f} |")
    texts = [text for name in FILES for _, text in brand_replies(args.data, name)] * 20
    start = time.perf_counter()
    for text in texts:
        find_promise(text)
    seconds = time.perf_counter() - start
    print(f"\nSpeed: {len(texts) / seconds:,.0f} replies/s ({len(texts)} texts, one process).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
