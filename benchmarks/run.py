"""The auditor's benchmark: how fast and how big a large company's month is, against the floors.

    scripts/bench                      # set up .venv, then everything below (~15-30 min today)
    .venv/bin/python benchmarks/run.py [--sizes 100000,1000000] [--skip-pdf] [--quick] [--keep]

In one run, on the same generated files (benchmarks/README.md says what each figure means):

1. generates one month (October 2026) of the sample company at each size, with
   --accounts employees on the roster (auditor.sample.generate; deterministic);
2. the floor: reads every line of the file and parses it with orjson, nothing else (once before
   the audit and once after it, the mean of the two);
3. `auditor audit --format json` on it with benchmarks/policy.yaml (all six rule
   kinds) as a child process: wall time, events a second, peak memory (os.wait4),
   and the ratio to the floor; then the scaling from the smallest size to the largest;
4. the text detectors alone, texts a second, on distinct post texts of the smallest file;
5. the manager's PDF for 200 accounts and 5,000 findings against WeasyPrint printing
   a plain table (benchmarks/pdf_bench.py, `measure()`);
6. response times alone: the auditor with benchmarks/policy_sla.yaml against the
   polars peer (benchmarks/peers/polars_sla.py) on the same file, and the audit's own
   figures for that rule computed in DuckDB SQL (benchmarks/peers/duckdb_sla.py),
   checked against its report (benchmarks/sla.py);

prints the figures against the targets and writes them to
benchmarks/results/latest.json and benchmarks/results/<time>.json (a --quick
run: benchmarks/results/quick.json only). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sla  # benchmarks/sla.py, beside this script: response times alone, against the polars peer

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
POLICY = BENCH / "policy.yaml"
DATA = BENCH / "data"  # git-ignored: generated files, the roster, audit outputs
RESULTS = BENCH / "results"  # git-ignored
ROSTER = DATA / "roster.yaml"  # benchmarks/policy.yaml names it (accounts: data/roster.yaml)
MONTH = "2026-10"  # the audited month; the generator puts every event in it (--month)

# The targets (2-core machine, 1M events, all six kinds, JSON output). The full audit's is 20x the
# floor for now; 10x after it.
FLOOR_RATIO_MAX = 20.0
PEAK_MB_MAX = 1000.0  # 1 GB, as 10^6 bytes (the stricter reading), audit and workers together
PDF_SECONDS_MAX = 20.0
PDF_PAGE_RATIO_MAX = 1.5
SCALING_SLACK = 1.1  # 1M costs <= 11x 100k: 1.1 x the ratio of the sizes
# A response_time-only audit against the first-reply script an analyst writes in polars (benchmarks/sla.py).
SLA_PEER_RATIO_MAX = 2.0

# The floor, run in a child of its own like the audit: read each line, parse it, keep nothing.
FLOOR_CODE = """
import json, sys, time
from orjson import loads
lines = 0
started = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    for line in f:
        if line.strip():
            loads(line)
            lines += 1
print(json.dumps({"seconds": time.perf_counter() - started, "lines": lines}))
"""

# The PDF figures, in a child so that WeasyPrint's import, memory and fonts are its own.
PDF_CODE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import pdf_bench
figures = pdf_bench.measure(accounts=int(sys.argv[3]), findings=int(sys.argv[4]))
with open(sys.argv[2], "w") as out:
    json.dump(figures, out)
"""


# ---- processes ---------------------------------------------------------------

class TreeMemory(threading.Thread):
    """Samples the memory of a process and its descendants (the audit forks workers to score texts).

    ``os.wait4`` gives the peak RSS of the largest single process; while there
    are workers, what the tree holds together is the sum of their proportional
    set sizes (PSS: shared copy-on-write pages split between the sharers), read
    from /proc every quarter of a second.
    """

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.done = threading.Event()
        self.peak_pss_kb = 0
        self.peak_processes = 1

    def run(self) -> None:
        while not self.done.wait(self.interval):
            tree = self._tree()
            if len(tree) < 2:
                continue  # one process: ru_maxrss says it exactly, and costs nothing to read
            total = sum(self._pss_kb(pid) for pid in tree)
            self.peak_pss_kb = max(self.peak_pss_kb, total)
            self.peak_processes = max(self.peak_processes, len(tree))

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(entry.path, "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0


def run_child(argv: list[str], log: Path, timeout: float | None = None, memory: bool = False) -> dict[str, Any]:
    """Run ``argv`` with its output in ``log``: wall and CPU time, exit code, peak memory (os.wait4, /proc)."""
    with open(log, "wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        sampler = TreeMemory(proc.pid) if memory and Path("/proc/self/smaps_rollup").exists() else None
        if sampler:
            sampler.start()
        timed_out = False
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)  # our child's own session, nothing else
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if sampler:
            sampler.done.set()
            sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    figures = {"seconds": seconds, "exit_code": proc.returncode, "timed_out": timed_out,
               # CPU time (of the child and the workers it waited for) is steadier than wall time on a shared machine
               "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
               # the largest single process's peak; Linux reports ru_maxrss in KiB
               "peak_rss_mb": round(usage.ru_maxrss * 1024 / 1e6, 1)}
    if sampler:
        figures["tree_peak_pss_mb"] = round(sampler.peak_pss_kb * 1024 / 1e6, 1)
        figures["tree_peak_processes"] = sampler.peak_processes
    return figures


def tail(path: Path, lines: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def auditor_command() -> list[str]:
    script = Path(sys.executable).parent / "auditor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "auditor"]


# ---- data --------------------------------------------------------------------

def generator_fingerprint(args: argparse.Namespace, events: int) -> dict[str, Any]:
    """What a generated file depends on: the arguments and the generator's source."""
    source = hashlib.sha256()
    for path in sorted((ROOT / "auditor" / "sample").glob("*.py")):
        source.update(path.read_bytes())
    return {"events": events, "month": MONTH, "accounts": args.accounts, "seed": args.seed,
            "generator_sha256": source.hexdigest()[:16]}


def generate(args: argparse.Namespace, events: int) -> tuple[Path, dict[str, Any]]:
    """The month at ``events`` events (reused when a kept file was made by the same generator and arguments)."""
    path = DATA / f"bench-{events}.jsonl"
    sidecar = path.with_suffix(".args.json")
    wanted = generator_fingerprint(args, events)
    if path.exists() and sidecar.exists() and ROSTER.exists() and json.loads(sidecar.read_text()) == wanted:
        print(f"  reusing {path.relative_to(ROOT)} (same generator and arguments)", flush=True)
        return path, {"seconds": None, "reused": True}
    sidecar.unlink(missing_ok=True)
    # Written under other names, then renamed: whoever is still reading a kept file keeps the old one.
    partial, roster_partial = path.with_suffix(".jsonl.partial"), ROSTER.with_suffix(".yaml.partial")
    argv = [sys.executable, "-m", "auditor.sample.generate", "--out", str(partial), "--events", str(events),
            "--month", MONTH, "--accounts", str(args.accounts), "--seed", str(args.seed),
            "--roster-out", str(roster_partial)]
    shown = [*argv[1:4], str(path.relative_to(ROOT)), *argv[5:-1], str(ROSTER.relative_to(ROOT))]
    print(f"  generating {events:,} events: python {' '.join(shown)}", flush=True)
    run = run_child(argv, DATA / f"generate-{events}.log")
    if run["exit_code"] != 0:
        sys.exit(f"error: the generator failed:\n{tail(DATA / f'generate-{events}.log')}")
    os.replace(partial, path)
    os.replace(roster_partial, ROSTER)
    sidecar.write_text(json.dumps(wanted))
    return path, {"seconds": round(run["seconds"], 2), "reused": False}


def shape(path: Path, roster: set[str], keep_texts: bool) -> tuple[dict[str, Any], list[str]]:
    """What the file holds (not timed): events, DMs, accounts, distinct texts; and its distinct post texts."""
    from orjson import loads

    events = dms = audited_events = 0
    authors: dict[str, int] = {}
    texts: set[int] = set()
    post_texts: set[str] = set()
    with open(path, "rb") as f:
        for line in f:
            event = loads(line)
            events += 1
            who = event["author"] if event["type"] == "post" else event["sender"]
            authors[who] = authors.get(who, 0) + 1
            texts.add(hash(event["text"]))
            if event["type"] == "dm":
                dms += 1
            elif keep_texts:
                post_texts.add(event["text"])
            audited_events += who in roster
    busiest = max(authors, key=authors.__getitem__)
    return {
        "events": events, "bytes": path.stat().st_size, "dm_share": round(dms / events, 3),
        "distinct_texts": len(texts), "distinct_text_share": round(len(texts) / events, 3),
        "authors": len(authors), "roster_accounts": len(roster),
        "active_roster_accounts": sum(1 for a in authors if a in roster),
        "events_by_roster": audited_events,
        "busiest_account": {"handle": busiest, "events": authors[busiest]},
    }, sorted(post_texts)


def roster_handles() -> set[str]:
    from peers.peer_roster import roster_handles as read

    return set(read(str(ROSTER)))


# ---- measurements ---------------------------------------------------------------

def floor_run(path: Path) -> dict[str, Any]:
    """One run of the floor: its loop's seconds, the lines it parsed and its whole child's CPU time."""
    log = DATA / f"floor-{path.stem}.log"
    run = run_child([sys.executable, "-c", FLOOR_CODE, str(path)], log)
    if run["exit_code"] != 0:
        sys.exit(f"error: the orjson floor failed:\n{tail(log)}")
    inner = json.loads(log.read_text().strip().splitlines()[-1])
    return {"seconds": inner["seconds"], "lines": inner["lines"], "cpu_seconds": run["cpu_seconds"]}


def floor(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The floor the audit is measured against: the mean of its runs on either side of the audit. This
    machine's speed drifts over minutes (one run of the 1M floor took 1.19 s and another 1.86 s in the
    same hour), and a floor taken only before the audit could catch a fast or slow minute the audit
    did not share."""
    seconds = sum(run["seconds"] for run in runs) / len(runs)
    return {"seconds": round(seconds, 3), "lines": runs[0]["lines"],
            "lines_per_second": round(runs[0]["lines"] / seconds), "runs": len(runs),
            "runs_seconds": [round(run["seconds"], 3) for run in runs],
            # the whole child (interpreter start included), for a CPU-time ratio when the machine is busy
            "cpu_seconds": round(sum(run["cpu_seconds"] for run in runs) / len(runs), 2)}


def audit(path: Path, events: int, timeout: float | None, policy: Path = POLICY, tag: str = "") -> dict[str, Any]:
    out_dir = DATA / f"out{'-' + tag if tag else ''}-{path.stem}"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "report.json").unlink(missing_ok=True)
    command = ["audit", "--policy", str(policy.relative_to(ROOT)), "--data", str(path.relative_to(ROOT)),
               "--period", MONTH, "--format", "json", "--out-dir", str(out_dir.relative_to(ROOT))]
    print(f"  auditing: auditor {' '.join(command)}", flush=True)
    log = out_dir / "audit.log"
    run = run_child([*auditor_command(), *command], log, timeout, memory=True)
    figures: dict[str, Any] = {
        "command": " ".join(["auditor", *command]), "seconds": round(run["seconds"], 2),
        "events_per_second": round(events / run["seconds"]), "cpu_seconds": run["cpu_seconds"],
        # what the target is checked against: the largest process, or all of them together while workers ran
        "peak_mb": max(run["peak_rss_mb"], run.get("tree_peak_pss_mb", 0.0)),
        "peak_rss_mb": run["peak_rss_mb"], "tree_peak_pss_mb": run.get("tree_peak_pss_mb"),
        "tree_peak_processes": run.get("tree_peak_processes"),
        "exit_code": run["exit_code"], "timed_out": run["timed_out"],
    }
    if run["timed_out"] or run["exit_code"] not in (0, 1):
        figures["error"] = "timed out" if run["timed_out"] else tail(log)
        return figures
    from orjson import loads

    report = loads((out_dir / "report.json").read_bytes())
    figures["report"] = {"events": report["data"]["events"], "findings": len(report["findings"]),
                         "rules": len(report["rules"]), "score": report["summary"]["score"],
                         "bytes": (out_dir / "report.json").stat().st_size,
                         # the first rule's figures, which benchmarks/sla.py checks the columnar script against
                         "rule_metrics": {name: value for name, value in report["rules"][0]["metrics"].items()
                                          if not isinstance(value, (dict, list))}}
    return figures


def _rate(fn, texts: list[str]) -> dict[str, Any]:
    started = time.perf_counter()
    fn(texts)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "texts_per_second": round(len(texts) / seconds)}


def text_analysis(texts: list[str]) -> dict[str, Any]:
    """Each detector as the rules call it, caches bypassed: every text is scored, none looked up."""
    from profanity_check import predict_prob as base_predict_prob

    from auditor.text import language, profanity, promises, sentiment, toxicity

    score = getattr(sentiment.sentiment, "__wrapped__", sentiment.sentiment)  # the function under lru_cache
    extra = ("ping me",)  # benchmarks/policy.yaml: invitations: {extend: ["ping me"]}

    # Loading is not scoring: build VADER, the classifiers and the regexes first, and time that apart.
    started = time.perf_counter()
    score("warm up")
    toxicity.toxicity_scores(["warm up"])
    base_predict_prob(["warm up"])
    profanity.find_profanity("warm up")
    promises.find_promise("warm up", (), None, extra)
    language.detect_many(["warm up"])
    load_seconds = time.perf_counter() - started
    toxicity.clear_cache()

    figures: dict[str, Any] = {"texts": len(texts), "load_seconds": round(load_seconds, 2)}
    figures["sentiment"] = _rate(lambda ts: [score(t) for t in ts], texts)
    # tone scores all its texts in one call; the module's cache is emptied first so every text is scored.
    # What it is compared with is timed in the same run, alternately, best of five each: alt-profanity-check
    # alone, and the same call with the transformer's cut out of reach, which is the single-stage step the
    # two-stage check replaced (alt-profanity-check's vector, its probability, one dot product, the cache). The
    # ratios are what the whole check costs per text against each.
    def single_stage(batch: list[str]) -> list[float]:
        cut = toxicity._second_stage_from
        toxicity._second_stage_from = lambda: math.inf
        try:
            return toxicity.toxicity_scores(batch)
        finally:
            toxicity._second_stage_from = cut

    base, single, new = [], [], []
    for _ in range(5):
        base.append(_rate(base_predict_prob, texts))
        toxicity.clear_cache()
        single.append(_rate(single_stage, texts))
        toxicity.clear_cache()
        new.append(_rate(toxicity.toxicity_scores, texts))
        toxicity.clear_cache()
    figures["toxicity"] = min(new, key=lambda f: f["seconds"])
    figures["toxicity_base"] = min(base, key=lambda f: f["seconds"])
    figures["toxicity_single_stage"] = min(single, key=lambda f: f["seconds"])
    figures["toxicity_ratio_to_base"] = round(figures["toxicity"]["seconds"] / figures["toxicity_base"]["seconds"], 2)
    figures["toxicity_ratio_to_single_stage"] = round(
        figures["toxicity"]["seconds"] / figures["toxicity_single_stage"]["seconds"], 2)
    figures["toxicity_second_stage_texts"] = toxicity.second_stage_count(texts)
    figures["profanity"] = _rate(lambda ts: [profanity.find_profanity(t) for t in ts], texts)
    figures["promises"] = _rate(lambda ts: [promises.find_promise(t, (), None, extra) for t in ts], texts)
    figures["language"] = _rate(language.detect_many, texts)  # tone asks for all its untagged texts at once
    return figures


def pdf(accounts: int, findings: int) -> dict[str, Any]:
    if "def measure(" not in (BENCH / "pdf_bench.py").read_text():
        return {"error": "benchmarks/pdf_bench.py has no measure() yet", "accounts": accounts, "findings": findings}
    result_file = DATA / "pdf.json"
    result_file.unlink(missing_ok=True)
    log = DATA / "pdf.log"
    print(f"  rendering the PDF for {accounts} accounts and {findings:,} findings, then the plain table", flush=True)
    run = run_child([sys.executable, "-c", PDF_CODE, str(BENCH), str(result_file), str(accounts), str(findings)], log)
    if run["exit_code"] != 0 or not result_file.exists():
        return {"error": tail(log), "accounts": accounts, "findings": findings}
    figures = json.loads(result_file.read_text())
    figures.update(accounts=accounts, findings=findings, child_seconds=round(run["seconds"], 2),
                   peak_rss_mb=run["peak_rss_mb"])
    return figures


# ---- machine, targets, output ---------------------------------------------------

def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_count": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        # other work on the machine slows wall times down: the 1-minute load average when the run ended
        "load_average_1m": round(os.getloadavg()[0], 2),
        # the auditor's own switches, passed on to the audit (AUDITOR_SPEEDUPS=off: one process, no shortcuts)
        "environment": {k: v for k, v in os.environ.items() if k in ("AUDITOR_SPEEDUPS", "AUDITOR_JOBS")},
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) * 1024 / 1e9, 1)
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    packages = {}
    for name in ("auditor", "orjson", "weasyprint", "vaderSentiment", "alt-profanity-check", "scikit-learn"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            pass
    info["packages"] = packages
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if git.returncode == 0:
        info["commit"] = git.stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True)
        info["uncommitted_changes"] = bool(dirty.stdout.strip())
    return info


def targets(sizes: list[dict[str, Any]], pdf_figures: dict[str, Any] | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(name: str, measured: float | None, limit: float, unit: str, note: str = "") -> None:
        status = "n/a" if measured is None else ("PASS" if measured <= limit else "MISS")
        out.append({"target": name, "measured": measured, "limit": limit, "unit": unit, "status": status,
                    "note": note})

    done = [s for s in sizes if "error" not in s["audit"]]
    big = sizes[-1]
    at = f"at {big['shape']['events']:,} events"
    note = "" if big["events_target"] == 1_000_000 else "the target is for 1,000,000 events"
    ok = "error" not in big["audit"]
    add(f"audit wall time <= {FLOOR_RATIO_MAX:g}x the orjson floor, {at}",
        big["audit"].get("ratio_to_floor") if ok else None, FLOOR_RATIO_MAX, "x", note)
    add(f"audit peak memory <= {PEAK_MB_MAX / 1000:g} GB, {at}", big["audit"]["peak_mb"] if ok else None, PEAK_MB_MAX, "MB", note)
    peer_run = big.get("sla", {})
    add(f"response_time-only audit <= {SLA_PEER_RATIO_MAX:g}x the polars peer, {at}", peer_run.get("ratio_to_peer"),
        SLA_PEER_RATIO_MAX, "x", note)
    if len(sizes) > 1:
        small = sizes[0]
        events_ratio = big["shape"]["events"] / small["shape"]["events"]
        measured = None
        if len(done) == len(sizes):
            measured = round(big["audit"]["seconds"] / small["audit"]["seconds"], 2)
        add(f"scaling: {big['shape']['events']:,} events cost <= {SCALING_SLACK:g} x {events_ratio:.2f} "
            f"what {small['shape']['events']:,} cost", measured, round(SCALING_SLACK * events_ratio, 2), "x")
    if pdf_figures is not None:
        ok = "error" not in pdf_figures
        accounts, findings = pdf_figures["accounts"], pdf_figures["findings"]
        note = "" if (accounts, findings) == (200, 5000) else "the target is for 200 accounts and 5,000 findings"
        add(f"PDF for {accounts} accounts / {findings:,} findings <= {PDF_SECONDS_MAX:g} s",
            round(pdf_figures["seconds"], 2) if ok else None, PDF_SECONDS_MAX, "s", note)
        add(f"PDF time per page <= {PDF_PAGE_RATIO_MAX:g}x a plain table's",
            round(pdf_figures["ratio_per_page"], 2) if ok else None, PDF_PAGE_RATIO_MAX, "x", note)
    return out


def print_report(result: dict[str, Any], previous: dict[str, Any] | None, detectors_only: bool = False) -> None:
    if detectors_only:
        _print_text(result["text"])
        return
    m, o = result["machine"], result["options"]
    changed = " + uncommitted changes" if m.get("uncommitted_changes") else ""
    print()
    print(f"auditor benchmark, {result['date']}")
    print(f"  machine: {m['nproc']} CPUs ({m.get('cpu', '?')}), Python {m['python']}, commit {m.get('commit', '?')}"
          f"{changed}; load average {m.get('load_average_1m_at_start', '?')} at the start, "
          f"{m.get('load_average_1m', '?')} at the end")
    print(f"  data: {o['month']} only, {o['roster_accounts']:,} roster accounts, seed {o['seed']}; "
          f"{o['policy']}: 7 rules, all six kinds; the floor: the mean of a run before the audit and one after it; "
          f"the audit: one run")
    print()
    before = {s["events_target"]: s for s in (previous or {}).get("sizes", []) if "error" not in s.get("audit", {})}
    print(f"{'events':>10} {'MB':>5} | {'floor s':>7} {'lines/s':>9} | {'audit s':>8} {'cpu s':>7} "
          f"{'events/s':>9} {'peak MB':>8} {'x floor':>8} | {'last run':>9}")
    for s in result["sizes"]:
        a, f, sh = s["audit"], s["floor"], s["shape"]
        prev = before.get(s["events_target"])
        prev_text = f"{prev['audit']['seconds']:.1f} s" if prev else "-"
        if "error" in a:
            audit_text = f"{'failed: ' + (a['error'].splitlines() or [''])[-1][:45]:<54}"
        else:
            audit_text = (f"{a['seconds']:8.1f} {a['cpu_seconds']:7.1f} {a['events_per_second']:9,} "
                          f"{a['peak_mb']:8.0f} {a['ratio_to_floor']:8.1f}")
        print(f"{sh['events']:>10,} {sh['bytes'] / 1e6:5.0f} | {f['seconds']:7.2f} {f['lines_per_second']:9,} | "
              f"{audit_text} | {prev_text:>9}")
    for s in result["sizes"]:
        r = s.get("sla")
        if not r:
            continue
        a, p = r["audit"], r["peer"]
        if "error" in a or "error" in p:
            print(f"response_time only, {s['shape']['events']:,}: failed: {(a.get('error') or p['error'])[-80:]}")
            continue
        print(f"response_time only, {s['shape']['events']:,} events: auditor {a['seconds']:.1f} s "
              f"(peak {a['peak_mb']:.0f} MB), polars peer {p['seconds']:.2f} s ({p['process_seconds']:.1f} s "
              f"with its start, peak {p['peak_mb']:.0f} MB): {r['ratio_to_peer']:g}x the peer "
              f"({r['process_ratio_to_peer']:g}x its process)")
        c = r.get("columnar", {})
        if "error" in c:
            said = c["error"].strip().splitlines() or ["no output"]
            print(f"  the same figures over columns: failed: {said[-1][-100:]}")
        elif c:
            print(f"  the same figures over columns (DuckDB SQL, benchmarks/peers/duckdb_sla.py): {c['seconds']:.2f} s "
                  f"({c['process_seconds']:.1f} s with its start, peak {c['peak_mb']:.0f} MB), "
                  f"{c.get('ratio_to_peer', '?')}x the peer; equal to the audit's: "
                  f"{'yes' if c.get('same_figures') else 'NO'}")
    scaling = result.get("scaling")
    if scaling:
        print(f"scaling: {scaling['events_ratio']:g}x the events took {scaling['time_ratio']:g}x the time "
              f"({scaling['cpu_ratio']:g}x the CPU time) and {scaling['memory_ratio']:g}x the memory")
    for s in result["sizes"]:
        sh, report = s["shape"], s["audit"].get("report", {})
        busiest = sh["busiest_account"]
        print(f"  {sh['events']:,} events: {sh['dm_share']:.0%} DMs, {sh['distinct_text_share']:.0%} distinct texts, "
              f"{sh['authors']:,} authors, {sh['active_roster_accounts']:,} of {sh['roster_accounts']:,} roster "
              f"accounts active, busiest @{busiest['handle']} ({busiest['events']:,} events); the report: "
              f"{report.get('events', 0):,} events in the period, {report.get('findings', 0):,} findings")
    if result.get("text"):
        _print_text(result["text"])
    p = result.get("pdf")
    if p:
        print()
        if "error" in p:
            print(f"PDF: not measured: {p['error']}")
        else:
            cpu = f" (CPU {p['cpu_seconds']:.1f} s)" if "cpu_seconds" in p else ""
            table_cpu = f" (CPU {p['table_cpu_seconds']:.1f} s)" if "table_cpu_seconds" in p else ""
            print(f"PDF, {p['accounts']} accounts, {p['findings']:,} findings: {p['seconds']:.1f} s{cpu}, "
                  f"{p['pages']} pages, {p['seconds_per_page']:.2f} s a page")
            print(f"  plain table of as many pages: {p['table_seconds']:.1f} s{table_cpu}, {p['table_pages']} pages, "
                  f"{p['table_seconds_per_page']:.2f} s a page; report / table per page: {p['ratio_per_page']:.2f}")
    print()
    print("targets (a 2-core machine, 1M events, JSON output; all six kinds unless said)")
    for row in result["targets"]:
        measured = "-" if row["measured"] is None else f"{row['measured']:g} {row['unit']}"
        note = f"  ({row['note']})" if row["note"] else ""
        print(f"  {row['status']:<5} {row['target']:<70} {measured:>10}  limit {row['limit']:g} {row['unit']}{note}")


def _print_text(t: dict[str, Any]) -> None:
    print()
    print(f"text analysis: {t['texts']:,} distinct post texts of the smallest file, caches bypassed "
          f"(loading {t['load_seconds']} s, not counted)")
    for name in ("sentiment", "toxicity", "toxicity_single_stage", "toxicity_base", "profanity", "promises",
                 "language"):
        if name in t:
            print(f"  {name:<20} {t[name]['texts_per_second']:>9,} texts/s")
    if "toxicity_ratio_to_single_stage" in t:
        print(f"  toxicity per text: {t['toxicity_ratio_to_single_stage']:g}x the single-stage step before it "
              f"({t['toxicity_second_stage_texts']:,} of the {t['texts']:,} texts reached the transformer), "
              f"{t['toxicity_ratio_to_base']:g}x alt-profanity-check alone")
    elif "toxicity_ratio_to_base" in t:
        print(f"  toxicity per text: {t['toxicity_ratio_to_base']:g}x alt-profanity-check alone (the model before it)")


def detectors_only(args: argparse.Namespace, events: int, n_texts: int) -> int:
    path, _ = generate(args, events)
    _, post_texts = shape(path, roster_handles(), keep_texts=True)
    texts = random.Random(args.seed).sample(post_texts, min(n_texts, len(post_texts)))
    print(f"  text analysis on {len(texts):,} texts", flush=True)
    figures = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": machine(),
               "events": events, "seed": args.seed, "text": text_analysis(texts)}
    print_report({"machine": figures["machine"], "options": None, "sizes": [], "text": figures["text"]}, None,
                 detectors_only=True)
    (RESULTS / "detectors.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"figures written to {(RESULTS / 'detectors.json').relative_to(ROOT)}")
    if not args.keep:
        path.unlink(missing_ok=True)
        path.with_suffix(".args.json").unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="events per generated file, comma-separated "
                        "(default: 100000,1000000; with --quick: 5000,20000)")
    parser.add_argument("--accounts", type=int, default=2000,
                        help="generated employees on the roster, beyond the sample's eight (default: 2000)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default: 7)")
    parser.add_argument("--texts", type=int, default=None,
                        help="distinct post texts for the text analysis (default: 5000; with --quick: 1000)")
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF figures")
    parser.add_argument("--detectors-only", action="store_true", help="only the text detectors, on distinct post "
                        "texts of one generated file (the smallest size); writes benchmarks/results/detectors.json")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small files, a small PDF; writes "
                        "benchmarks/results/quick.json, not latest.json")
    parser.add_argument("--keep", action="store_true", help="keep the generated files (benchmarks/data/) and "
                        "reports; kept files are reused when the generator and its arguments are the same")
    parser.add_argument("--timeout", type=float, default=3600, help="give up on one audit after this many "
                        "seconds (default: 3600)")
    args = parser.parse_args(argv)
    default_sizes = "5000,20000" if args.quick else "100000,1000000"
    try:
        sizes = sorted({int(s.replace("_", "")) for s in (args.sizes or default_sizes).split(",")})
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: give numbers of events separated by commas, e.g. 100000,1000000")
    if sizes[0] < 1:
        parser.error(f"--sizes {args.sizes!r}: each size must be at least one event")
    n_texts = args.texts or (1000 if args.quick else 5000)
    pdf_accounts, pdf_findings = (20, 500) if args.quick else (200, 5000)

    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.detectors_only:
        return detectors_only(args, sizes[0], n_texts)
    started = datetime.now(timezone.utc)
    load_at_start = round(os.getloadavg()[0], 2)
    print(f"auditor benchmark: sizes {', '.join(f'{n:,}' for n in sizes)}; work folder {DATA.relative_to(ROOT)}/")
    files: dict[int, tuple[Path, dict[str, Any]]] = {n: generate(args, n) for n in sizes}
    from auditor.sample.generate import roster_yaml

    wanted_roster = roster_yaml(args.accounts)  # what --roster-out wrote, unless kept files came from other runs
    if ROSTER.read_text(encoding="utf-8") != wanted_roster:
        ROSTER.with_suffix(".yaml.partial").write_text(wanted_roster, encoding="utf-8")
        os.replace(ROSTER.with_suffix(".yaml.partial"), ROSTER)

    check = subprocess.run([*auditor_command(), "validate", str(POLICY.relative_to(ROOT))], cwd=ROOT,
                           capture_output=True, text=True)
    print(f"  {check.stdout.strip() or check.stderr.strip()}")
    if check.returncode != 0:
        sys.exit("error: the benchmark policy is not valid")

    roster = roster_handles()
    results: list[dict[str, Any]] = []
    texts: list[str] = []
    for i, n in enumerate(sizes):
        path, made = files[n]
        file_shape, post_texts = shape(path, roster, keep_texts=(i == 0))
        if i == 0:
            texts = random.Random(args.seed).sample(post_texts, min(n_texts, len(post_texts)))
        print(f"  {n:,}: floor", flush=True)
        before = floor_run(path)
        audit_figures = audit(path, file_shape["events"], args.timeout)
        print(f"  {n:,}: floor again", flush=True)
        floor_figures = floor([before, floor_run(path)])
        if "error" not in audit_figures:
            audit_figures["ratio_to_floor"] = round(audit_figures["seconds"] / floor_figures["seconds"], 1)
            audit_figures["cpu_ratio_to_floor"] = round(audit_figures["cpu_seconds"] / floor_figures["cpu_seconds"], 1)
        else:
            print(f"  the audit failed: {audit_figures['error']}", file=sys.stderr)
        sla_figures = sla.measure(path, file_shape["events"], ROSTER, audit, run_child, DATA, args.timeout, MONTH)
        results.append({"events_target": n, "file": str(path.relative_to(ROOT)), "generate": made,
                        "shape": file_shape, "floor": floor_figures, "audit": audit_figures, "sla": sla_figures})

    print(f"  text analysis on {len(texts):,} texts", flush=True)
    text_figures = text_analysis(texts)
    pdf_figures = None if args.skip_pdf else pdf(pdf_accounts, pdf_findings)

    result: dict[str, Any] = {
        "schema": 1, "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"), "quick": args.quick,
        "machine": {**machine(), "load_average_1m_at_start": load_at_start},
        "options": {"sizes": sizes, "month": MONTH, "seed": args.seed, "accounts": args.accounts,
                    "roster_accounts": len(roster), "policy": str(POLICY.relative_to(ROOT)),
                    "text_sample": n_texts, "floor_runs": 2, "audit_runs": 1},
        "sizes": results,
        "text": text_figures,
        "pdf": pdf_figures,
        "seconds": None,
    }
    if len(results) > 1 and all("error" not in s["audit"] for s in results):
        small, big = results[0], results[-1]
        result["scaling"] = {
            "from_events": small["shape"]["events"], "to_events": big["shape"]["events"],
            "events_ratio": round(big["shape"]["events"] / small["shape"]["events"], 2),
            "time_ratio": round(big["audit"]["seconds"] / small["audit"]["seconds"], 2),
            "cpu_ratio": round(big["audit"]["cpu_seconds"] / small["audit"]["cpu_seconds"], 2),
            "memory_ratio": round(big["audit"]["peak_mb"] / small["audit"]["peak_mb"], 2),
        }
    result["targets"] = targets(results, pdf_figures)
    result["seconds"] = round((datetime.now(timezone.utc) - started).total_seconds(), 1)

    latest = RESULTS / ("quick.json" if args.quick else "latest.json")
    previous = json.loads(latest.read_text()) if latest.exists() else None
    print_report(result, previous)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    latest.write_text(text)
    written = [latest]
    if not args.quick:
        dated = RESULTS / f"{started.strftime('%Y-%m-%dT%H%M%SZ')}.json"
        dated.write_text(text)
        written.append(dated)
    print()
    names = ", ".join(str(p.relative_to(ROOT)) for p in written)
    print(f"figures written to {names} ({result['seconds']:.0f} s in all)")

    if not args.keep:
        for n in sizes:
            path = files[n][0]
            path.unlink(missing_ok=True)
            path.with_suffix(".args.json").unlink(missing_ok=True)
            (DATA / f"out-{path.stem}" / "report.json").unlink(missing_ok=True)
    # 0 whatever the targets say (PASS/MISS is in the table and the JSON); 1 when a measurement failed
    failed = any("error" in s["audit"] for s in results) or (pdf_figures is not None and "error" in pdf_figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
