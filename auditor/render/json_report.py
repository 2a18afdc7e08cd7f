"""report.json: the audit result as docs/contract.md ("Reports") lists it. Sorted keys and no clock: same input, same bytes."""

from __future__ import annotations

import orjson

from auditor.render import RenderOptions
from auditor.result import AuditResult


def render(result: AuditResult, options: RenderOptions) -> bytes:
    # JSON is for machines that already hold the data: nothing is redacted unless asked.
    data = result.as_dict()
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
