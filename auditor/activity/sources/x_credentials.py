"""X API credentials: only from the environment, and scrubbed from everything the fetch says or stores.

`X_BEARER_TOKEN` (app-only OAuth 2.0) reads posts, mentions and search; the four OAuth 1.0a
user-context variables read the DMs of the account they belong to (and everything else when
there is no bearer token). A credential never appears in a log record, a message, an error
or the store: `Scrubber` replaces it (raw and URL-encoded) with ***, and `scrubbed_logging`
applies it to every log record made while fetching, because tweepy logs request headers at
DEBUG and oauthlib logs signed parameters.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Mapping
from urllib.parse import quote

from auditor.errors import AuditorError

ENV_BEARER = "X_BEARER_TOKEN"
ENV_USER = ("X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")


class CredentialsError(AuditorError):
    """Missing or refused credentials: the fetch cannot run at all."""


@dataclass(frozen=True)
class Credentials:
    bearer_token: str | None = field(default=None, repr=False)
    consumer_key: str | None = field(default=None, repr=False)
    consumer_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    access_token_secret: str | None = field(default=None, repr=False)

    @property
    def user_context(self) -> bool:
        return all((self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret))

    def secrets(self) -> list[str]:
        values = (self.bearer_token, self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret)
        return [v for v in values if v]


def credentials_from_env(env: Mapping[str, str] | None = None) -> Credentials:
    env = os.environ if env is None else env
    values = {name: (env.get(name) or "").strip() or None for name in (ENV_BEARER, *ENV_USER)}
    user = [values[name] for name in ENV_USER]
    if any(user) and not all(user):
        missing = ", ".join(name for name in ENV_USER if not values[name])
        raise CredentialsError(f"incomplete X API user-context credentials: {missing} not set (all of {', '.join(ENV_USER)} are needed)")
    if not values[ENV_BEARER] and not all(user):
        raise CredentialsError(
            f"no X API credentials: set {ENV_BEARER} (app), or {', '.join(ENV_USER)} (user context, needed for DMs)")
    return Credentials(values[ENV_BEARER], *user)


class Scrubber:
    """Replaces every credential (raw or URL-encoded) in a text with ***."""

    def __init__(self, secrets: list[str]):
        forms = set()
        for secret in secrets:
            if len(secret) >= 4:
                forms.update({secret, quote(secret, safe=""), quote(secret)})
        self.forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: object) -> str:
        text = str(text)
        for form in self.forms:
            if form in text:
                text = text.replace(form, "***")
        return text


@contextmanager
def scrubbed_logging(scrub: Scrubber) -> Iterator[None]:
    """Every log record made while fetching is scrubbed at creation.

    tweepy logs request headers (the bearer token) at DEBUG, and oauthlib logs signed
    parameters: a filter on one logger would miss the others, so the record factory does it.
    """
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not break the fetch
            message = str(record.msg)
        cleaned = scrub(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)
