"""How one event is made: the random stream, the clock, business hours and the event dicts.

Everything here is mechanics that the story (``story.py``) and the filler
(``filler.py``) share, with no knowledge of who Acme's people are:

* ``Rng``, the seeded random stream every choice comes from, and two ways of
  drawing from it (``minutes``: a delay, ``count``: how many);
* local time, as whole seconds since 1970-01-01 *local* (America/Toronto), so
  that "10:00 on 6 October" is plain arithmetic, and ``Feed.clock`` turns it
  into UTC only when an event is written;
* Acme's business hours, for the filler's "answered within N business hours";
* ``Feed``, which builds canonical post and DM dicts (docs/contract.md) and files
  them by local day, so ``generate.py`` can emit one sorted day at a time.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

TIMEZONE = "America/Toronto"

_TZ = ZoneInfo(TIMEZONE)
# A local day is an index (days since 1970-01-01) and a local time is seconds
# since then, so "day idx at 10:00" is idx * DAY + 10 * HOUR.
ORD0 = date(1970, 1, 1).toordinal()
DAY = 86_400
HOUR = 3_600
MINUTE = 60
_OPEN, _CLOSE = 9 * HOUR, 17 * HOUR  # business hours, local
# Post ids are X-style snowflakes (milliseconds since X's epoch, shifted left
# 22 bits, plus a sequence number), so they are numeric and grow with time.
_X_EPOCH_MS = 1_288_834_974_657  # X ("Twitter") snowflake epoch
# Ontario statutory holidays and Acme's own closures (the generator's idea of
# business hours; the policy's calendar uses the `holidays` package).
_CLOSED_DAYS = {
    date(2026, 1, 1), date(2026, 2, 16), date(2026, 4, 3), date(2026, 5, 18), date(2026, 7, 1),
    date(2026, 9, 7), date(2026, 10, 12), date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26),
    date(2027, 1, 1),
}
# "@handle" not preceded by a word character or "@" (so not an e-mail address);
# the look-behind sits after the "@" so the regex engine can scan for "@" fast.
_MENTION_RE = re.compile(r"@(?<![\w@]@)(\w{1,15})\b")


class Rng(random.Random):
    """``random.Random`` with cheaper ``choice``/``randrange``/``randint`` (one ``random()`` call each).

    The standard versions draw bits until they land in range, which is exact
    but several times slower; a sample needs speed (a million events) more
    than unbiased choices among a few dozen templates.
    """

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None):  # type: ignore[override]
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))


def minutes(rng: random.Random, lo: int, hi: int) -> int:
    """Seconds for a delay between ``lo`` and ``hi`` minutes, skewed short (most answers come early)."""
    r = rng.random
    x = r()
    return (lo + int((hi - lo) * x * x)) * MINUTE + int(r() * 60)


def count(rng: random.Random, mean: float) -> int:
    """How many of something: ``mean`` rounded up or down at random, so a rate of 0.3 a day averages 0.3."""
    n = int(mean)
    return n + (rng.random() < mean - n)


# "00".."59": minutes and seconds of created_at, looked up rather than
# formatted, since every event needs them.
_TWO = tuple(f"{i:02d}" for i in range(60))


class Feed:
    """Writes events at local times and files them in ``buckets`` by local day.

    ``rng`` is whatever stream the caller is drawing from (the story's, then
    one per day): post ids take their millisecond from it, like the text does,
    so the same seed gives the same ids.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seq = 0  # posts so far: the low bits of a post id (unique even within one millisecond)
        self.dm_seq = 0  # DMs so far: DM ids are "d-<n>"
        # local day index -> its events; days() in generate.py pops each day
        # when it is done, so only activity that spills into later days stays.
        self.buckets: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
        # caches: the UTC offset and ISO prefix of each local hour, and which
        # days are business days (time zone and date arithmetic are the slow part)
        self._hours: dict[int, tuple[int, str | None]] = {}
        self._open_days: dict[int, bool] = {}

    # ---- time --------------------------------------------------------------
    def clock(self, lt: int) -> tuple[int, str]:
        """Local wall time (seconds since 1970-01-01, local) to UTC epoch seconds and its ISO text."""
        hour, rem = divmod(lt, HOUR)
        cached = self._hours.get(hour)
        if cached is None:
            naive = datetime(1970, 1, 1) + timedelta(hours=hour)
            off = int(naive.replace(tzinfo=_TZ).utcoffset().total_seconds())
            u_day, u_hour = divmod((hour * HOUR - off) // HOUR, 24)
            # "2026-10-05T14:" for the UTC hour, usable when the offset is whole hours
            prefix = f"{date.fromordinal(ORD0 + u_day).isoformat()}T{u_hour:02d}:" if off % HOUR == 0 else None
            cached = self._hours[hour] = (off, prefix)
        off, prefix = cached
        utc = lt - off
        if prefix is None:
            return utc, datetime.fromtimestamp(utc, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        m, s = divmod(rem, MINUTE)
        return utc, f"{prefix}{_TWO[m]}:{_TWO[s]}Z"

    def is_open_day(self, idx: int) -> bool:
        ok = self._open_days.get(idx)
        if ok is None:
            d = date.fromordinal(ORD0 + idx)
            ok = self._open_days[idx] = d.weekday() < 5 and d not in _CLOSED_DAYS
        return ok

    def is_open(self, lt: int) -> bool:
        idx, sod = divmod(lt, DAY)
        return _OPEN <= sod < _CLOSE and self.is_open_day(idx)

    def add_business(self, lt: int, secs: int) -> int:
        """``secs`` of business time (Mon-Fri 09-17, holidays closed) after ``lt``."""
        idx, sod = divmod(lt, DAY)
        while True:
            if self.is_open_day(idx):
                if sod < _OPEN:
                    sod = _OPEN
                if sod < _CLOSE:
                    avail = _CLOSE - sod
                    if secs <= avail:
                        return idx * DAY + sod + secs
                    secs -= avail
            idx += 1
            sod = 0

    # ---- events ------------------------------------------------------------
    def post(self, author: str, lt: int, text: str, parent: dict[str, Any] | None = None,
             repost: dict[str, Any] | None = None) -> dict[str, Any]:
        """A post at local time ``lt``; a reply to ``parent`` starts with "@author" as on X."""
        # (hot path: ~60% of a large run; written for speed)
        hour, rem = divmod(lt, HOUR)
        cached = self._hours.get(hour)
        if cached is None or cached[1] is None:
            utc, created_at = self.clock(lt)
        else:
            utc = lt - cached[0]
            m, s = divmod(rem, MINUTE)
            created_at = f"{cached[1]}{_TWO[m]}:{_TWO[s]}Z"
        seq = self.seq
        self.seq = seq + 1
        pid = str(((utc * 1000 + int(self.rng.random() * 1000) - _X_EPOCH_MS) << 22) | (seq & 0x3FFFFF))
        if "@" not in text:  # the common case needs no regex
            mentions = []
            if parent is not None:
                mentions = [parent["author"]]
                text = f"@{parent['author']} {text}"
        else:
            if parent is not None and text[0] != "@":
                text = f"@{parent['author']} {text}"
            mentions = _MENTION_RE.findall(text)  # handles here are lower case already
            if len(mentions) > 1:
                mentions = list(dict.fromkeys(mentions))
        if parent is None:
            reply_to = reply_author = None
            conversation = pid
        else:
            reply_to, reply_author, conversation = parent["id"], parent["author"], parent["conversation_id"]
        ev = {
            "type": "post", "id": pid, "author": author, "created_at": created_at, "text": text,
            "in_reply_to": reply_to, "in_reply_to_author": reply_author, "conversation_id": conversation,
            "mentions": mentions, "repost_of": None if repost is None else repost["id"], "quote_of": None,
            "url": f"https://x.com/{author}/status/{pid}", "platform": "x",
        }
        self.buckets[lt // DAY].append(ev)
        return ev

    reply = post  # g.reply(author, lt, text, parent): reads better at call sites

    def repost(self, author: str, lt: int, original: dict[str, Any]) -> dict[str, Any]:
        return self.post(author, lt, f"RT @{original['author']}: {original['text']}", repost=original)

    def dm(self, sender: str, recipient: str, lt: int, text: str) -> dict[str, Any]:
        self.dm_seq += 1
        ev = {
            "type": "dm", "id": f"d-{self.dm_seq}",
            "conversation_id": f"{sender}:{recipient}" if sender < recipient else f"{recipient}:{sender}",
            "sender": sender, "recipients": [recipient], "created_at": self.clock(lt)[1], "text": text,
            "platform": "x",
        }
        self.buckets[lt // DAY].append(ev)
        return ev
