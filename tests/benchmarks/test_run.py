"""benchmarks/run.py's own logic: its arguments and how it combines the floor's runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.benchmarks.peers import BENCHMARKS, load_script


@pytest.mark.parametrize("sizes, says", [("abc", "give numbers of events separated by commas"),
                                         ("100000,1e6", "give numbers of events separated by commas"),
                                         ("0,5000", "each size must be at least one event")])
def test_bad_sizes_are_one_usage_error(sizes, says):
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--sizes", sizes],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_the_floor_is_the_mean_of_its_runs_on_either_side_of_the_audit():
    run = load_script(BENCHMARKS / "run.py", "bench_run")
    before = {"seconds": 1.86, "lines": 1000, "cpu_seconds": 1.9}
    after = {"seconds": 1.19, "lines": 1000, "cpu_seconds": 1.3}
    floor = run.floor([before, after])
    assert floor == {"seconds": 1.525, "lines": 1000, "lines_per_second": round(1000 / 1.525), "runs": 2,
                     "runs_seconds": [1.86, 1.19], "cpu_seconds": 1.6}
