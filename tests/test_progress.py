"""Progress: bars with counts and rates on a terminal (a real pty), one summary line in a log, nothing with --quiet."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.bundled import policies_folder, sample_data
from auditor.progress import LiveReporter, counted, current, reporter

AUDITOR = [sys.executable, "-m", "auditor"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run with standard error on a pty (as in a terminal) and standard output on a pipe."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, True)
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm-256color"}
    process = subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
                               env=env)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the pty closes when the process ends
            break
        if not chunk:
            break
        screen += chunk
    stdout = process.stdout.read().decode()
    process.wait(timeout=120)
    os.close(leader)
    return process.returncode, stdout, screen.decode("utf-8", "replace")


def in_a_log(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_import_shows_a_bar_with_the_count_and_rate_on_a_terminal(tmp_path):
    code, stdout, screen = on_a_terminal([*AUDITOR, "import", str(sample_data()), "--store", "s.db"], tmp_path)
    assert code == 0, screen
    assert "3014 events read" in stdout  # what was imported still goes to standard output
    text = ANSI.sub("", screen)
    assert "\x1b[" in screen and "━" in text  # drawn as a bar, with colours, on the terminal
    assert re.search(r"reading demo\.jsonl .*3,014 events +[\d,]+/s", text), text[-600:]
    assert "import:" not in text  # the summary line is for logs


def test_import_in_a_log_says_one_summary_line(tmp_path):
    result = in_a_log([*AUDITOR, "import", str(sample_data()), "--store", "s.db"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"import: reading demo\.jsonl: 3,014 events in \d+\.\d s \([\d,]+/s\); \d+\.\d s in all\n",
                        result.stderr), result.stderr


def test_quiet_prints_no_progress(tmp_path):
    result = in_a_log([*AUDITOR, "import", str(sample_data()), "--store", "s.db", "--quiet"], tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    code, _, screen = on_a_terminal([*AUDITOR, "import", str(sample_data()), "--store", "q.db", "-q"], tmp_path)
    assert code == 0 and screen == ""


def test_audit_shows_reading_and_rules_on_a_terminal_and_one_line_in_a_log(tmp_path):
    args = [*AUDITOR, "audit", "--policy", str(policies_folder() / "example.yaml"), "--data", str(sample_data()),
            "--period", "2026-10", "--out", "report.json"]
    code, _, screen = on_a_terminal(args, tmp_path)
    assert code == 0, screen
    text = ANSI.sub("", screen)
    assert re.search(r"evaluating rules .*7/7 rules", text), text[-800:]
    assert "reading demo.jsonl" in text and "wrote report.json" in text
    logged = in_a_log(args, tmp_path)
    progress = [line for line in logged.stderr.splitlines() if line.startswith("audit:")]
    assert len(progress) == 1 and re.match(
        r"audit: reading demo\.jsonl: 3,014 events in \d+\.\d s \([\d,]+/s\); evaluating rules: 7 rules in ", progress[0])
    quiet = in_a_log([*args, "--quiet"], tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_a_failing_command_prints_its_error_and_no_summary(tmp_path):
    result = in_a_log([*AUDITOR, "import", "missing.jsonl", "--store", "s.db"], tmp_path)
    assert result.returncode == 2 and result.stderr == "missing.jsonl: no such file or folder\n"


def test_outside_a_command_nothing_is_counted_and_nothing_is_wrapped():
    items = [1, 2, 3]
    assert counted(items, "reading") is items
    task = current().task("anything")
    task.advance(5)  # a quiet reporter: works, shows nothing


def test_the_live_display_never_prints_markup_or_control_characters_from_the_data():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    with reporter("audit", stream=stream) as live:
        assert isinstance(live, LiveReporter)
        task = live.task("reading [bold]x[/bold]\x1b[31m", total=2, unit="events")
        task.advance(2, "@evil\x1b]0;pwned\x07")
        live.say("wrote [link=file:///etc/passwd]a[/link]\x1b[2J")
    out = stream.getvalue()
    assert "[bold]x[/bold]" in out and "[link=file:///etc/passwd]a[/link]" in out  # as text, not markup
    assert "\x1b]0;" not in out and "\x1b[2J" not in out and "\x1b[31m" not in out


@pytest.mark.parametrize("quiet", [False, True])
def test_a_counted_loop_reports_every_item(quiet):
    stream = io.StringIO()
    with reporter("import", quiet=quiet, stream=stream) as open_reporter:
        assert list(counted(range(10_000), "reading big.jsonl")) == list(range(10_000))
    assert open_reporter.tasks[0].count == 10_000
    assert (stream.getvalue() == "") is quiet
