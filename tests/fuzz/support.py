"""What the fuzz tests share: example budgets, a watchdog against hangs, hostile values, files on disk."""

from __future__ import annotations

import contextlib
import signal
import tempfile
from pathlib import Path
from typing import Iterator

from hypothesis import settings
from hypothesis import strategies as st

# The default profile (tests/conftest.py) gives a test 100 examples and the heavy one many times more;
# budget(n) scales a fuzz test's own number the same way.
_SCALE = max(1, settings.default.max_examples // 100)


def budget(examples: int, **options) -> settings:
    """`examples` examples in the normal run, the heavy profile's multiple of them with AUDITOR_FUZZ=1."""
    return settings(max_examples=examples * _SCALE, **options)


class TookTooLong(AssertionError):
    """An input made the code under test run for far longer than any real input should."""


@contextlib.contextmanager
def watchdog(seconds: float = 20.0) -> Iterator[None]:
    """Fail (instead of hanging the run) when the block takes longer than `seconds` of wall time.

    Generous on purpose: the inputs here are small, so a slow machine is never the reason.
    """

    def expire(signum, frame):
        raise TookTooLong(f"still running after {seconds} s: a hang or a quadratic blow-up")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A fresh folder for one example (hypothesis runs many examples per test, so no tmp_path)."""
    with tempfile.TemporaryDirectory(prefix="auditor-fuzz-") as folder:
        yield Path(folder)


# -- hostile values ------------------------------------------------------------------------------

LONE_SURROGATES = ("\ud800", "\udfff", "\udc80")

#: Strings that have broken parsers before: control characters, odd spaces, RTL, emoji, huge digits.
NASTY_STRINGS = (
    "", " ", "\t", "\n", "\r", "\r\n", "\x00", "\x00\x00", "\x1b[31m", "\ufeff", "\u2028", "\u200b", "\xa0",
    "@", "@@", "@ ", "#", "%", "%s", "%z", "{}", "[]", "null", "None", "NaN", "-0", "0x10", "1e400",
    "9" * 40, "-" + "9" * 40, "١٢٣", "²", "𝟙𝟚", "ℌ", "ß", "İ", "ﬀ",
    "مرحبا", "注文", "😀", "👩‍👩‍👧", "a\u0301", "=HYPERLINK(\"http://x\")", "<script>", "'", '"', "\\", "\\u0000",
    "a" * 300,
)

#: Times the readers must either read or refuse with a reason.
ODD_TIMES = (
    "2026-10-05T14:02:00Z", "2026-10-05T14:02:00+00:00", "2026-10-05T14:02:00.123456-04:00", "2026-10-05T14:02:00",
    "2026-10-05", "2026-10-05T14:02Z", "2026-10-05 14:02:00+00:00", "20261005T140200Z", "2026-W41-1T14:02:00Z",
    "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-01:00", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59+01:00",
    "2026-02-30T00:00:00Z", "2026-10-05T24:00:00Z", "2026-10-05T14:02:00+24:00", "2026-10-05T14:02:00+23:59:59.999999",
    "2026-10-05T14:02:00.1234567Z", "2026-13-01T00:00:00Z", "２０２６-10-05T14:02:00Z", "2026-10-05T14:02:00\x00Z",
    "Mon Oct 05 14:02:00 +0000 2026", "Mon Oct 05 14:02:00 -2359 2026", "Mon Oct 05 14:02:00 +9999 2026",
    "Mon Jan 01 00:00:00 +0100 0001", "Fri Dec 31 23:59:59 -0100 9999", "Mon Jan 01 00:00:00 +0000 0000",
    "Xyz Oct 05 14:02:00 +0000 2026", "Mon Oct 5 14:2:0 +0000 2026", "Mon Oct 05 14:02:00 +0000", "now", "",
)


def messy_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Text a hostile export could hold (no lone surrogates: those cannot be written as UTF-8 at all)."""
    return st.one_of(
        st.sampled_from(NASTY_STRINGS),
        st.text(max_size=max_size),
        st.text(st.characters(codec="ascii"), max_size=max_size),
    )


def messy_scalar() -> st.SearchStrategy:
    """A JSON-able value of any type, hostile values overrepresented."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from([0, -1, 1, 2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**30]),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(ODD_TIMES),
        messy_text(),
    )
