"""Settings profiles for the property-based tests (hypothesis).

Two profiles are registered here and one is loaded for the whole test run:

* ``auditor`` (the default): hypothesis' usual 100 examples for a test that does not
  choose its own number, and the fuzz tests in ``tests/fuzz/`` scaled down to a few
  dozen examples each, so the normal run stays quick (the fuzz folder takes well
  under 20 seconds on two cores).
* ``auditor-fuzz``: fifty times as many examples (5,000 for a test with the usual
  budget; thousands for each fuzz test). Select it for a long hunt for bugs::

      AUDITOR_FUZZ=1 .venv/bin/python -m pytest -q tests/fuzz

  (or the whole suite). It takes minutes, not seconds.

Both profiles have no deadline: how long one example takes depends on the machine
and on what else runs on it, and a timing failure would be noise, not a bug. Tests
that must never hang guard each example with their own, generous, watchdog
(``tests.fuzz.support.watchdog``). A test that sets its own ``@settings(max_examples=...)``
(as ``tests/time/test_durations.py`` and ``test_calendars.py`` do) keeps its number
in both profiles. Failing examples are saved in ``.hypothesis/`` (git-ignored) and
tried first next time.
"""

from __future__ import annotations

import os

from hypothesis import settings

#: The environment variable that selects the heavy profile.
FUZZ_ENV = "AUDITOR_FUZZ"
#: How many times more examples the heavy profile runs.
HEAVY_FACTOR = 50

settings.register_profile("auditor", deadline=None, print_blob=True)
settings.register_profile("auditor-fuzz", deadline=None, print_blob=True, max_examples=100 * HEAVY_FACTOR)
settings.load_profile("auditor-fuzz" if os.environ.get(FUZZ_ENV, "").strip() not in ("", "0") else "auditor")


import pytest  # noqa: E402 - after the profiles, which must be loaded first


@pytest.fixture(scope="session")
def demo_result():
    """The bundled demo audited once: October 2026 with policies/example.yaml (split, mail and browser tests)."""
    from datetime import date

    from auditor.activity.sources.jsonl import read_jsonl
    from auditor.audit import audit
    from auditor.bundled import policies_folder, sample_data
    from auditor.time.period import parse_period
    from auditor.policy.loader import load_policy

    loaded = load_policy(policies_folder() / "example.yaml")
    period = parse_period("2026-10", loaded.policy.zone, date(2026, 11, 23))
    return audit(loaded, read_jsonl(sample_data(), name="sample"), period)
