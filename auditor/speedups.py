"""Shortcuts that change how fast an audit runs or how much memory it holds, never what it finds, and
the switch that turns them off.

`AUDITOR_SPEEDUPS=off` runs every detector on every text, in one process. The
test suite audits the same data both ways and compares report.json bytes; the
benchmark uses the switch to show what each shortcut is worth.

`AUDITOR_JOBS=N` caps the worker processes used for text scoring (default: the
CPUs this process may run on).
"""

from __future__ import annotations

import ctypes
import gc
import os
import platform
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from multiprocessing import get_context
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K")
R = TypeVar("R")

# Below this many texts a worker pool costs more to start than it saves.
PARALLEL_MIN_ITEMS = 4000
# Items a worker is given at once.
PARALLEL_BATCH = 10_000
# Threads for `in_background` jobs; more jobs than this wait for a thread.
BACKGROUND_THREADS = 16
# How much the workers yield to this process (nice(2)): its own work (reading, indexing, the rules'
# Python) is the audit's longest path, and the workers' texts fill the CPU it leaves. At 5 each
# weighs a third of this process for the scheduler, so with as many workers as CPUs it still gets
# a whole CPU (from 2 CPUs up); more would only cede more to other programs on a shared machine
# (nice counts against every process, not only this one). 10 measured the same on the 1M month.
WORKER_NICENESS = 5
# glibc's mallopt parameters (malloc.h) and the size from which a block is mapped on its own.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_OWN_MAPPING_FROM = 128 * 1024


def enabled() -> bool:
    if _switch_in_worker is not None:
        return _switch_in_worker
    return os.environ.get("AUDITOR_SPEEDUPS", "on").strip().lower() not in {"off", "0", "no", "false"}


# A worker's environment is its parent's at the fork and never changes after it, so a worker reads
# the switch once. Detectors ask for it once a text: reading the environment each time (0.65 us)
# cost the workers 1.3 s of CPU at a million events.
_switch_in_worker: bool | None = None


def _start_worker() -> None:
    global _switch_in_worker
    _switch_in_worker = enabled()
    _yield_to_parent()
    return_freed_memory()


def _yield_to_parent() -> None:
    """Run below this process's priority. While it reads, indexes and evaluates, three processes
    want the two CPUs; on equal terms it gets two thirds of one and the run ends waiting for its
    rules, with the workers long done."""
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # no nice() here, or not allowed: the same work at the same priority
        pass


def jobs() -> int:
    if not enabled():
        return 1
    wanted = os.environ.get("AUDITOR_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def parallel_map(function: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> list[R]:
    """``function(items)`` computed in batches on every available CPU, results in input order.

    ``function`` takes a batch and returns one result per item; it must be a
    module-level function (or a ``functools.partial`` of one) because batches
    run in forked worker processes. Pure functions only: a worker's side
    effects (caches) are lost.
    """
    if _background_jobs and not getattr(_thread, "in_background", False):
        # The workers are busy with a job started `in_background`; this process is the free CPU.
        return function(items)
    workers = min(_pool_size if _pool else jobs(), max(1, len(items) // (PARALLEL_MIN_ITEMS // 2)))
    if workers < 2 or len(items) < PARALLEL_MIN_ITEMS or "fork" not in _start_methods():
        return function(items)
    # Batches of at most PARALLEL_BATCH items, taken by whichever worker is free: a worker holds one
    # batch's texts and answers at a time, whatever the month's size, and both finish together.
    batches = [items[start:start + PARALLEL_BATCH] for start in range(0, len(items), PARALLEL_BATCH)]
    if _pool is not None:
        return [answer for part in _pool.map(function, batches) for answer in part]
    # fork: workers start in milliseconds with the detectors (lexicons, classifier) already loaded.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=_start_worker) as pool:
        return [answer for part in pool.map(function, batches) for answer in part]


_pool: ProcessPoolExecutor | None = None
_pool_size = 0
_threads: ThreadPoolExecutor | None = None
_background_jobs = 0  # jobs started by `in_background` and not finished
_background_lock = threading.Lock()
_thread = threading.local()  # `in_background` marks its threads: their maps keep the workers


class _Later:
    """A job run when its result is asked for: `in_background` without workers (same results, in order)."""

    def __init__(self, function: Callable[[], R]):
        self._function = function

    def result(self) -> R:
        return self._function()


def in_background(function: Callable[[], R]) -> "Future[R] | _Later":
    """Start ``function`` (whose heavy part is a `parallel_map`) in a thread, beside the caller.

    For work that is mostly waiting for the workers (the tone rule scores every post's text there):
    while it runs, the workers score its texts and this process goes on with other work instead of
    waiting, and a `parallel_map` called meanwhile from any other thread runs in this process rather
    than queue behind it. Without workers (one CPU, `AUDITOR_SPEEDUPS=off`) ``function`` runs when
    its result is asked for. ``function`` must only read what other threads share (an audit's index
    and context are never changed once built).
    """
    global _background_jobs
    if _threads is None:
        return _Later(function)

    def run() -> R:
        global _background_jobs
        _thread.in_background = True
        try:
            return function()
        finally:
            with _background_lock:
                _background_jobs -= 1

    with _background_lock:
        _background_jobs += 1
    return _threads.submit(run)


def in_turn(jobs: "dict[K, Future[R] | _Later]") -> Iterator[tuple[K, R]]:
    """Each job's key and result as the jobs finish (`in_background`'s futures), so the caller deals
    with whichever is done instead of waiting on one while another is ready. Jobs run later
    (without workers) run now, in the order given."""
    waiting = {job: key for key, job in jobs.items() if isinstance(job, Future)}
    for key, job in jobs.items():
        if not isinstance(job, Future):
            yield key, job.result()
    for job in as_completed(waiting):
        yield waiting[job], job.result()


@contextmanager
def worker_pool(prepare: Callable[[], None] = lambda: None,
                beside: tuple[Callable[..., R], tuple] | None = None) -> "Iterator[Beside | None]":
    """Fork the workers now, while this process is still small, for every `parallel_map` inside.

    A worker forked from a process holding a million events shares its memory only until it
    allocates: Python reuses free slots all over the parent's heap, and every page touched is
    copied (two workers added ~360 MB at a million events). Forked before the events are read,
    they hold only what `prepare` loads first (the detectors' models).

    `beside` (a function and its arguments) is started in a process of its own too, to use the CPU
    this process leaves idle while it reads; the context gives its `Beside` (None without workers).
    """
    global _pool, _pool_size, _threads
    workers = jobs()
    if workers < 2 or _pool is not None or "fork" not in _start_methods():
        yield None
        return
    prepare()
    # What the workers inherit is never collected in them: a collection that walked it would write to
    # every object's header and copy its page into the worker (Python's gc docs: freeze before fork).
    gc.freeze()
    # Forked first: the pool's first task starts its manager thread, and a process is forked with no thread running.
    started = Beside(*beside) if beside is not None else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"),
                               initializer=_start_worker)
    pool.submit(int).result()  # with fork, the first task starts every worker at once
    # Threads for `in_background`, started after the fork (a process is never forked with threads running).
    # One thread a job (a policy has a handful of such rules): a job queued for a thread would start its
    # texts late and leave this process waiting for it at the end.
    threads = ThreadPoolExecutor(max_workers=BACKGROUND_THREADS, thread_name_prefix="auditor-background")
    _pool, _pool_size, _threads = pool, workers, threads
    try:
        yield started
    finally:
        _pool, _pool_size, _threads = None, 0, None
        if started is not None:
            started.cancel()
        threads.shutdown(cancel_futures=True)
        pool.shutdown(cancel_futures=True)


class Beside:
    """``function(*args)`` run in a process of its own, forked now, while this one goes on (reading the
    data, say); `finish()` asks it to stop, waits for it and returns what it made.

    For work that fills a CPU this process leaves idle and that is worth having in part: the function
    looks at `asked_to_finish()` between steps and returns what it has done so far. Whatever goes
    wrong in it (an unreadable file, a bug) only loses its head start: `finish()` then returns None.
    The process exits when it is done, so what it allocated leaves with it. Forked (the function and
    its arguments are inherited, never pickled) by `worker_pool`, at a lower priority like the workers.
    """

    def __init__(self, function: Callable[..., R], args: tuple) -> None:
        context = get_context("fork")
        self._stop = context.Event()
        self._received, sent = context.Pipe(duplex=False)
        self._process = context.Process(target=_run_beside, args=(function, args, self._stop, sent), daemon=True)
        self._process.start()
        sent.close()  # this process only reads: the pipe ends (EOFError) when the child goes

    def finish(self) -> R | None:
        if self._received.closed:
            return None  # finished before, or cancelled
        self._stop.set()
        try:
            made = self._received.recv()
        except (EOFError, OSError):
            made = None
        finally:
            self._received.close()
            self._process.join()
        return made

    def cancel(self) -> None:
        """Stop it without waiting for what it made (the audit failed, or never asked)."""
        if not self._received.closed:
            self._received.close()
            self._process.terminate()
            self._process.join()


_finish_asked: "threading.Event | None" = None  # in a `Beside` process: its parent's request to finish


def asked_to_finish() -> bool:
    """In a `Beside` process: whether the parent has asked for what it made (False anywhere else)."""
    return _finish_asked is not None and _finish_asked.is_set()


def _run_beside(function: Callable[..., R], args: tuple, stop, sent) -> None:
    global _finish_asked
    # Ctrl-C reaches the whole process group: the parent stops this process itself (`cancel`), and
    # this one must not print a traceback of its own on the way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _start_worker()
    _finish_asked = stop
    try:
        made = function(*args)
    except Exception:  # noqa: BLE001 - a head start lost, never the audit: the parent does the work itself
        made = None
    try:
        sent.send(made)
    except Exception:  # noqa: BLE001 - an answer that does not pickle, the parent gone: it gets nothing
        pass
    finally:
        sent.close()


def _start_methods() -> list[str]:
    from multiprocessing import get_all_start_methods

    return get_all_start_methods()


def return_freed_memory() -> None:
    """Have glibc's malloc give large freed blocks back to the system at once.

    By default glibc raises its thresholds to the largest block freed so far: after the first
    large array is freed, blocks up to its size come from the heap, and once freed they stay
    resident as long as anything newer sits above them. An audit builds and drops such lists and
    arrays rule after rule, and kept 70-100 MB that way at a million events. With the thresholds
    fixed at glibc's own defaults (mallopt(3)), every block from 128 KiB is mapped on its own and
    unmapped when freed. The audit calls this once the events are read, and each worker when it
    starts: set before reading, it cost the reader 1-1.5 s (its block buffers, mapped afresh each
    time) for 20 MB more. Elsewhere than glibc, nothing to do.
    """
    if not _glibc():
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, _OWN_MAPPING_FROM)
        libc.mallopt(_M_TRIM_THRESHOLD, _OWN_MAPPING_FROM)
    except (OSError, AttributeError):
        pass  # no mallopt to call: memory is only held longer


def _glibc() -> bool:
    return platform.libc_ver()[0] == "glibc"


@contextmanager
def no_gc() -> Iterator[None]:
    """Loading many small objects runs ~2.5x faster without the cyclic collector (nothing here forms cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
