"""Time and peak memory of importing and auditing a Bluesky repository export and a Mastodon archive.

Builds, as the tests build them (tests/activity/sources/car_builder.py, tests/activity/sources/mastodon_archive_builder.py),
a repository of many likes and a few thousand posts over several months, and an archive whose
outbox.json holds statuses over several months; then runs, each in a child process, `auditor import`
into a fresh store and `auditor audit` of one month, and prints each file's size, wall time and each
child's peak resident memory (from `os.wait4`).

    .venv/bin/python benchmarks/export_memory.py                          # 200,000 likes, 100 MB of statuses
    .venv/bin/python benchmarks/export_memory.py --likes 20000 --megabytes 10   # a quicker run
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' builders

from benchmarks.archive_memory import run_all  # noqa: E402
from tests.activity.sources.car_builder import FAKE_CID, Repository  # noqa: E402
from tests.activity.ingest.fake_mastodon import FakeMastodon  # noqa: E402
from tests.activity.sources.mastodon_archive_builder import CONTEXT, activity, actor  # noqa: E402

POLICY = """\
name: Export memory benchmark
version: "1"
timezone: UTC
accounts:
  - {handle: acme.bsky.social, platform: bluesky, did: "did:plc:acme", kind: brand}
  - {handle: "@acme@mastodon.social", platform: mastodon, kind: brand}
rules:
  - {id: tone, type: tone, severity: medium, checks: {shouting: true}}
  - {id: promises, type: follow_through, severity: critical, within: 24h}
"""
START = datetime(2026, 6, 1, tzinfo=timezone.utc)


def build_car(path: Path, likes: int, posts: int) -> Path:
    repo = Repository("did:plc:acme")
    for n in range(likes):
        subject = {"uri": f"at://did:plc:p{n % 997}/app.bsky.feed.post/3e{n:09d}", "cid": FAKE_CID}
        repo.records[f"app.bsky.feed.like/3k{n:011d}"] = {
            "$type": "app.bsky.feed.like", "subject": subject,
            "createdAt": (START + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")}
    for n in range(posts):
        repo.post(f"@carol.bsky.social thanks, we'll get back to you about case {n}", START + timedelta(hours=n),
                  reply_to=(f"at://did:plc:carol/app.bsky.feed.post/3c{n:09d}", FAKE_CID),
                  mentions={"carol.bsky.social": "did:plc:carol"})
    return repo.write(path)


def build_archive(path: Path, megabytes: int) -> Path:
    fake = FakeMastodon()
    fake.add_account("1", "acme")
    fake.add_account("2", "dave")
    template = activity(fake, fake.status("1", "x", START, mentions=("2",)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actor.json", json.dumps(actor(fake.accounts["1"])))
        with archive.open("outbox.json", "w", force_zip64=True) as handle:
            handle.write(('{"@context": ' + json.dumps(CONTEXT) + ', "orderedItems": [').encode())
            written, n = 0, 0
            while written < megabytes * 1_000_000:
                note = {**template["object"], "id": f"https://mastodon.social/users/acme/statuses/{n}",
                        "url": f"https://mastodon.social/@acme/{n}",
                        "published": (START + timedelta(minutes=10 * n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "content": f"<p>@dave we'll look into order {n} and get back to you shortly</p>"}
                chunk = (("," if n else "") + json.dumps({**template, "object": note})).encode()
                handle.write(chunk)
                written += len(chunk)
                n += 1
            handle.write(b"]}")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--likes", type=int, default=200_000, help="likes in the repository (default 200,000)")
    parser.add_argument("--posts", type=int, default=3000, help="posts in the repository, one an hour (default 3,000)")
    parser.add_argument("--megabytes", type=int, default=100, help="size of outbox.json (default 100)")
    parser.add_argument("--period", default="2026-07", help="the month audited (default 2026-07)")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child that writes the files
    args = parser.parse_args()
    if args.build:
        build_car(args.build / "repo.car", args.likes, args.posts)
        build_archive(args.build / "archive.zip", args.megabytes)
        return 0
    auditor = str(Path(sys.executable).parent / "auditor")
    with tempfile.TemporaryDirectory(prefix="export-memory-") as tmp:
        folder = Path(tmp)
        # Built in a child: a child of this process would start with its memory (ru_maxrss counts it).
        subprocess.run([sys.executable, __file__, "--build", str(folder), "--likes", str(args.likes), "--posts",
                        str(args.posts), "--megabytes", str(args.megabytes)], check=True)
        car, archive = folder / "repo.car", folder / "archive.zip"
        (folder / "policy.yaml").write_text(POLICY)
        print(f"repo.car {car.stat().st_size / 1e6:.1f} MB ({args.likes:,} likes, {args.posts:,} posts); "
              f"archive.zip {archive.stat().st_size / 1e6:.1f} MB ({args.megabytes} MB of statuses)")
        runs = {
            "import car": [auditor, "import", str(car), "--store", str(folder / "a.db"), "--did",
                           "did:plc:acme=acme.bsky.social", "-q"],
            "import zip": [auditor, "import", str(archive), "--store", str(folder / "b.db"), "-q"],
            "audit both": [auditor, "audit", "--policy", str(folder / "policy.yaml"), "--data", str(car),
                           "--data", str(archive), "--period", args.period, "--out", str(folder / "report.json")],
        }
        failed = run_all(runs, width=10)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
