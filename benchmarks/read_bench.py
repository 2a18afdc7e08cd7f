"""Reading canonical JSONL alone: CPU time and resident memory, against the orjson floor.

    .venv/bin/python benchmarks/read_bench.py FILE [--runs 2] [--only floor,fast,plain,typed,columns,checked]
    ../main/.venv/bin/python benchmarks/read_bench.py FILE     # the reader of another checkout

Each measurement runs in its own child process, one after the other (never two at once,
so they do not compete for the CPUs): the floor (every line read and parsed with
`orjson.loads`, nothing kept), `read_jsonl` as the audit calls it, and `read_jsonl` with
`AUDITOR_SPEEDUPS=off` (the plain line-by-line reader). Three more measure what a columnar
reader would cost (`--only typed,columns,checked`; DuckDB is the `bench` extra): `typed`
decodes every line with the reader's own typed decoder (`fast_events.decode_line`: every
field's JSON type, no unknown field) and builds nothing; `columns` reads the file into a
DuckDB table of typed columns, trusting every line; `checked` makes `decode_line`'s checks
in DuckDB SQL instead (each line's keys, each field's JSON type). CPU time is the reading's own
(user + system, `resource.getrusage` around the call, imports left out), steadier than
wall time on a shared machine; memory is the child's resident set after reading, with
the events still held, and its peak. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, time

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6

COLUMNS = ("{'type': 'VARCHAR', 'id': 'VARCHAR', 'author': 'VARCHAR', 'sender': 'VARCHAR', "
           "'created_at': 'TIMESTAMPTZ', 'text': 'VARCHAR', 'mentions': 'VARCHAR[]', 'recipients': 'VARCHAR[]', "
           "'in_reply_to': 'VARCHAR', 'in_reply_to_author': 'VARCHAR', 'conversation_id': 'VARCHAR', "
           "'repost_of': 'VARCHAR', 'quote_of': 'VARCHAR', 'url': 'VARCHAR', 'platform': 'VARCHAR', 'lang': 'VARCHAR'}")
# The lines decode_line takes: a post or DM line with no field it does not know, each field of its JSON type.
_TEXT_OR_NULL = " AND ".join(f"coalesce(json_type(v[{i}]), 'NULL') IN ('VARCHAR', 'NULL')" for i in range(9, 17))
CHECKED = '''
WITH fields AS (
  SELECT json_keys(json) AS k,
         json_extract(json, ['$.type', '$.id', '$.author', '$.sender', '$.created_at', '$.text', '$.mentions',
                             '$.recipients', '$.in_reply_to', '$.in_reply_to_author', '$.conversation_id',
                             '$.repost_of', '$.quote_of', '$.url', '$.platform', '$.lang']) AS v
  FROM read_ndjson_objects(?))
SELECT count(*) FILTER (WHERE json_type(v[1]) = 'VARCHAR' AND json_type(v[2]) = 'VARCHAR'
    AND json_type(v[5]) = 'VARCHAR' AND json_type(v[6]) = 'VARCHAR' AND (
      (v[1]->>'$' = 'post' AND json_type(v[3]) = 'VARCHAR' AND json_type(v[7]) = 'ARRAY'
       AND list_has_all(['VARCHAR'], json_type(v[7], '$[*]')) AND ''' + _TEXT_OR_NULL + '''
       AND list_has_all(['type', 'id', 'author', 'created_at', 'text', 'mentions', 'in_reply_to',
                         'in_reply_to_author', 'conversation_id', 'repost_of', 'quote_of', 'url', 'platform',
                         'lang'], k))
      OR (v[1]->>'$' = 'dm' AND json_type(v[4]) = 'VARCHAR' AND json_type(v[8]) = 'ARRAY'
       AND list_has_all(['VARCHAR'], json_type(v[8], '$[*]'))
       AND coalesce(json_type(v[11]), 'NULL') IN ('VARCHAR', 'NULL')
       AND coalesce(json_type(v[15]), 'NULL') IN ('VARCHAR', 'NULL')
       AND list_has_all(['type', 'id', 'sender', 'recipients', 'created_at', 'text', 'conversation_id',
                         'platform'], k))))
FROM fields
'''
kind, path = sys.argv[1], sys.argv[2]
import orjson
from auditor.activity.sources.jsonl import read_jsonl
before, wall = cpu(), time.perf_counter()
if kind == "floor":
    lines = 0
    with open(path, "rb") as handle:
        for line in handle:
            orjson.loads(line)
            lines += 1
    events = lines
elif kind == "typed":
    from pathlib import Path
    from auditor.activity.fast_events import NotTaken, decode_line
    from auditor.activity.sources.jsonl_lines import line_blocks, open_lines
    events = 0
    with open_lines(Path(path)) as handle:
        for block, _ in line_blocks(handle):
            for raw in block:
                try:
                    decode_line(raw)
                except (NotTaken, TypeError):
                    continue
                events += 1
elif kind == "columns":
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # it would write to standard output
    con.execute("CREATE TABLE events AS SELECT * FROM read_json(?, format = 'newline_delimited', columns = "
                + COLUMNS + ")", [path])
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
elif kind == "checked":
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    events = con.execute(CHECKED, [path]).fetchone()[0]
else:
    activity = read_jsonl(__import__("pathlib").Path(path))
    events = len(activity.posts) + len(activity.dms)
seconds, wall = cpu() - before, time.perf_counter() - wall
print(json.dumps({"kind": kind, "cpu_seconds": round(seconds, 2), "wall_seconds": round(wall, 2), "events": events,
                  "resident_mb": round(resident_mb()),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6)}))
"""


def measure(kind: str, path: Path) -> dict:
    env = dict(os.environ)
    if kind == "plain":
        env["AUDITOR_SPEEDUPS"] = "off"
    else:
        env.pop("AUDITOR_SPEEDUPS", None)
    # Run from the file's folder, not here: the child imports the auditor its interpreter has installed,
    # so another checkout's python measures that checkout (`/work/main/.venv/bin/python read_bench.py`).
    child_kind = kind if kind in ("floor", "typed", "columns", "checked") else "read"
    out = subprocess.run([sys.executable, "-c", CHILD, child_kind, str(path.resolve())],
                         env=env, check=True, capture_output=True, text=True, cwd=path.resolve().parent).stdout
    return json.loads(out.strip().splitlines()[-1]) | {"kind": kind}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement, alternated")
    parser.add_argument("--only", default="floor,fast,plain",
                        help="which of floor, fast, plain, typed, columns, checked")
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.only.split(",") if kind.strip()]
    for _ in range(args.runs):
        for kind in kinds:
            print(json.dumps(measure(kind, args.file)), flush=True)


if __name__ == "__main__":
    main()
