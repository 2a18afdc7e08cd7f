"""The peer to beat on response times: what a skilled analyst writes in polars instead of the auditor.

    .venv/bin/python benchmarks/peers/polars_sla.py FILE.jsonl ROSTER.yaml [--within-hours 4]

For every customer post (a post by an account off the roster that replies to or
mentions a roster account), the first direct reply to it by the account it
addressed: `read_ndjson`, one group-by for the first reply per post, one join.
Wall clock, no texts read, no DMs, no reply chains: the same question as
benchmarks/policy_sla.yaml asks of the auditor, answered the short way (the
auditor also counts a reply to a later post of the same customer in the
conversation, or a DM, as the answer, and groups waiting posts into episodes).

Prints one JSON line: seconds (from reading the file to the figures, the
interpreter's start and the imports not counted), customer posts, answered,
met, and the share met. benchmarks/run.py runs it in a child process on the
same file as the audit and prints the ratio auditor / peer.
"""

from __future__ import annotations

import argparse
import json
import time

import polars as pl
from peer_roster import roster_handles  # beside this script


def first_replies(path: str, roster: list[str], within_hours: float) -> dict:
    events = pl.read_ndjson(path, schema={
        "type": pl.String, "id": pl.String, "author": pl.String, "created_at": pl.String,
        "in_reply_to": pl.String, "in_reply_to_author": pl.String, "mentions": pl.List(pl.String),
    })
    posts = (events.filter(pl.col("type") == "post")
             .with_columns(pl.col("created_at").str.to_datetime(time_zone="UTC")))
    on_roster = pl.col("author").is_in(roster)
    # The roster account each customer post is addressed to: the one it replies to, else the first it mentions.
    customer_posts = (posts.filter(~on_roster)
                      .with_columns(pl.coalesce(pl.col("in_reply_to_author"), pl.col("mentions").list.first())
                                    .alias("account"))
                      .filter(pl.col("account").is_in(roster))
                      .select("id", "account", asked=pl.col("created_at")))
    replies = (posts.filter(on_roster & pl.col("in_reply_to").is_not_null())
               .group_by("in_reply_to", "author")
               .agg(answered=pl.col("created_at").min()))
    joined = customer_posts.join(replies, left_on=["id", "account"], right_on=["in_reply_to", "author"],
                                 how="left")
    waited = (pl.col("answered") - pl.col("asked")).dt.total_seconds()
    figures = joined.select(
        posts=pl.len(),
        answered=pl.col("answered").is_not_null().sum(),
        met=(waited <= within_hours * 3600).sum(),
    ).row(0, named=True)
    figures["share_met"] = round(figures["met"] / figures["posts"], 4) if figures["posts"] else None
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("roster")
    parser.add_argument("--within-hours", type=float, default=4.0)
    args = parser.parse_args()
    roster = roster_handles(args.roster)
    started = time.perf_counter()
    figures = first_replies(args.data, roster, args.within_hours)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 3), **figures}))


if __name__ == "__main__":
    main()
