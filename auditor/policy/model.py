"""The policy as HR writes it: roster, calendars and rules (pydantic v2, frozen, unknown keys forbidden)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, field_validator
from typing_extensions import Annotated

from auditor.networks import normalize_handle
from auditor.roster import Account, Manager, ManagerName, accounts_for
from auditor.time.calendars import WEEKDAYS, BusinessClock, WallClock, check_holiday_region, parse_hours
from auditor.types import HandlePattern, Strict
from auditor.rules import Rule

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _timezone(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected an IANA time zone like America/Toronto, got {value!r}")
    unknown = f"unknown time zone {value[:60]!r}; expected an IANA name like America/Toronto or UTC"
    # IANA names are short, of at most three parts (America/Argentina/Buenos_Aires). A name of 250 parts
    # made ZoneInfo look for a tzdata package 250 levels deep and exhaust the recursion limit.
    if len(value) > 64 or value.count("/") > 3:
        raise ValueError(unknown)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError, RecursionError):
        raise ValueError(unknown) from None
    return value


TimeZoneName = Annotated[str, BeforeValidator(_timezone), Field(examples=["America/Toronto", "UTC"])]


def _version(value: Any) -> Any:
    # `version: 2026.1` unquoted is a YAML float; HR means the text.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


class HolidayRegion(Strict):
    country: str = Field(examples=["CA", "US", "GB"])
    subdivision: str | None = Field(default=None, examples=["ON"])


class Calendar(Strict):
    """Open hours: only these count on a business-hours clock."""

    weekdays: list[Weekday] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1)
    hours: str = Field(default="09:00-17:00", examples=["09:00-17:00", "08:00-12:00, 13:00-18:00"])
    holidays: HolidayRegion | None = None
    closed: list[dt.date] = Field(default_factory=list)
    timezone: TimeZoneName | None = Field(default=None, description="default: the policy's time zone")

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("holidays")
    @classmethod
    def _region(cls, value: HolidayRegion | None) -> HolidayRegion | None:
        if value is not None:
            check_holiday_region(value.country, value.subdivision)
        return value

    def clock(self, policy_timezone: str) -> BusinessClock:
        return BusinessClock(
            tz=ZoneInfo(self.timezone or policy_timezone),
            weekdays=frozenset(WEEKDAYS.index(day) for day in self.weekdays),
            hours=parse_hours(self.hours),
            holiday_country=self.holidays.country if self.holidays else None,
            holiday_subdivision=self.holidays.subdivision if self.holidays else None,
            closed=frozenset(self.closed),
        )


class Policy(Strict):
    """A company's social media policy."""

    name: str
    version: Annotated[str, BeforeValidator(_version)] = "1"
    company: str | None = Field(default=None, description="shown on the report's cover; default: the policy name")
    timezone: TimeZoneName = "UTC"
    accounts: list[Account] | str = Field(
        description="the roster: a list of accounts, or the path of a YAML file holding it (relative to the policy)"
    )
    managers: dict[ManagerName, Manager] = Field(
        default_factory=dict,
        description="managers' e-mail addresses, by the name the roster's accounts give as `manager` "
                    "(also allowed in a roster file beside `accounts:`); `auditor mail` sends each their report",
    )
    calendars: dict[str, Calendar] = Field(default_factory=dict)
    ignore_accounts: list[HandlePattern] = Field(
        default_factory=list,
        description="counterparts no rule treats as people (monitoring bots, status pages): handles or glob "
                    "patterns such as \"*_bot\"; never a roster account",
    )
    rules: list[Rule] = Field(default_factory=list)

    @property
    def roster(self) -> list[Account]:
        # The loader always resolves a roster file into the list before validation.
        assert isinstance(self.accounts, list)
        return self.accounts

    @cached_property
    def roster_by_handle(self) -> dict[str, Account]:
        return {account.handle: account for account in self.roster}

    @cached_property
    def roster_dids(self) -> dict[str, str]:
        """DID -> handle of the Bluesky accounts that give one (or are named by it): a repository export
        (.car) names its owner only by DID."""
        found = {a.handle: a.handle for a in self.roster if a.platform == "bluesky" and a.handle.startswith("did:")}
        found.update({a.did: a.handle for a in self.roster if a.did})
        return found

    @cached_property
    def _ignore_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(fnmatch.translate(normalize_handle(p))) for p in self.ignore_accounts)

    def is_ignored(self, handle: str) -> bool:
        """Whether a counterpart is set aside by `ignore_accounts` (roster accounts never are)."""
        if not self.ignore_accounts or handle in self.roster_by_handle:
            return False
        cache = self.__dict__.setdefault("_ignored_cache", {})
        found = cache.get(handle)
        if found is None:
            # A Mastodon account matches by its whole name or by its user name ("*_bot" is alert_bot@mastodon.social
            # too), as a policy writer means bots on every network.
            names = (handle, handle.partition("@")[0]) if "@" in handle else (handle,)
            found = cache[handle] = any(p.match(name) for p in self._ignore_patterns for name in names)
        return found

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def clock(self, name: str | None) -> WallClock | BusinessClock:
        if name is None:
            return WallClock()
        return self.calendars[name].clock(self.timezone)

    def audited_by(self, rule: Rule) -> list[Account]:
        """Roster accounts a rule applies to."""
        return accounts_for(self.roster, rule.applies_to)
