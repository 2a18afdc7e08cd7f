"""Peak memory of importing and auditing an X archive zip that compresses well.

A zip's size says little about what it holds: 3.5 MB of zip can inflate to a
200 MB `tweets.js`. This builds such a zip (posts that differ only in id, time
and a counter, one per minute over several months), then runs, each in a child
process, `auditor import` into a fresh store and `auditor audit` of one month,
and prints the zip's size, the inflated size, wall time and each child's peak
resident memory (from `os.wait4`).

    .venv/bin/python benchmarks/archive_memory.py                 # 200 MB tweets.js
    .venv/bin/python benchmarks/archive_memory.py --megabytes 50  # a quicker run
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

POLICY = """\
name: Archive memory benchmark
version: "1"
timezone: UTC
accounts:
  - {handle: acme_support, name: Acme Support, kind: brand, team: support}
rules:
  - {id: tone, type: tone, severity: medium, checks: {shouting: true}}
  - {id: listen, type: engagement, severity: low, min_reply_share: 30%}
"""
START = datetime(2026, 6, 1, tzinfo=timezone.utc)


def tweet(n: int) -> dict:
    created = START + timedelta(minutes=n)
    return {"tweet": {
        "edit_info": {"initial": {"editTweetIds": [str(10**18 + n)], "editableUntil": "2026-01-01T00:00:00.000Z",
                                  "editsRemaining": "5", "isEditEligible": True}},
        "retweeted": False,
        "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
        "entities": {"hashtags": [], "symbols": [], "user_mentions": [
            {"name": "Bob", "screen_name": "bob", "indices": ["0", "4"], "id_str": "42", "id": "42"}], "urls": []},
        "display_text_range": ["0", "120"], "favorite_count": "0", "id_str": str(10**18 + n), "truncated": False,
        "retweet_count": "0", "id": str(10**18 + n), "possibly_sensitive": False,
        "created_at": created.strftime("%a %b %d %H:%M:%S +0000 %Y"), "favorited": False,
        "full_text": f"@bob thanks for reaching out, we are looking into it and will follow up shortly ({n})",
        "lang": "en", "in_reply_to_screen_name": "bob", "in_reply_to_user_id_str": "42",
        "in_reply_to_status_id_str": str(2 * 10**18 + n),
    }}


def build(folder: Path, megabytes: int) -> tuple[Path, int]:
    target = megabytes * 1_000_000
    path = folder / "archive.zip"
    written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(
            [{"account": {"accountId": "7", "username": "acme_support"}}]))
        with archive.open("data/tweets.js", "w", force_zip64=True) as handle:
            head = b"window.YTD.tweets.part0 = [\n"
            handle.write(head)
            written += len(head)
            n = 0
            while written < target:
                # X's layout: each record indented by two spaces, "},\n  {" between records.
                record = json.dumps(tweet(n), indent=2).replace("\n", "\n  ")
                chunk = (b"  " if n == 0 else b",\n  ") + record.encode()
                handle.write(chunk)
                written += len(chunk)
                n += 1
            handle.write(b"\n]")
            written += 2
    return path, written


def run(command: list[str]) -> tuple[int, float, float, str]:
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    return os.waitstatus_to_exitcode(status), time.monotonic() - started, usage.ru_maxrss / 1024, output


def run_all(runs: dict[str, list[str]], width: int) -> bool:
    """Run each command in turn, a line of figures each (and the output of one that failed); True when one did."""
    failed = False
    for name, command in runs.items():
        code, seconds, peak, output = run(command)
        print(f"{name:{width}} exit {code}  {seconds:6.1f} s  peak RSS {peak:7.0f} MB")
        if code not in (0, 1):
            failed = True
            print("  " + output.strip().replace("\n", "\n  "))
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200, help="size of the inflated tweets.js (default 200)")
    parser.add_argument("--period", default="2026-07", help="the month audited (default 2026-07)")
    args = parser.parse_args()
    auditor = str(Path(sys.executable).parent / "auditor")
    with tempfile.TemporaryDirectory(prefix="archive-memory-") as tmp:
        folder = Path(tmp)
        path, inflated = build(folder, args.megabytes)
        (folder / "policy.yaml").write_text(POLICY)
        print(f"zip {path.stat().st_size / 1e6:.1f} MB, tweets.js {inflated / 1e6:.0f} MB inflated")
        runs = {
            "import": [auditor, "import", str(path), "--store", str(folder / "store.db")],
            "audit": [auditor, "audit", "--policy", str(folder / "policy.yaml"), "--data", str(path),
                      "--period", args.period, "--out", str(folder / "report.json")],
        }
        failed = run_all(runs, width=7)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
