"""report.json: the audit result as docs/contract.md ("Reports") lists it. Sorted keys and no clock: same input, same bytes.

The bytes are those of `orjson.dumps(result.as_dict(), option=OPT_INDENT_2 | OPT_SORT_KEYS) + b"\\n"`,
written as a stream: every section but the findings at once, the findings a chunk at a time, each
chunk indented to the depth it sits at. A large month's findings are most of the report (117 MB for
64,000 of them): neither their dicts nor the whole document are ever held at once.
"""

from __future__ import annotations

import io
from typing import BinaryIO

import orjson

from auditor.render import RenderOptions
from auditor.result import AuditResult, finding_dict
from auditor.speedups import no_gc

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
# Findings serialised at once: a few MB of JSON, large enough that orjson does the work.
CHUNK = 2000
_INDENT = b"  "


def render(result: AuditResult, options: RenderOptions) -> bytes:
    out = io.BytesIO()
    write(result, options, out)
    return out.getvalue()


def write(result: AuditResult, options: RenderOptions, out: BinaryIO) -> None:
    # JSON is for machines that already hold the data: nothing is redacted unless asked.
    sections = result.as_dict(findings=False)
    keys = sorted([*sections, "findings"])  # as OPT_SORT_KEYS orders them: by code point
    out.write(b"{\n")
    for n, key in enumerate(keys):
        out.write(_INDENT + orjson.dumps(key) + b": ")
        if key == "findings":
            _write_findings(result, out)
        else:
            out.write(_nested(orjson.dumps(sections[key], option=_OPTIONS), 1))
        out.write(b",\n" if n < len(keys) - 1 else b"\n")
    out.write(b"}\n")


def _write_findings(result: AuditResult, out: BinaryIO) -> None:
    findings = result.findings
    if not findings:
        out.write(b"[]")
        return
    out.write(b"[\n")
    # The dicts form no cycles, and a collection now would walk the whole month's objects again.
    with no_gc():
        for start in range(0, len(findings), CHUNK):
            if start:
                out.write(b",\n")
            chunk = orjson.dumps([finding_dict(f) for f in findings[start:start + CHUNK]], option=_OPTIONS)
            # "[\n  {...},\n  {...}\n]": the items without the brackets, one level deeper than orjson put them.
            out.write(_INDENT + _nested(chunk[2:-2], 1))
    out.write(b"\n" + _INDENT + b"]")


def _nested(json: bytes, depth: int) -> bytes:
    """JSON written at the top level, indented as a value `depth` levels down. A newline in JSON is
    always indentation: one inside a string is escaped."""
    return json.replace(b"\n", b"\n" + _INDENT * depth)
