"""Response times alone, the auditor against the polars peer, on the same file in the same run.

benchmarks/run.py calls `measure` for each size after the full audit: the
auditor with benchmarks/policy_sla.yaml (one `response_time` rule, no text read)
and benchmarks/peers/polars_sla.py (the first direct reply per customer post,
read_ndjson and one join), each in a child process; the ratio is the auditor's
wall time over the peer's. The peer's own figure (`peer.seconds`, the one the
target is checked against) leaves out its interpreter's start and imports, the
auditor's includes them (as the full audit's does): the stricter reading.
`process_ratio_to_peer` divides by the peer's whole child process instead.
Then benchmarks/peers/duckdb_sla.py computes the audit's own figures for that
rule in SQL (what the same answers take over columns), and its figures are
checked against the audit's report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
POLICY_SLA = BENCH / "policy_sla.yaml"
PEER = BENCH / "peers" / "polars_sla.py"
COLUMNAR = BENCH / "peers" / "duckdb_sla.py"
WITHIN_HOURS = 24  # benchmarks/policy_sla.yaml: within: 24h
TIMEZONE = "America/Toronto"  # benchmarks/policy_sla.yaml: timezone
# The rule's metrics the columnar script computes, named as in report.json.
METRICS = ("episodes", "answered", "met", "breached", "pending", "median_response_seconds")


def peer(path: Path, roster: Path, run_child: Callable[..., dict[str, Any]], log: Path) -> dict[str, Any]:
    """The polars peer's figures (its own timing of reading and computing, and the child's wall time and peak)."""
    return _run_script([str(PEER), str(path), str(roster), "--within-hours", str(WITHIN_HOURS)], run_child, log)


def columnar(path: Path, roster: Path, month: str, run_child: Callable[..., dict[str, Any]], log: Path
             ) -> dict[str, Any]:
    """The audit's own figures for the rule, computed in DuckDB SQL (its timing, the child's wall time and peak)."""
    return _run_script([str(COLUMNAR), str(path), str(roster), "--month", month, "--timezone", TIMEZONE,
                        "--within-hours", str(WITHIN_HOURS)], run_child, log)


def _run_script(argv: list[str], run_child: Callable[..., dict[str, Any]], log: Path) -> dict[str, Any]:
    """A peer script in a child process: the JSON line it prints last, with the child's wall time and peak."""
    run = run_child([sys.executable, *argv], log, memory=True)
    if run["exit_code"] != 0:
        return {"error": log.read_text(errors="replace")[-2000:]}
    inner = json.loads(log.read_text().strip().splitlines()[-1])
    return {**inner, "process_seconds": round(run["seconds"], 2), "cpu_seconds": run["cpu_seconds"],
            "peak_mb": max(run["peak_rss_mb"], run.get("tree_peak_pss_mb") or 0.0)}


def measure(path: Path, events: int, roster: Path, audit: Callable[..., dict[str, Any]],
            run_child: Callable[..., dict[str, Any]], data: Path, timeout: float | None, month: str
            ) -> dict[str, Any]:
    print("  response_time only: the auditor, the polars peer, the same figures over columns", flush=True)
    auditor = audit(path, events, timeout, policy=POLICY_SLA, tag="sla")
    found = peer(path, roster, run_child, data / f"peer-{path.stem}.log")
    over_columns = columnar(path, roster, month, run_child, data / f"columnar-{path.stem}.log")
    figures: dict[str, Any] = {"audit": auditor, "peer": found, "columnar": over_columns}
    if "error" not in auditor and "error" not in found:
        figures["ratio_to_peer"] = round(auditor["seconds"] / found["seconds"], 1)
        figures["process_ratio_to_peer"] = round(auditor["seconds"] / found["process_seconds"], 1)
    if "error" not in over_columns and "error" not in found:
        over_columns["ratio_to_peer"] = round(over_columns["seconds"] / found["seconds"], 1)
    if "error" not in over_columns and "error" not in auditor:
        metrics = auditor["report"]["rule_metrics"]
        over_columns["same_figures"] = all(over_columns[name] == metrics.get(name) for name in METRICS)
    return figures
