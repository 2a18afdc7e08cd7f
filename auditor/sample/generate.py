"""Generate the bundled sample: a month of X activity for the fictional company Acme.

Acme (time zone America/Toronto) sells "Acme Cloud" and "Acme Sync". Its brand
accounts and six employees talk to about 300 customers during October 2026; the
data also holds the last week of September (a previous period to compare
against) and the first two days of November (answers that come after the
period). Output is canonical JSONL as docs/contract.md describes it.

Two kinds of activity are mixed:

* the *story*: scripted scenes on fixed dates, each built to show one thing a
  rule finds (the sales rep who says "DM me and we can talk off air" and never
  answers the DM, a profane reply, a public back-and-forth that never moves to
  DM, a brand account repeating one promo, ...). See ``auditor/sample/README.md``.
  The story is the same whatever the size asked for.
* *filler*: ordinary conversations (questions, complaints, praise, DMs,
  broadcasts, reposts) drawn day by day from templates. ``scale`` (or
  ``events``) sets how many, so the same code writes the ~2,000-event demo
  and million-event benchmark files.

Everything comes from ``random.Random`` seeded with ``seed`` (one stream per
day, one for the story, one for the customer list): no wall clock, no hash
randomisation, so the same arguments give the same bytes. Events are generated
day by day and sorted per day (by ``created_at``, then ``id``); only the
activity that spills into later days (late answers) is held in memory.

    python -m auditor.sample.generate --out demo.jsonl
    python -m auditor.sample.generate --out big.jsonl --events 1000000 --roster-out big-roster.yaml
    python -m auditor.sample.generate --out month.jsonl --events 1000000 --month 2026-10 \
        --accounts 2000 --roster-out month-roster.yaml   # a large company's month, nothing around it

This module holds the run (``Gen``: the story first, then one day at a time),
the public API (``generate``, ``write_jsonl``, ``story_ids``, ``roster``) and
the command line. The rest of the package:

* ``people.py``: the roster, the story's customers, generated customers and accounts;
* ``events.py``: the random stream, local time and business hours, and ``Feed``,
  which makes the post and DM dicts;
* ``story.py``: the scripted scenes;
* ``filler.py``: a day's ordinary conversations; ``broadcasts.py``: its broadcasts;
* ``texts.py``: the templates and word lists the filler draws from.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from auditor.sample.cast import Cast
from auditor.sample.events import ORD0, TIMEZONE, Rng
from auditor.sample.filler import filler_day
from auditor.sample.people import ROSTER, STORY_CUSTOMERS, roster, roster_yaml
from auditor.sample.story import play_story

try:  # a dependency of the auditor, but the generator runs on the standard library too
    import orjson as _orjson
except ImportError:  # pragma: no cover - exercised only without orjson
    _orjson = None

__all__ = [
    "DEFAULT_COMPLAINT_SHARE", "DEFAULT_CUSTOMERS", "DEFAULT_DM_SHARE", "DEFAULT_END", "DEFAULT_PROMISE_SHARE",
    "DEFAULT_START", "ROSTER", "STORY_CUSTOMERS", "TIMEZONE", "generate", "main", "roster", "roster_yaml",
    "story_ids", "write_jsonl",
]

DEFAULT_START = date(2026, 9, 1)  # first local day generated: all of September, so the demo shows a trend
DEFAULT_END = date(2026, 11, 3)  # first local day NOT generated (so 2026-11-02 is the last)
DEFAULT_CUSTOMERS = 300
DEFAULT_DM_SHARE = 0.2
DEFAULT_COMPLAINT_SHARE = 0.35
DEFAULT_PROMISE_SHARE = 0.5


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------

class Gen(Cast):
    """One run of the generator: the story first, then one day at a time.

    Making one writes the whole story into the buckets; ``days()`` then adds
    each day's filler and hands the day over, sorted.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        play_story(self)

    def days(self) -> Iterator[list[dict[str, Any]]]:
        """Each local day's events, sorted by created_at then id."""
        for idx in range(self.start_idx, self.end_idx):
            # A stream per day, named by its date, so however much one day
            # draws, the next day's stream starts the same.
            self.rng = Rng(f"{self.seed}:{date.fromordinal(ORD0 + idx).isoformat()}")
            filler_day(self, idx)
            events = self.buckets.pop(idx, [])
            events.sort(key=_sort_key)
            yield events
        self.buckets.clear()  # what falls outside start..end (late answers, early scenes) is dropped


_sort_key = itemgetter("created_at", "id")


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _make(*, seed: int = 7, customers: int = DEFAULT_CUSTOMERS, accounts: int = 0, scale: float = 1.0,
          dm_share: float = DEFAULT_DM_SHARE, complaint_share: float = DEFAULT_COMPLAINT_SHARE,
          promise_share: float = DEFAULT_PROMISE_SHARE, start: date | str = DEFAULT_START,
          end: date | str = DEFAULT_END) -> Gen:
    for name, share in (("dm_share", dm_share), ("complaint_share", complaint_share), ("promise_share", promise_share)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {share}")
    if scale < 0:
        raise ValueError(f"scale must not be negative, not {scale}")
    start_d, end_d = _as_date(start), _as_date(end)
    if end_d <= start_d:
        raise ValueError(f"end ({end_d}) must be after start ({start_d})")
    return Gen(seed=seed, customers=customers, accounts=accounts, scale=scale, dm_share=dm_share,
               complaint_share=complaint_share, promise_share=promise_share, start=start_d, end=end_d)


def _scale_for(events: int, **kwargs: Any) -> float:
    """The ``scale`` that gives about ``events`` events.

    Filler grows linearly with ``scale`` (in expectation), so the count is
    measured at a small scale and extrapolated from the story-only count; the
    measurement uses a scale close to the target's when that is cheap, since a
    small sample is noisy.
    """
    # The count does not depend on how many customers there are: measure with the default.
    kwargs = {**kwargs, "customers": DEFAULT_CUSTOMERS}

    def count(scale: float) -> int:
        return sum(len(day) for day in _make(**{**kwargs, "scale": scale}).days())

    story = count(0.0)
    scale = 1.0
    for _ in range(2):
        measured = count(scale)
        if measured <= story:
            return scale
        estimate = max(0.0, scale * (events - story) / (measured - story))
        if estimate <= 1.0:
            return estimate
        scale = min(estimate, 10.0)  # measure again closer to the target (at most ~20,000 events)
    return estimate


def _days(events: int | None = None, **kwargs: Any) -> Iterator[list[dict[str, Any]]]:
    if events is not None:
        kwargs["scale"] = _scale_for(events, **kwargs)
    return _make(**kwargs).days()


def generate(*, seed: int = 7, customers: int = DEFAULT_CUSTOMERS, scale: float = 1.0,
             start: date | str = DEFAULT_START, end: date | str = DEFAULT_END, accounts: int = 0,
             events: int | None = None, dm_share: float = DEFAULT_DM_SHARE,
             complaint_share: float = DEFAULT_COMPLAINT_SHARE,
             promise_share: float = DEFAULT_PROMISE_SHARE) -> Iterator[dict[str, Any]]:
    """The sample's events as canonical JSONL dicts, in time order.

    ``start`` is the first local day generated and ``end`` the first one not
    generated (America/Toronto). ``scale`` multiplies the filler activity;
    ``events`` (when given) picks the scale that yields about that many events.
    The scripted story is always included (where it falls inside the dates).
    """
    for day in _days(events=events, seed=seed, customers=customers, accounts=accounts, scale=scale,
                     dm_share=dm_share, complaint_share=complaint_share, promise_share=promise_share,
                     start=start, end=end):
        yield from day


def story_ids(seed: int = 7) -> dict[str, str]:
    """Names of the scripted story events and their ids (the same at every scale)."""
    return dict(_make(seed=seed, scale=0.0).marks)


if _orjson is not None:
    _dumps = _orjson.dumps
else:  # pragma: no cover - the same bytes as orjson for these events
    _encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def _dumps(ev: dict[str, Any]) -> bytes:
        return _encode(ev).encode("utf-8")


def write_jsonl(path: str | Path, **kwargs: Any) -> int:
    """Write the sample (arguments as for :func:`generate`) to ``path`` (``-``: stdout); returns the event count."""
    count = 0
    out = sys.stdout.buffer if str(path) == "-" else open(path, "wb")  # noqa: SIM115
    # The events hold no reference cycles; the cyclic garbage collector would
    # only rescan them (10-20% of the run time on large files).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for day in _days(**kwargs):
            for i in range(0, len(day), 4096):  # in slices: a big day's JSON never sits in memory at once
                chunk = day[i : i + 4096]
                out.write(b"\n".join(map(_dumps, chunk)) + b"\n")
            count += len(day)
    finally:
        if gc_was_enabled:
            gc.enable()
        if out is not sys.stdout.buffer:
            out.close()
        else:
            out.flush()
    return count


def _share(value: str) -> float:
    share = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%): {value}")
    return share


def _month(value: str) -> tuple[date, date]:
    """"2026-10" -> (first day of the month, first day of the next)."""
    try:
        first = date.fromisoformat(f"{value}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM: {value}") from None
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after


def _positive(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m auditor.sample.generate",
        description="Write the sample company's X activity as canonical JSONL (deterministic for a given seed).")
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7, the bundled demo)")
    parser.add_argument("--customers", type=_positive, default=None,
                        help=f"number of customer accounts (default: {DEFAULT_CUSTOMERS}, more with --events)")
    parser.add_argument("--accounts", type=_positive, default=0,
                        help="extra generated employees beyond the named ones (see --roster-out)")
    parser.add_argument("--events", type=_positive, default=None,
                        help="target number of events; the story is kept and filler is scaled to reach it")
    parser.add_argument("--dm-share", type=_share, default=DEFAULT_DM_SHARE,
                        help=f"share of filler conversations held by DM (default: {DEFAULT_DM_SHARE})")
    parser.add_argument("--complaint-share", type=_share, default=DEFAULT_COMPLAINT_SHARE,
                        help=f"share of public support threads that start with a complaint (default: {DEFAULT_COMPLAINT_SHARE})")
    parser.add_argument("--promise-share", type=_share, default=DEFAULT_PROMISE_SHARE,
                        help=f"share of complaint answers that say 'DM us' (default: {DEFAULT_PROMISE_SHARE})")
    parser.add_argument("--month", type=_month, default=None, metavar="YYYY-MM",
                        help="generate this calendar month only (local days, America/Toronto): all the filler falls "
                             "in it, and the story keeps its scenes inside it (default: 2026-09-01 to 2026-11-02)")
    parser.add_argument("--roster-out", default=None,
                        help="also write the roster (named plus --accounts employees) as YAML to this file")
    args = parser.parse_args(argv)
    kwargs: dict[str, Any] = dict(seed=args.seed, accounts=args.accounts, dm_share=args.dm_share,
                                  complaint_share=args.complaint_share, promise_share=args.promise_share)
    if args.month is not None:
        kwargs["start"], kwargs["end"] = args.month
    customers = args.customers
    if args.events is not None:
        kwargs["events"] = args.events
        if customers is None:
            # keep the customers-per-conversation ratio of the demo when scaling up
            customers = max(DEFAULT_CUSTOMERS, round(DEFAULT_CUSTOMERS * args.events / 2000))
    kwargs["customers"] = DEFAULT_CUSTOMERS if customers is None else customers
    try:
        count = write_jsonl(args.out, **kwargs)
    except BrokenPipeError:  # `... | head`: the reader has seen enough
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from complaining at exit
        return 0
    if args.roster_out:
        Path(args.roster_out).write_text(roster_yaml(args.accounts), encoding="utf-8")
    if args.out != "-":
        print(f"wrote {count} events to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
