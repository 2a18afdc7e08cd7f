"""Same input, same report.json, between two checkouts of the auditor: a refactoring's proof.

    .venv/bin/python benchmarks/compare_reports.py --reference ../main/.venv/bin/auditor \
        [--candidate .venv/bin/auditor] [--work /tmp/compare] [--events 100000] [--shared ../shared/data]

Each `--reference` and `--candidate` is an `auditor` executable in a virtual environment
(its `python` beside it runs the generator). Three cases, each audited by both, and
report.json compared byte for byte:

1. `auditor demo` (the bundled sample company);
2. a generated month (`python -m auditor.sample.generate`, as benchmarks/run.py makes it:
   October 2026, --accounts 2000, --seed 7) with benchmarks/policy.yaml, `--as-of` fixed;
   the generated files themselves are compared too;
3. the real Customer Support on Twitter rows in shared/data/twcs (the first 2,500), the
   brands that answer in it on the roster, with policies/example.yaml's rules, October 2017.

Every path given is relative to the case's folder, so no report names it; the demo's report
names the bundled policy by its absolute path, so there the reference's checkout folder is read
as the candidate's (and the line says so). Prints one line a case (`same` with the bytes'
sha256, or where the files first differ) and exits 1 when any case differs or fails. Not part of the test suite (a 100k month takes minutes).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
AS_OF = {"generated": "2026-11-01T00:00:00Z", "twcs": "2017-12-01T00:00:00Z"}
TEAMS = ("support", "sales", "marketing")  # the teams policies/example.yaml names


def run(command: list[str], cwd: Path) -> None:
    # cwd is the case's own folder: `python -m auditor...` must import the executable's
    # checkout, never the one the script happens to be started from.
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: findings at or above --fail-on, still a report
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-800:]}")


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"differ at byte {at} of {len(a)} / {len(b)}: {a[max(0, at - 60):at + 60]!r} vs {b[max(0, at - 60):at + 60]!r}"


def checkout(python: str, folder: Path) -> str:
    """The folder of the checkout a side's `python` imports the auditor from."""
    code = "import auditor, pathlib; print(pathlib.Path(auditor.__file__).resolve().parent.parent)"
    return subprocess.run([python, "-c", code], cwd=folder, capture_output=True, text=True, check=True).stdout.strip()


def compare(name: str, reference: Path, candidate: Path, roots: tuple[str, str]) -> bool:
    a, b = reference.read_bytes(), candidate.read_bytes()
    put_aside = roots[0] != roots[1] and roots[0].encode() in a
    if put_aside:  # only the checkout's own folder may differ; said on the line
        a = a.replace(roots[0].encode(), roots[1].encode())
    if a == b:
        aside = f", {roots[0]} read as {roots[1]}" if put_aside else ""
        print(f"{name}: same ({len(a)} bytes, sha256 {hashlib.sha256(a).hexdigest()[:16]}{aside})")
        return True
    print(f"{name}: {first_difference(a, b)}")
    return False


def twcs_roster(rows: Path, out: Path) -> None:
    """The brands that answer in the rows (authors of outbound tweets), spread over the teams."""
    with open(rows, newline="", encoding="utf-8") as handle:
        brands = sorted({row["author_id"] for row in csv.DictReader(handle) if row.get("inbound") == "False"},
                        key=str.lower)
    lines = ["accounts:"]
    for i, brand in enumerate(brands):
        lines += [f"  - handle: {brand}", "    kind: brand", f"    team: {TEAMS[i % len(TEAMS)]}"]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def with_roster(policy: Path, roster_name: str, out: Path) -> None:
    text = re.sub(r"(?m)^accounts:.*$", f"accounts: {roster_name}", policy.read_text(encoding="utf-8"), count=1)
    out.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, required=True, help="the auditor executable to compare against")
    parser.add_argument("--candidate", type=Path, default=ROOT / ".venv" / "bin" / "auditor")
    parser.add_argument("--work", type=Path, default=Path("/tmp/auditor-compare"))
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()

    sides = {"reference": args.reference.resolve(), "candidate": args.candidate.resolve()}
    shutil.rmtree(args.work, ignore_errors=True)
    folders = {side: args.work / side for side in sides}
    for folder in folders.values():
        (folder / "data").mkdir(parents=True)
    twcs_rows = args.shared / "twcs" / "twcs-rows-0-2499.csv"
    ok = True

    roots = {}
    for side, auditor in sides.items():
        # Every path is relative to the case's folder, so that no report names the side's folder.
        folder, python = folders[side], str(auditor.parent / "python")
        roots[side] = checkout(python, folder)
        run([str(auditor), "demo", "--out", "demo"], folder)
        run([python, "-m", "auditor.sample.generate", "--out", "month.jsonl", "--events", str(args.events),
             "--month", "2026-10", "--accounts", "2000", "--seed", "7", "--roster-out", "data/roster.yaml"], folder)
        shutil.copy(BENCH / "policy.yaml", folder / "policy.yaml")
        run([str(auditor), "audit", "--policy", "policy.yaml", "--data", "month.jsonl", "--period", "2026-10",
             "--as-of", AS_OF["generated"], "--format", "json", "--out", "month.json", "--quiet"], folder)
        shutil.copy(twcs_rows, folder / "twcs.csv")
        twcs_roster(folder / "twcs.csv", folder / "twcs-roster.yaml")
        with_roster(ROOT / "policies" / "example.yaml", "twcs-roster.yaml", folder / "twcs-policy.yaml")
        run([str(auditor), "audit", "--policy", "twcs-policy.yaml", "--data", "twcs.csv", "--period", "2017-10",
             "--as-of", AS_OF["twcs"], "--format", "json", "--out", "twcs.json", "--quiet"], folder)

    ref, cand = folders["reference"], folders["candidate"]
    for name, path in (("demo report.json", "demo/report.json"), ("generated month (jsonl)", "month.jsonl"),
                       ("generated roster", "data/roster.yaml"), ("generated month report.json", "month.json"),
                       ("twcs report.json", "twcs.json")):
        # The demo's report names the bundled policy by its absolute path, inside each checkout.
        ok = compare(name, ref / path, cand / path, (roots["reference"], roots["candidate"])) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
