"""Reading canonical JSONL alone: CPU time and resident memory, against the orjson floor.

    .venv/bin/python benchmarks/read_bench.py FILE [--runs 2] [--only floor,fast,plain]
    ../main/.venv/bin/python benchmarks/read_bench.py FILE     # the reader of another checkout

Each measurement runs in its own child process, one after the other (never two at once,
so they do not compete for the CPUs): the floor (every line read and parsed with
`orjson.loads`, nothing kept), `read_jsonl` as the audit calls it, and `read_jsonl` with
`AUDITOR_SPEEDUPS=off` (the plain line-by-line reader). CPU time is the reading's own
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
    out = subprocess.run([sys.executable, "-c", CHILD, "floor" if kind == "floor" else "read", str(path.resolve())],
                         env=env, check=True, capture_output=True, text=True, cwd=path.resolve().parent).stdout
    return json.loads(out.strip().splitlines()[-1]) | {"kind": kind}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement, alternated")
    parser.add_argument("--only", default="floor,fast,plain", help="which of floor, fast, plain")
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.only.split(",") if kind.strip()]
    for _ in range(args.runs):
        for kind in kinds:
            print(json.dumps(measure(kind, args.file)), flush=True)


if __name__ == "__main__":
    main()
