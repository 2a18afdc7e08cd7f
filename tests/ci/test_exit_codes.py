"""`auditor audit` exit codes for CI: 0 clean, 1 findings at or above --fail-on, 2 bad input, 3 a bug."""

from __future__ import annotations

import sys

import orjson
import pytest
from typer.testing import CliRunner

import auditor.cli
import auditor.run
from auditor.cli import app, main
from tests.ci.scenario import RULES, write_events
from tests.factories import policy

runner = CliRunner()


@pytest.fixture
def files(tmp_path):
    policy(tmp_path, RULES)
    return tmp_path / "policy.yaml", write_events(tmp_path / "events.jsonl")


def audit(files, *args):
    policy_path, data = files
    result = runner.invoke(app, ["audit", "--policy", str(policy_path), "--data", str(data), "--period", "2026-10",
                                 "--as-of", "2026-10-31T12:00:00Z", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_without_fail_on_an_audit_that_ran_exits_0_whatever_it_found(files, tmp_path):
    result = audit(files, "--out", tmp_path / "report.json")
    assert result.exit_code == 0, result.output
    assert "findings 3 (2 high, 1 low); pending 1" in result.stderr


@pytest.mark.parametrize(
    ("threshold", "code", "line"),
    [
        ("critical", 0, "fail-on critical: no findings at or above critical"),
        ("high", 1, "fail-on high: 2 findings at or above high"),
        ("HIGH", 1, "fail-on high: 2 findings at or above high"),
        ("medium", 1, "fail-on medium: 2 findings at or above medium"),
        ("low", 1, "fail-on low: 3 findings at or above low"),
    ],
)
def test_fail_on_counts_findings_at_or_above_the_severity(files, tmp_path, threshold, code, line):
    result = audit(files, "--out", tmp_path / "report.json", "--fail-on", threshold)
    assert result.exit_code == code, result.output
    assert result.stderr.strip().splitlines()[-1] == line


def test_the_reports_are_written_before_exit_1(files, tmp_path):
    out = tmp_path / "reports"
    result = audit(files, "--format", "json,sarif,junit,csv", "--out-dir", out, "--fail-on", "high")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.csv", "report.json", "report.sarif", "report.xml"]
    assert f"wrote {out / 'report.sarif'}" in result.stderr


def test_without_out_the_json_report_is_stdout_and_everything_else_stderr(files):
    result = audit(files, "--fail-on", "high")
    assert result.exit_code == 1
    report = orjson.loads(result.stdout)
    assert report["summary"]["findings"] == 3
    assert "fail-on" not in result.stdout


def test_waived_findings_do_not_count(files, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "- {rule: answer, account: acme_support, counterpart: bob, reason: phone, approved_by: Dana, expires: 2026-10-31}\n"
        "- {rule: answer, account: acme_support, counterpart: carol, reason: spam, approved_by: Dana, expires: 2026-11-30}\n"
        "- {rule: answer, account: acme_support, counterpart: carol, reason: old, approved_by: Dana, expires: 2026-10-30}\n"
    )
    result = audit(files, "--out", tmp_path / "report.json", "--fail-on", "high", "--waivers", waivers)
    assert result.exit_code == 0, result.output
    assert f"note: {waivers}:3:3: waiver ignored: expired on 2026-10-30, before 2026-10-31" in result.stderr
    report = orjson.loads((tmp_path / "report.json").read_bytes())
    assert [f["waived"]["reason"] for f in report["findings"] if f["waived"]] == ["phone", "spam"]
    assert report["summary"]["waived"] == 2


def test_an_expired_waiver_fails_closed(files, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("- {rule: answer, account: acme_support, counterpart: bob, reason: r, approved_by: D, expires: 2026-10-30}\n"
                       "- {rule: answer, account: acme_support, counterpart: carol, reason: r, approved_by: D}\n")
    result = audit(files, "--out", tmp_path / "report.json", "--fail-on", "high", "--waivers", waivers)
    assert result.exit_code == 1, result.output
    assert f"note: {waivers}:2:3: waiver ignored: missing required key 'expires'" in result.stderr


def test_with_a_baseline_only_new_findings_count(files, tmp_path):
    policy_path, data = files
    first = audit(files, "--out", tmp_path / "baseline.json")
    assert first.exit_code == 0, first.output
    again = audit(files, "--out", tmp_path / "report.json", "--fail-on", "high", "--baseline", tmp_path / "baseline.json")
    assert again.exit_code == 0, again.output
    assert "fail-on high: no new findings at or above high" in again.stderr
    assert f"note: baseline {tmp_path / 'baseline.json'} (October 2026): 0 new, 3 existing, 0 gone" in again.stderr
    # A new customer left waiting: one new high finding.
    with data.open("a") as handle:
        handle.write('{"type": "post", "id": "900", "author": "gina", "created_at": "2026-10-20T10:00:00Z", '
                     '"text": "@acme_support anyone?"}\n')
    later = audit(files, "--out", tmp_path / "report.json", "--fail-on", "high", "--baseline", tmp_path / "baseline.json")
    assert later.exit_code == 1, later.output
    assert "fail-on high: 1 new finding at or above high" in later.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--fail-on", "severe"], "error: --fail-on must be one of info, low, medium, high, critical, got 'severe'"),
        (["--paper", "A5"], "error: --paper must be A4 or Letter, got 'A5'"),
        (["--format", "json,docx"], "error: unknown format 'docx'; expected any of: json, csv, sarif, junit"),
        (["--redact", "all"], "error: --redact must be dms, customers or none, got 'all'"),
        (["--baseline", "{tmp}/nope.json"], "{tmp}/nope.json: cannot read baseline: No such file or directory"),
        (["--waivers", "{tmp}/nope.yaml"], "{tmp}/nope.yaml:1:1: cannot read: No such file or directory"),
    ],
)
def test_bad_usage_or_input_exits_2_with_one_line(files, tmp_path, args, line):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = audit(files, "--out", tmp_path / "report.json", "--fail-on", "high", *args)
    assert result.exit_code == 2, result.output
    if "unknown format" in line:  # other developers add formats: the list grows
        assert result.stderr.startswith("error: unknown format 'docx'; expected any of: json")
    else:
        assert result.stderr.strip() == line.replace("{tmp}", str(tmp_path))
    assert not (tmp_path / "report.json").exists()


def test_a_bad_waivers_file_is_refused_before_the_audit(files, tmp_path):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("rule: answer\n")
    result = audit(files, "--fail-on", "high", "--waivers", waivers)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{waivers}:1:1: a waivers file is a list of waivers (rule, account, "
                                     "counterpart or fingerprint, reason, approved_by, expires)")


def test_an_invalid_policy_or_missing_data_exits_2(files, tmp_path):
    result = runner.invoke(app, ["audit", "--policy", str(tmp_path / "none.yaml"), "--data", str(files[1]),
                                 "--fail-on", "high"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'none.yaml'}:1:1: cannot read: No such file or directory"
    result = runner.invoke(app, ["audit", "--policy", str(files[0]), "--data", str(tmp_path / "none.jsonl"),
                                 "--fail-on", "high"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path / 'none.jsonl'}: no such file or folder"


def test_a_missing_option_is_a_usage_error_exit_2(files):
    result = runner.invoke(app, ["audit", "--data", str(files[1])])
    assert result.exit_code == 2
    assert "--policy" in result.output


def test_an_internal_error_exits_3_with_one_line_and_no_traceback(files, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise KeyError("rule_index")

    monkeypatch.setattr(auditor.run, "read_and_audit", broken)
    policy_path, data = files
    monkeypatch.setattr(sys, "argv", ["auditor", "audit", "--policy", str(policy_path), "--data", str(data),
                                      "--fail-on", "high"])
    monkeypatch.delenv("AUDITOR_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 3
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "internal error: KeyError: 'rule_index'",
        f"this is a bug in auditor {auditor.__version__}; please report it with the command you ran "
        "(set AUDITOR_DEBUG=1 for the traceback)",
    ]
    assert captured.out == ""


def test_main_passes_the_command_exit_codes_through(files, monkeypatch):
    policy_path, data = files
    monkeypatch.setattr(sys, "argv", ["auditor", "audit", "--policy", str(policy_path), "--data", str(data),
                                      "--period", "2026-10", "--fail-on", "high", "--format", "csv"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1


def test_a_reader_that_stops_early_changes_neither_the_exit_code_nor_the_summary(tmp_path):
    """`auditor audit ... | head`: report.json goes to standard output as a stream, and a reader that
    closes the pipe after a few bytes leaves the audit to say its summary and exit as it found."""
    import subprocess

    from auditor.bundled import policies_folder, sample_data

    command = [sys.executable, "-m", "auditor", "audit", "--policy", str(policies_folder() / "example.yaml"),
               "--data", str(sample_data()), "--period", "2026-10", "--fail-on", "high", "--format", "json"]
    whole = subprocess.run(command, capture_output=True, cwd=tmp_path)
    assert len(whole.stdout) > 1 << 17  # more than a pipe holds: the writer meets the closed end
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert process.stdout.read(10) == whole.stdout[:10]
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait() == whole.returncode == 1
    assert "Traceback" not in stderr and "Exception ignored" not in stderr and "BrokenPipe" not in stderr
    assert stderr.splitlines()[-3:] == whole.stderr.decode().splitlines()[-3:]


@pytest.mark.parametrize("argv, line", [
    (["audit", "--polcy", "p.yaml"],
     "auditor audit: No such option: --polcy (Possible options: --policy); see 'auditor audit --help'"),
    (["audit", "--policy"], "auditor audit: Option '--policy' requires an argument; see 'auditor audit --help'"),
    (["audti"], "auditor: No such command 'audti'. Did you mean 'audit'?; see 'auditor --help'"),
])
def test_a_mistyped_command_line_is_one_line_and_exit_2(monkeypatch, capsys, argv, line):
    monkeypatch.setattr(sys, "argv", ["auditor", *argv])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [line]


def test_auditor_alone_shows_its_help(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["auditor"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert "Usage: auditor [OPTIONS] COMMAND [ARGS]..." in capsys.readouterr().out
