"""report.json written as a stream gives the bytes of the whole result dumped at once."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import orjson
import pytest

from auditor.render import RenderOptions, json_report, stream, write
from auditor.render.split import group_result, groups
from auditor.result import AuditResult
from tests.render.builders import large, promise_finding, result, sla_finding, tone_finding


def reference(audited: AuditResult) -> bytes:
    """What report.json was before it was streamed: the whole dict tree dumped at once."""
    return orjson.dumps(audited.as_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def every_kind() -> AuditResult:
    """Findings with every field a finding can carry: waits, timings, waivers, baselines, checks, no
    counterpart, DMs without a URL, uncounted items, and text no ASCII writer would like."""
    hostile = "héllo \"quoted\" \\ back\nslash\ttab \u0000 nul \u2028 sep 👋🏽 مرحبا 你好 </script>"
    findings = [
        sla_finding("answer", "agent001", "cust_é", 1, text=hostile),
        sla_finding("answer", "agent001", "customer2", 2, dm=True, answered=False),
        sla_finding("answer", "agent002", "customer3", 3, url=None,
                    waived={"reason": "outage — ticket", "approved_by": "Dana", "expires": "2026-12-31"}),
        replace(sla_finding("answer", "agent002", "customer4", 4), baseline="existing", counted=False,
                status="pending", platform="bluesky"),
        promise_finding("keep-promises", "agent000", "customer5", 5, text="DM me 📩"),
        tone_finding("tone", "agent000", 6, "whatever ✨ \u202e reversed"),
        replace(tone_finding("tone", "agent001", 7, ""), measure={"nested": {"b": [1, 2.5, None], "a": True}},
                counterpart=None, check=None, wait=None, evidence=()),
    ]
    return replace(result(findings), notes=("a waiver expired", "ünïcode note"))


def cases() -> dict[str, AuditResult]:
    made = every_kind()
    group = group_result(made, groups(made, "manager")[0])  # a group's report has a `scope`
    return {
        "every kind": made,
        "no findings": result([]),
        "group": group,
        "large": large(40, 1234),
    }


@pytest.mark.parametrize("name", list(cases()))
@pytest.mark.parametrize("chunk", [1, 2, 3, 2000])
def test_streamed_bytes_are_those_of_the_whole_result(name, chunk, monkeypatch):
    monkeypatch.setattr(json_report, "CHUNK", chunk)
    audited = cases()[name]
    assert json_report.render(audited, RenderOptions()) == reference(audited)


def test_the_audited_demo_streams_the_same_bytes(demo_result):
    assert demo_result.findings  # the real audit has findings of several kinds
    assert json_report.render(demo_result, RenderOptions()) == reference(demo_result)


@pytest.mark.parametrize("count", [3, 4, 5, 7])
def test_chunk_boundaries(count, monkeypatch):
    """Findings filling their last chunk exactly, or one past it."""
    monkeypatch.setattr(json_report, "CHUNK", 2)
    audited = large(5, count)
    assert len(audited.findings) == count
    streamed = json_report.render(audited, RenderOptions())
    assert streamed == reference(audited)
    assert len(json.loads(streamed)["findings"]) == count


def test_write_to_a_file_and_a_stream_give_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(json_report, "CHUNK", 3)
    audited = every_kind()
    write(audited, "json", tmp_path / "deep" / "report.json")
    out = io.BytesIO()
    stream(audited, "json", out)
    assert (tmp_path / "deep" / "report.json").read_bytes() == out.getvalue() == reference(audited)


def test_a_redacted_stream_is_the_redacted_result(monkeypatch):
    from auditor.render import redacted

    audited = every_kind()
    out = io.BytesIO()
    stream(audited, "json", out, RenderOptions(redact="dms"))
    shown, _ = redacted(audited, "json", RenderOptions(redact="dms"))
    assert out.getvalue() == reference(shown)
    assert b"my phone is 555-0100" not in out.getvalue()


def test_formats_that_do_not_stream_write_their_rendered_bytes(tmp_path):
    from auditor.render import render

    audited = every_kind()
    write(audited, "csv", tmp_path / "report.csv")
    out = io.BytesIO()
    stream(audited, "csv", out)
    assert (tmp_path / "report.csv").read_bytes() == out.getvalue() == render(audited, "csv")


def test_a_finding_dict_is_the_generic_walk_of_the_finding(demo_result):
    """`finding_dict` is `_plain` written out for findings: the same keys in the same order, every
    field kind (waits, evidence, waivers, baselines, no counterpart) and nothing report.json leaves out."""
    from auditor.result import _plain, finding_dict

    findings = [*every_kind().findings, *demo_result.findings]
    assert any(f.wait for f in findings) and any(f.timing for f in findings) and any(not f.evidence for f in findings)
    for finding in findings:
        made = finding_dict(finding)
        assert made == _plain(finding) and list(made) == list(_plain(finding))
        assert "timing" not in made
        assert made["evidence"] == ([_plain(item) for item in finding.evidence] if finding.evidence else ())
    made = finding_dict(findings[0])
    made["evidence"][0]["text"] = "changed"
    assert findings[0].evidence[0].text != "changed"  # a copy: the result stays as it was
