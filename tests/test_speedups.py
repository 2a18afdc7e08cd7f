"""The switch and the worker pool behind the audit's shortcuts (auditor/speedups.py)."""

from __future__ import annotations

import os
from contextlib import nullcontext

import pytest

from auditor import speedups
from tests.factories import cli_report_bytes


def _lengths(texts):
    return [(len(text), os.getpid()) for text in texts]


def test_parallel_map_keeps_input_order_and_uses_workers(monkeypatch):
    monkeypatch.setattr(speedups, "PARALLEL_MIN_ITEMS", 10)
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    texts = ["x" * n for n in range(50)]
    result = speedups.parallel_map(_lengths, texts)
    assert [length for length, _ in result] == list(range(50))
    assert os.getpid() not in {pid for _, pid in result}


def _sizes(texts):
    return [(len(texts), os.getpid())] * len(texts)


@pytest.mark.parametrize("pooled", [False, True])
def test_workers_take_bounded_batches_in_input_order(monkeypatch, pooled):
    # A worker is never handed more than PARALLEL_BATCH items (its memory follows the batch, not the
    # month), and the answers come back in the order of the items, whichever worker took which batch.
    monkeypatch.setattr(speedups, "PARALLEL_MIN_ITEMS", 10)
    monkeypatch.setattr(speedups, "PARALLEL_BATCH", 7)
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    texts = ["x" * n for n in range(50)]
    with speedups.worker_pool() if pooled else nullcontext():
        sizes = speedups.parallel_map(_sizes, texts)
        lengths = speedups.parallel_map(_lengths, texts)
    assert [length for length, _ in lengths] == list(range(50))
    assert sorted({size for size, _ in sizes}) == [1, 7]  # seven batches of 7, the last of 1
    assert os.getpid() not in {pid for _, pid in sizes}


def test_small_inputs_and_the_switch_stay_in_this_process(monkeypatch):
    monkeypatch.setattr(speedups, "PARALLEL_MIN_ITEMS", 10)
    assert {pid for _, pid in speedups.parallel_map(_lengths, ["a"] * 5)} == {os.getpid()}
    monkeypatch.setenv("AUDITOR_SPEEDUPS", "off")
    assert {pid for _, pid in speedups.parallel_map(_lengths, ["a"] * 50)} == {os.getpid()}


def test_work_in_the_background_keeps_the_workers_and_the_rest_runs_here(monkeypatch):
    import threading

    monkeypatch.setattr(speedups, "PARALLEL_MIN_ITEMS", 10)
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    texts = ["x" * n for n in range(50)]
    release = threading.Event()

    def background_job():
        release.wait(timeout=30)  # still running while the caller maps its own texts
        return speedups.parallel_map(_lengths, texts)

    with speedups.worker_pool():
        job = speedups.in_background(background_job)
        meanwhile = speedups.parallel_map(_lengths, texts)
        release.set()
        in_workers = job.result()
        after = speedups.parallel_map(_lengths, texts)
    assert [length for length, _ in meanwhile] == [length for length, _ in in_workers] == list(range(50))
    assert {pid for _, pid in meanwhile} == {os.getpid()}  # the workers were taken: this process did it
    assert os.getpid() not in {pid for _, pid in in_workers}
    assert os.getpid() not in {pid for _, pid in after}  # once the job is done, the workers serve everyone


def test_background_work_without_workers_runs_when_asked_and_raises_there(monkeypatch):
    calls = []
    job = speedups.in_background(lambda: calls.append("ran") or "done")
    assert calls == []
    assert job.result() == "done" and calls == ["ran"]
    with speedups.worker_pool():
        failing = speedups.in_background(lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            failing.result()


@pytest.mark.parametrize("value, on", [("off", False), ("0", False), ("OFF", False), ("on", True), ("", True)])
def test_switch_values(monkeypatch, value, on):
    monkeypatch.setenv("AUDITOR_SPEEDUPS", value)
    assert speedups.enabled() is on


def test_jobs_follow_the_environment(monkeypatch):
    monkeypatch.setenv("AUDITOR_JOBS", "3")
    assert speedups.jobs() == 3
    monkeypatch.setenv("AUDITOR_JOBS", "many")
    assert speedups.jobs() >= 1
    monkeypatch.setenv("AUDITOR_SPEEDUPS", "off")
    assert speedups.jobs() == 1


def test_report_json_is_byte_identical_with_and_without_speedups(tmp_path, monkeypatch):
    from auditor.bundled import policies_folder, sample_data
    from auditor.sample.generate import write_jsonl

    policy = policies_folder() / "example.yaml"
    generated = tmp_path / "generated.jsonl"
    write_jsonl(generated, events=15_000)
    for name, data in (("demo", sample_data()), ("generated", generated)):
        fast = cli_report_bytes(policy, data, tmp_path / f"{name}-fast", monkeypatch, True)
        plain = cli_report_bytes(policy, data, tmp_path / f"{name}-plain", monkeypatch, False)
        assert fast == plain, name
        assert b'"findings"' in fast


TWCS_POLICY = """\
name: TWCS brands
timezone: America/New_York
accounts:
{accounts}
calendars:
  office:
    weekdays: [mon, tue, wed, thu, fri]
    hours: "09:00-12:30, 12:30-17:00"
    holidays: {{country: US}}
rules:
  - id: answer-in-office-hours
    type: response_time
    severity: high
    within: 2h
    clock: office
  - id: answer-within-a-day
    type: response_time
    severity: medium
    within: 24h
    responders: team
"""


def test_report_json_is_byte_identical_with_and_without_speedups_on_real_rows(tmp_path, monkeypatch):
    """The real customer-support rows of shared/data (TWCS), over a business-hours clock."""
    import csv

    from tests.shared_data import shared

    rows = shared("twcs", "twcs-rows-0-2499.csv")
    with open(rows, newline="", encoding="utf-8") as f:
        brands = sorted({row["author_id"] for row in csv.DictReader(f) if row["author_id"] and not row["author_id"].isdigit()})
    accounts = "\n".join(f"  - {{handle: {brand}, kind: brand, team: {'a' if n % 2 else 'b'}}}"
                         for n, brand in enumerate(brands))
    policy = tmp_path / "twcs.yaml"
    policy.write_text(TWCS_POLICY.format(accounts=accounts), encoding="utf-8")
    fast = cli_report_bytes(policy, rows, tmp_path / "fast", monkeypatch, True, period="2017-10")
    plain = cli_report_bytes(policy, rows, tmp_path / "plain", monkeypatch, False, period="2017-10")
    assert fast == plain
    assert b'"answered_at"' in fast  # answered episodes were timed on the office clock


_FRAGMENTED_HEAP = """
import sys
from auditor import speedups
if sys.argv[1] == "on":
    speedups.return_freed_memory()
def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 1e6
big = bytearray(8_000_000); del big  # glibc's default: allocations up to 8 MB now come from the heap
before = resident_mb()
blocks = [bytearray(1_000_000) for _ in range(100)]
pinned = bytearray(300_000)  # above them in the heap: freeing them cannot shrink the heap's top
del blocks
print(round(resident_mb() - before))
"""


@pytest.mark.skipif(not speedups._glibc(), reason="glibc's malloc settings")
def test_freed_blocks_go_back_to_the_system_once_asked():
    # Rules build large lists and arrays and drop them; with glibc's adaptive thresholds their
    # memory stayed resident to the end of the audit (70-80 MB at a million events).
    import subprocess
    import sys

    def kept_mb(switch):
        run = subprocess.run([sys.executable, "-c", _FRAGMENTED_HEAP, switch], capture_output=True, text=True, check=True)
        return int(run.stdout)

    assert kept_mb("off") > 80
    assert kept_mb("on") < 10


_WORKER_IMPORTS = """
import sys
from pathlib import Path
from auditor.policy.loader import load_policy
from auditor.rules import _shared, escalation, response_time, tone
from auditor.text.offers import find_channels
from auditor.text.promises import find_promise
from auditor.text.sentiment import sentiment, sentiment_below

kind = sys.argv[1]
[rule] = [rule for rule in load_policy(Path("policies/example.yaml")).policy.rules if rule.type == kind][:1]
rule.prepare()
before = set(sys.modules)
texts = ["@acme this is useless, DM me and I will sort it", "Merci beaucoup pour votre aide, c'est parfait !",
         "WHY IS NOBODY ANSWERING THE PHONE AT ALL", "thanks!", "@acme where is my order? it is two weeks late"]
if kind == "tone":
    tone._text_verdicts(rule.checks, rule.exempt_idioms, [(text, None) for text in texts])
elif kind == "follow_through":
    _shared._each_text(find_promise, rule._phrases(), texts)
elif kind == "escalation":
    _shared._each_text(sentiment_below, (-0.3,), texts)
    _shared._each_text(sentiment, (), texts)
    _shared._each_text(find_channels, (), texts)
    escalation.reads_as_english([(text, None) for text in texts])
elif kind == "response_time":
    _shared._each_text(response_time._traits, (), texts)
    _shared._each_text(response_time._passing_needs_answer, (-0.3,), ["acme\x1f" + text for text in texts])
    _shared._each_text(response_time._selected, (("question", "complaint"), -0.3), texts)
    response_time.reads_as_english([(text, None) for text in texts])
print(" ".join(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("kind", ["tone", "follow_through", "escalation", "response_time"])
def test_what_the_workers_run_was_imported_before_they_fork(kind):
    # Workers share what a rule's `prepare` loads before the fork; a module a detector imports on
    # first use is loaded again in each worker, in memory of its own (scipy.sparse: 22 MB a worker).
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", _WORKER_IMPORTS, kind], capture_output=True, text=True, check=True,
                         cwd=root)
    assert run.stdout.split() == []


def _priority(items):
    return [os.getpriority(os.PRIO_PROCESS, 0) for _ in items]


def test_the_workers_yield_the_cpu_to_this_process(monkeypatch):
    # This process's own work (reading, indexing, the rules' Python) is the audit's longest path: a
    # worker scoring texts beside it must not take two thirds of its CPU.
    monkeypatch.setattr(speedups, "PARALLEL_MIN_ITEMS", 10)
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    here = os.getpriority(os.PRIO_PROCESS, 0)
    with speedups.worker_pool():
        there = set(speedups.parallel_map(_priority, ["x"] * 50))
    assert there == {min(19, here + speedups.WORKER_NICENESS)}
    assert os.getpriority(os.PRIO_PROCESS, 0) == here


def _until_asked():
    import time

    while not speedups.asked_to_finish():
        time.sleep(0.01)
    return ("done", os.getpid(), os.getpriority(os.PRIO_PROCESS, 0))


def _fails():
    raise RuntimeError("a bug")


def test_work_beside_runs_in_its_own_process_until_asked(monkeypatch):
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    here = os.getpriority(os.PRIO_PROCESS, 0)
    with speedups.worker_pool(beside=(_until_asked, ())) as beside:
        assert not speedups.asked_to_finish()  # only ever asked of the process beside
        done, pid, priority = beside.finish()
        assert beside.finish() is None  # once
    assert done == "done" and pid != os.getpid() and priority == min(19, here + speedups.WORKER_NICENESS)


def test_work_beside_that_fails_gives_nothing_and_the_rest_goes_on(monkeypatch):
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    with speedups.worker_pool(beside=(_fails, ())) as beside:
        assert beside.finish() is None
        assert speedups.parallel_map(_lengths, ["ab"] * 5) == [(2, os.getpid())] * 5


def test_work_beside_never_asked_for_is_stopped_with_the_pool(monkeypatch):
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    with speedups.worker_pool(beside=(_until_asked, ())) as beside:
        process = beside._process
        assert process.is_alive()
    assert not process.is_alive()


def test_without_workers_nothing_is_started_beside(monkeypatch):
    monkeypatch.setenv("AUDITOR_SPEEDUPS", "off")
    with speedups.worker_pool(beside=(_fails, ())) as beside:
        assert beside is None


def _until_interrupted():
    import signal
    import time

    os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C would: the whole process group gets it
    time.sleep(0.05)
    return "still here"


def test_work_beside_leaves_ctrl_c_to_its_parent(monkeypatch, capfd):
    monkeypatch.setenv("AUDITOR_JOBS", "2")
    with speedups.worker_pool(beside=(_until_interrupted, ())) as beside:
        assert beside.finish() == "still here"
    assert "KeyboardInterrupt" not in capfd.readouterr().err
