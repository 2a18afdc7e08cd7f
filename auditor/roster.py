"""Who is audited: the roster's accounts, managers' addresses, and a rule's `applies_to` selection."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from typing_extensions import Annotated

from auditor.networks import canonical_handle, normalize_handle
from auditor.types import Handle, Strict


class Account(Strict):
    """One audited account of the roster: a handle on one network."""

    # Before `handle`: the handle is read in its network's form (auditor/networks.py).
    platform: Literal["x", "bluesky", "mastodon"] = Field(
        default="x", description="the network: x (default), bluesky or mastodon")
    handle: Handle = Field(description="in the network's form: acme_support (X), acme.bsky.social (Bluesky), "
                                       "@acme@mastodon.social (Mastodon)")
    did: str | None = Field(default=None, examples=["did:plc:z72i7hdynmk6r22z27h6tvur"],
                            description="Bluesky only: the account's DID, by which its repository export (.car) "
                                        "names it (Settings, Account, or the export's error message)")
    name: str | None = None
    kind: Literal["brand", "employee"] = "employee"
    team: str | None = None
    manager: Annotated[str, BeforeValidator(_manager_name)] | None = None

    @field_validator("handle")
    @classmethod
    def _normalize(cls, value: str, info: ValidationInfo) -> str:
        return canonical_handle(value, info.data.get("platform", "x"))

    @field_validator("did")
    @classmethod
    def _did(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if info.data.get("platform", "x") != "bluesky":
            raise ValueError("did is for Bluesky accounts (platform: bluesky)")
        if not value.strip().lower().startswith("did:"):
            raise ValueError(f"expected a DID like did:plc:z72i7hdynmk6r22z27h6tvur, got {value[:60]!r}")
        try:
            return canonical_handle(value, "bluesky")
        except ValueError:
            raise ValueError(f"{value[:60]!r} is not a DID (like did:plc:z72i7hdynmk6r22z27h6tvur)") from None


# An address as people type it in a roster: one @, no spaces, quotes, angle brackets or control
# characters (it goes into a mail header as it is written).
EMAIL_PATTERN = r"^[^@\s<>()\[\]\\,;:\"\x00-\x1f\x7f]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"


class Manager(Strict):
    """Where a manager's monthly report goes (`auditor mail`); the key is the name accounts give as `manager`."""

    email: Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254, examples=["dana.reyes@acme.example"])]


def _manager_name(value: Any) -> Any:
    if isinstance(value, str) and (not value.strip() or any(ord(c) < 32 or ord(c) == 127 for c in value)):
        raise ValueError(f"expected a manager's name on one line, got {value[:60]!r}")
    return value


ManagerName = Annotated[str, BeforeValidator(_manager_name)]


class AppliesTo(Strict):
    """Which roster accounts a rule audits: "and" between keys, "or" within one list."""

    teams: list[str] | None = None
    kinds: list[Literal["brand", "employee"]] | None = None
    accounts: list[Handle] | None = None


def accounts_for(roster: list[Account], selector: AppliesTo | None) -> list[Account]:
    """The roster accounts a rule applies to: "and" between keys, "or" within one list."""
    if selector is None:
        return list(roster)
    chosen = []
    for account in roster:
        if selector.teams is not None and account.team not in selector.teams:
            continue
        if selector.kinds is not None and account.kind not in selector.kinds:
            continue
        if selector.accounts is not None and account.handle not in {normalize_handle(h) for h in selector.accounts}:
            continue
        chosen.append(account)
    return chosen
