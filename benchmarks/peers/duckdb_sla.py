"""The auditor's own response-time figures for benchmarks/policy_sla.yaml, computed in DuckDB SQL.

    .venv/bin/python benchmarks/peers/duckdb_sla.py FILE.jsonl ROSTER.yaml --month 2026-10 \
        --timezone America/Toronto [--within-hours 24] [--clock POLICY.yaml:CALENDAR]

Where the polars peer answers a simpler question (the first direct reply to each customer
post), this script answers the auditor's, for the one rule of benchmarks/policy_sla.yaml
(`inbound: [mention, reply]`, `responders: account`, `needs_answer: always`, a wall clock,
or with `--clock` the open hours of one of a policy's calendars):

- an item: a post by an account off the roster, not a repost, addressed to a roster account
  (its handle among the mentions, or the author it replies to), once per such account;
- its candidate answers: that account's reply to a post of the item's author in the same
  conversation, or its DM to the author, each of which answers the items posted up to its
  own time (a reply also the post it replies to, stamped a moment after it or not);
- an item's answer: of the candidates that answer it, the earliest (then the lowest id);
- an episode: consecutive items of one (account, author, conversation), in time order,
  that wait for the same answer; it belongs to the period it starts in;
- met within the limit, breached past it (or unanswered once more time than the limit,
  on the clock, went by before the end of the data), pending otherwise;
- on a calendar, a wait is the open time between two instants: the calendar's open
  intervals over the weeks asked about are laid end to end with the open time before each
  (the auditor's own `OpenTime`, which knows its holidays and daylight-saving changes), and
  the open time before any instant is one ASOF join away.

It measures what computing over columns takes for the same figures: `benchmarks/sla.py`
runs it beside the audit and checks its figures against the audit's report
(tests/benchmarks/test_duckdb_peer.py holds them equal on hand-made and random months). It
trusts its input as the benchmark's generator writes it: canonical lines, handles in lower
case, every id once, conversation ids given, and only the audited month in the file. The
auditor's reader checks all of that, and its report says what it could not read.

Prints one JSON line: seconds (from reading the file to the figures, the interpreter's start
and the imports not counted) and the figures, named as the rule's metrics are.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import duckdb
from peer_roster import roster_handles  # beside this script

from auditor.time.calendars import BusinessClock
from auditor.time.open_time import OpenTime

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_COLUMNS = ("{'type': 'VARCHAR', 'id': 'VARCHAR', 'author': 'VARCHAR', 'sender': 'VARCHAR', "
            "'created_at': 'TIMESTAMPTZ', 'mentions': 'VARCHAR[]', 'recipients': 'VARCHAR[]', "
            "'in_reply_to': 'VARCHAR', 'in_reply_to_author': 'VARCHAR', 'conversation_id': 'VARCHAR', "
            "'repost_of': 'VARCHAR'}")

_QUERY = """
CREATE TEMP TABLE events AS
    SELECT * FROM read_json(?, format = 'newline_delimited', columns = {columns});
CREATE TEMP TABLE posts AS
    SELECT id, author, created_at AS t, in_reply_to, in_reply_to_author AS replied_to, conversation_id AS conv,
           mentions, repost_of, author IN (SELECT handle FROM roster) AS on_roster
    FROM events WHERE type = 'post';
CREATE TEMP TABLE dms AS SELECT id, sender, recipients, created_at AS t FROM events WHERE type = 'dm';
-- every post to a roster account, once per account it addresses
CREATE TEMP TABLE items AS
    WITH addressed AS (
        SELECT id, author, conv, t, unnest(list_distinct(list_append(mentions, replied_to))) AS account
        FROM posts WHERE NOT on_roster AND repost_of IS NULL)
    SELECT a.id, a.account, a.author AS counterpart, a.conv, a.t
    FROM addressed a SEMI JOIN roster r ON r.handle = a.account;
-- what may answer them: (trigger: the latest item time it answers, its own time, its id)
CREATE TEMP TABLE candidates AS
    SELECT r.author AS account, r.replied_to AS counterpart, r.conv, greatest(r.t, q.t) AS trigger_at, r.t AS at, r.id,
           'post' AS kind
    FROM posts r JOIN posts q ON q.id = r.in_reply_to
    WHERE r.on_roster AND r.replied_to IS NOT NULL AND q.author = r.replied_to
    UNION ALL
    SELECT d.sender, u.counterpart, NULL, d.t, d.t, d.id, 'dm'
    FROM dms d, unnest(d.recipients) AS u(counterpart) WHERE d.sender IN (SELECT handle FROM roster);
CREATE TEMP TABLE answered AS
    SELECT i.id, i.account, i.counterpart, i.conv, i.t,
           arg_min(c.kind || ':' || c.id, (c.at, c.id)) AS answer, min(c.at) AS answered_at
    FROM items i LEFT JOIN candidates c
        ON c.account = i.account AND c.counterpart = i.counterpart AND (c.conv = i.conv OR c.kind = 'dm')
        AND c.trigger_at >= i.t
    GROUP BY ALL;
-- consecutive items of a key waiting for the same answer: one episode
CREATE TEMP TABLE episodes AS
    WITH marked AS (
        SELECT *, CASE WHEN answer IS NOT DISTINCT FROM lag(answer) OVER key THEN 0 ELSE 1 END AS starts
        FROM answered WINDOW key AS (PARTITION BY account, counterpart, conv ORDER BY t, id)),
    numbered AS (
        SELECT *, sum(starts) OVER (PARTITION BY account, counterpart, conv ORDER BY t, id
                                    ROWS UNBOUNDED PRECEDING) AS episode
        FROM marked)
    SELECT min(t) AS started, any_value(answer) AS answer, any_value(answered_at) AS answered_at
    FROM numbered GROUP BY account, counterpart, conv, episode;
CREATE TEMP TABLE judged_in AS
    WITH data_end AS (SELECT max(t) AS as_of FROM (SELECT t FROM posts UNION ALL SELECT t FROM dms))
    SELECT answer IS NOT NULL AS is_answered, epoch_us(started) AS s_us, epoch_us(answered_at) AS a_us,
           epoch_us(as_of) AS z_us
    FROM episodes, data_end WHERE started >= ? AND started < ?;
"""

_FIGURES = """
SELECT count(*), count(*) FILTER (WHERE is_answered),
       count(*) FILTER (WHERE is_answered AND waited_us <= ?),
       count(*) FILTER (WHERE (is_answered AND waited_us > ?) OR (NOT is_answered AND overdue)),
       count(*) FILTER (WHERE NOT is_answered AND NOT overdue),
       median(waited_us) FILTER (WHERE is_answered)
FROM judged
"""

# The wall clock: a wait is the time between two instants.
_ON_THE_WALL_CLOCK = """
WITH judged AS (
    -- an answer timed before the item (clocks disagree) waited nothing, as on the auditor's clocks
    SELECT is_answered, greatest(a_us - s_us, 0) AS waited_us, z_us > s_us + ? AS overdue FROM judged_in)
""" + _FIGURES

# A calendar's clock: the open time before an instant is looked up in the open intervals (each with the open
# time before it, `time/open_time.py`'s `OpenTime`) by one ASOF join, and a wait is the difference of two.
_ON_A_CALENDAR = """
WITH s AS (
    SELECT j.*, coalesce(o.before_us + least(j.s_us - o.open_us, o.close_us - o.open_us), 0) AS s_open
    FROM judged_in j ASOF LEFT JOIN open_intervals o ON j.s_us >= o.open_us),
a AS (
    SELECT s.*, coalesce(o.before_us + least(s.a_us - o.open_us, o.close_us - o.open_us), 0) AS a_open
    FROM s ASOF LEFT JOIN open_intervals o ON s.a_us >= o.open_us),
z AS (
    SELECT a.*, coalesce(o.before_us + least(a.z_us - o.open_us, o.close_us - o.open_us), 0) AS z_open
    FROM a ASOF LEFT JOIN open_intervals o ON a.z_us >= o.open_us),
judged AS (
    -- past the deadline at the end of the data: more open time than the limit has gone by (exactly the limit,
    -- the data ending in the closed stretch after it, is still pending: an answer then would be met)
    SELECT is_answered, CASE WHEN a_us > s_us THEN greatest(a_open - s_open, 0) ELSE 0 END AS waited_us,
           z_open > s_open + ? AS overdue
    FROM z)
""" + _FIGURES


def response_times(path: str, roster: list[str], start: datetime, end: datetime, within_hours: float,
                   clock: BusinessClock | None = None) -> dict:
    """The rule's figures for the episodes that start from `start` to `end`, on the wall clock or on `clock`."""
    within_us = round(within_hours * 3600 * 1_000_000)
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")  # standard output holds the figures
        con.execute("CREATE TEMP TABLE roster AS SELECT DISTINCT unnest(?::VARCHAR[]) AS handle", [roster])
        statements = [s for s in _QUERY.format(columns=_COLUMNS).split(";") if s.strip()]
        con.execute(statements[0], [path])
        for statement in statements[1:-1]:
            con.execute(statement)
        con.execute(statements[-1], [start, end])
        if clock is None:
            row = con.execute(_ON_THE_WALL_CLOCK, [within_us, within_us, within_us]).fetchone()
        else:
            _open_intervals(con, clock)
            row = con.execute(_ON_A_CALENDAR, [within_us, within_us, within_us]).fetchone()
    episodes, answered, met, breached, pending, median_us = row
    return {"episodes": episodes, "answered": answered, "met": met, "breached": breached, "pending": pending,
            "median_response_seconds": round(median_us / 1_000_000) if median_us is not None else None}


def _open_intervals(con: duckdb.DuckDBPyConnection, clock: BusinessClock) -> None:
    """The calendar's open intervals over every instant the episodes ask about, with the open time before each."""
    first, last = con.execute("SELECT min(s_us), max(greatest(coalesce(a_us, z_us), z_us)) FROM judged_in").fetchone()
    if first is None:
        opens = closes = before = []
    else:
        table = OpenTime(clock, _EPOCH + timedelta(microseconds=first), _EPOCH + timedelta(microseconds=last))
        opens, closes, before = table.opens.tolist(), table.closes.tolist(), table.before.tolist()
    con.execute("CREATE TEMP TABLE open_intervals AS SELECT unnest(?::BIGINT[]) AS open_us, "
                "unnest(?::BIGINT[]) AS close_us, unnest(?::BIGINT[]) AS before_us", [opens, closes, before])


def month_bounds(month: str, zone: str) -> tuple[datetime, datetime]:
    """The month's first and the next month's first instant in the policy's time zone, in UTC."""
    year, number = (int(part) for part in month.split("-"))
    first = datetime(year, number, 1, tzinfo=ZoneInfo(zone))
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=ZoneInfo(zone))
    return first.astimezone(timezone.utc), following.astimezone(timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("roster")
    parser.add_argument("--month", required=True, help="the audited month, e.g. 2026-10")
    parser.add_argument("--timezone", required=True, help="the policy's time zone, e.g. America/Toronto")
    parser.add_argument("--within-hours", type=float, default=24.0)
    parser.add_argument("--clock", metavar="POLICY:CALENDAR",
                        help="count open hours of a calendar of a policy (default: the wall clock)")
    args = parser.parse_args()
    roster = roster_handles(args.roster)
    start, end = month_bounds(args.month, args.timezone)
    clock = None
    if args.clock:
        from auditor.policy.loader import load_policy

        policy_path, name = args.clock.rsplit(":", 1)
        clock = load_policy(policy_path).policy.clock(name)
    started = time.perf_counter()
    figures = response_times(args.data, roster, start, end, args.within_hours, clock)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 3), **figures}))


if __name__ == "__main__":
    main()
