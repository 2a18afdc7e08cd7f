"""The shape of `overview.json` that `auditor mail` reads: checked before a message is built from it.

The file is plain JSON a user may edit by hand (a manager's address put right before sending); a
value of another type must be one line naming the file and where in it, not a crash in the middle
of the messages. Fields the messages do not read are not checked, and more are allowed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr, ValidationError

from auditor.errors import DataError


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Recipient(_Part):
    name: StrictStr
    email: StrictStr


class _Below(_Part):
    id: StrictStr
    share: StrictStr
    target: StrictStr
    checked: StrictInt
    failed: StrictInt


class _Worst(_Part):
    rule: StrictStr
    severity: StrictStr
    account: StrictStr
    counterpart: StrictStr | None = None
    occurred_at: StrictStr
    message: StrictStr


class _Group(_Part):
    label: StrictStr
    slug: StrictStr
    accounts: list[StrictStr]
    managers: list[StrictStr]
    recipients: list[_Recipient]
    score: StrictFloat | None
    status: StrictStr
    findings: StrictInt
    rules_below: list[_Below]
    worst: list[_Worst]
    files: dict[StrictStr, StrictStr]


class _Company(_Part):
    score: StrictFloat | None
    findings: StrictInt


class _Overview(_Part):
    overview: Literal[1]
    policy: dict[StrictStr, Any]
    period: dict[StrictStr, Any]
    split: StrictStr
    company: _Company
    groups: list[_Group]


def check_overview(data: Any, path: str) -> None:
    """Raise one DataError line, `<path>: groups[0].recipients: <what is wrong>`, when `data` is not an overview."""
    try:
        _Overview.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]).lstrip(".")
        what = error["msg"].lower().split(" or instance of ")[0]  # not the name of a class of this module
        raise DataError(f"{path}: {where or 'the file'}: {what} (not as auditor audit --split "
                        "wrote it)") from None
