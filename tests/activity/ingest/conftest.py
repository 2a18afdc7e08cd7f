"""Fixtures for the source tests: a fake X API behind `responses`, and a policy whose roster it knows."""

from __future__ import annotations

import pytest
import responses

from tests.factories import policy as make_policy
from tests.net import forbid_connections
from tests.activity.ingest.fake_x import FakeX
from tests.activity.ingest.support import scenario


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Source tests never reach the network: a real connection attempt fails the test loudly."""
    forbid_connections(monkeypatch)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def fake(api) -> FakeX:
    x = scenario()
    x.install(api)
    return x


@pytest.fixture
def roster_policy(tmp_path):
    accounts = [{"handle": "acme_support", "kind": "brand", "team": "support"},
                {"handle": "jdoe", "kind": "employee", "team": "sales"}]
    rules = [{"id": "answer", "type": "response_time", "severity": "high", "within": "4h"}]
    return make_policy(tmp_path, rules, accounts=accounts)
