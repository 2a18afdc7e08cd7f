"""Progress of long commands (import, fetch, audit): bars on a terminal, one line in a log, nothing when quiet.

A command opens a `reporter`; the library reports to whichever one is open
(`current()`), so readers and the audit need no extra parameters. Outside a
command (tests, the benchmark, the library used on its own) nothing is open and
reporting costs nothing: `counted` hands back the very iterable it was given.

* On a terminal (standard error is a TTY): a rich progress display on standard
  error, a line a task, with counts, the rate and the elapsed time; lines the
  command says (`say`) print above it.
* Not on a terminal (a cron log, CI): the command's lines as they come, and one
  summary line at the end: what each task did, how many, how fast.
* `--quiet`: nothing at all from here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, TypeVar

from auditor.terminal import safe

T = TypeVar("T")

# Lines come from data (file names, handles): never a control character into a terminal
# (auditor/terminal.py shows each as a visible escape).
COUNT_EVERY = 4096  # items between two updates of a counted loop
RATED = {"events", "rows", "posts"}  # units a rate says something about (not 7 rules, nor 5 files)


def clean(text: str) -> str:
    return safe(str(text))


class Task:
    """One piece of work with a count: events read, rules evaluated, files written, accounts fetched."""

    def __init__(self, label: str, total: int | None, unit: str):
        self.label, self.total, self.unit = label, total, unit
        self.count = 0
        self.started = time.monotonic()
        self.finished: float | None = None
        self.what = ""

    def advance(self, n: int = 1, what: str | None = None) -> None:
        self.count += n
        if what is not None:
            self.what = clean(what)

    def update(self, what: str) -> None:
        """Say what the task is on now (an account and endpoint, a rule, a file)."""
        self.what = clean(what)

    def done(self) -> None:
        if self.finished is None:
            self.finished = time.monotonic()

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    def summary(self) -> str:
        seconds = self.seconds
        rate = f" ({self.count / seconds:,.0f}/s)" if seconds > 0 and self.count > 1 and self.unit in RATED else ""
        return f"{self.label}: {self.count:,} {self.unit} in {seconds:.1f} s{rate}"


class Reporter:
    """Quiet: keeps count (the tasks still work) and shows nothing."""

    def __init__(self, command: str):
        self.command = command
        self.tasks: list[Task] = []
        self.started = time.monotonic()

    def task(self, label: str, total: int | None = None, unit: str = "events") -> Task:
        task = Task(clean(label), total, unit)
        self.tasks.append(task)
        return task

    def say(self, line: str) -> None:
        """A line for the person running the command (not progress: what was written, fetched...)."""

    def out(self, line: str) -> None:
        """A line of the command's output proper, on standard output."""
        print(clean(line), file=sys.stdout, flush=True)

    def close(self, ok: bool = True) -> None:
        """`ok` False: the command failed, and its one error line is all it should print."""
        for task in self.tasks:
            task.done()


class LogReporter(Reporter):
    """Not a terminal: the command's lines as they come, then one summary line."""

    def __init__(self, command: str, stream: IO[str]):
        super().__init__(command)
        self.stream = stream

    def say(self, line: str) -> None:
        print(clean(line), file=self.stream, flush=True)

    def close(self, ok: bool = True) -> None:
        super().close(ok)
        if not ok:
            return
        done = [task.summary() for task in self.tasks if task.count or task.total]
        took = time.monotonic() - self.started
        print(f"{self.command}: " + "; ".join([*done, f"{took:.1f} s in all"]), file=self.stream, flush=True)


class LiveReporter(Reporter):
    """A terminal: a rich progress display, a line a task."""

    def __init__(self, command: str, stream: IO[str]):
        super().__init__(command)
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream, force_terminal=True, highlight=False, markup=False, emoji=False)
        self.progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description}", markup=False),
            BarColumn(bar_width=24),
            TextColumn("{task.fields[count]}", markup=False),
            TextColumn("{task.fields[rate]}", markup=False),
            TimeElapsedColumn(),
            TextColumn("{task.fields[what]}", markup=False),
            console=self.console,
            refresh_per_second=5,
            transient=False,
            # Standard output may be a file or a pipe (a JSON report): never routed to the display.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self.ids: dict[int, int] = {}
        self.progress.start()

    def task(self, label: str, total: int | None = None, unit: str = "events") -> Task:
        task = _LiveTask(self, clean(label), total, unit)
        self.tasks.append(task)
        self.ids[id(task)] = self.progress.add_task(task.label, total=total, count="", rate="", what="")
        return task

    def refresh(self, task: Task) -> None:
        seconds = task.seconds
        count = f"{task.count:,}/{task.total:,} {task.unit}" if task.total else f"{task.count:,} {task.unit}"
        # A rate over the first instants swings wildly: said once the task has run a while, or is done.
        rate = f"{task.count / seconds:,.0f}/s" if task.count and seconds > 0 and task.unit in RATED \
            and (seconds >= 0.5 or task.finished) else ""
        total = task.total if task.total else (task.count if task.finished else None)
        self.progress.update(self.ids[id(task)], completed=task.count, total=total, count=count, rate=rate,
                             what=task.what)

    def say(self, line: str) -> None:
        self.console.print(clean(line), markup=False, highlight=False, soft_wrap=True)

    def out(self, line: str) -> None:
        if _is_terminal(sys.stdout):  # the same screen as the bars: above them, or the display garbles it
            self.say(line)
        else:
            super().out(line)

    def close(self, ok: bool = True) -> None:
        super().close(ok)
        for task in self.tasks:
            self.refresh(task)
        self.progress.stop()


class _LiveTask(Task):
    def __init__(self, reporter: LiveReporter, label: str, total: int | None, unit: str):
        super().__init__(label, total, unit)
        self.reporter = reporter

    def advance(self, n: int = 1, what: str | None = None) -> None:
        super().advance(n, what)
        self.reporter.refresh(self)

    def update(self, what: str) -> None:
        super().update(what)
        self.reporter.refresh(self)

    def done(self) -> None:
        super().done()
        self.reporter.refresh(self)


_current: ContextVar[Reporter | None] = ContextVar("auditor_progress", default=None)
_QUIET = Reporter("quiet")


def current() -> Reporter:
    """The open command's reporter, or a quiet one when none is open."""
    return _current.get() or _QUIET


@contextmanager
def reporter(command: str, *, quiet: bool = False, stream: IO[str] | None = None) -> Iterator[Reporter]:
    """Open the progress of a command: bars on a terminal, one summary line otherwise, nothing when quiet."""
    stream = stream or sys.stderr
    if quiet:
        chosen: Reporter = Reporter(command)
    elif _is_terminal(stream):
        chosen = LiveReporter(command, stream)
    else:
        chosen = LogReporter(command, stream)
    token = _current.set(chosen)
    try:
        yield chosen
    except BaseException:
        chosen.close(ok=False)
        raise
    else:
        chosen.close()
    finally:
        _current.reset(token)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def task(label: str, unit: str = "events") -> Task | None:
    """A task of the open reporter for a loop that advances it itself, or None when none is open.

    For a tight loop over a million lines, where `counted`'s generator step an item shows."""
    open_reporter = _current.get()
    return None if open_reporter is None else open_reporter.task(label, unit=unit)


def counted(items: Iterable[T], label: str, unit: str = "events") -> Iterable[T]:
    """`items` as they are, counted into a task of the open reporter (when one is open)."""
    open_reporter = _current.get()
    if open_reporter is None:
        return items
    return _counting(items, open_reporter.task(label, unit=unit))


def _counting(items: Iterable[T], task: Task) -> Iterator[T]:
    n = 0
    try:
        for item in items:
            yield item
            n += 1
            if n == COUNT_EVERY:
                task.advance(n)
                n = 0
    finally:
        task.advance(n)
        task.done()
