"""X API credentials: only from the environment, and scrubbed from everything the fetch says or stores.

`X_BEARER_TOKEN` (app-only OAuth 2.0) reads posts, mentions and search. User context reads the
DMs of the account it belongs to, and that account's own posts and mentions (X's cheaper "owned
reads"): the four OAuth 1.0a variables, and/or `X_OAUTH2_USER_TOKEN`, OAuth 2.0 user access
tokens with the `dm.read` scope (several separated by commas, one per account). Without a
bearer token, the app endpoints are called with the user context.

A credential is one line of printable ASCII: one holding a line break or any other control
character (a wrapped paste) is refused before any request, naming the variable only, because
HTTP libraries quote a header they refuse with `repr()` and the scrubber cannot know every
escaped form. A credential never appears in a log record, a message, an error or the store:
`Scrubber` replaces it (raw, URL-encoded, base64, or cut short) with ***, `scrubbed_logging`
applies it to every log record made while fetching, because tweepy logs request headers at
DEBUG and oauthlib logs signed parameters, and `scrubbed_exception` to an error that ends the
fetch.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, TypeVar
from urllib.parse import quote, quote_plus, unquote

from auditor.activity.store import Store
from auditor.errors import AuditorError

T = TypeVar("T")

ENV_BEARER = "X_BEARER_TOKEN"
ENV_USER = ("X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")
ENV_OAUTH2 = "X_OAUTH2_USER_TOKEN"


class CredentialsError(AuditorError):
    """Missing or refused credentials: the fetch cannot run at all."""


@dataclass(frozen=True)
class Credentials:
    bearer_token: str | None = field(default=None, repr=False)
    consumer_key: str | None = field(default=None, repr=False)
    consumer_secret: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    access_token_secret: str | None = field(default=None, repr=False)
    oauth2_user_tokens: tuple[str, ...] = field(default=(), repr=False)

    @property
    def user_context(self) -> bool:
        """OAuth 1.0a user-context keys are set."""
        return all((self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret))

    def secrets(self) -> list[str]:
        values = (self.bearer_token, self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret,
                  *self.oauth2_user_tokens)
        return [v for v in values if v]


def credentials_from_env(env: Mapping[str, str] | None = None) -> Credentials:
    env = os.environ if env is None else env
    values = {name: _value(env, name) for name in (ENV_BEARER, *ENV_USER)}
    tokens = tuple(dict.fromkeys(_checked(ENV_OAUTH2, token.strip(" "))
                                 for token in (env.get(ENV_OAUTH2) or "").split(",") if token.strip(" ")))
    user = [values[name] for name in ENV_USER]
    if any(user) and not all(user):
        missing = ", ".join(name for name in ENV_USER if not values[name])
        raise CredentialsError(f"incomplete X API user-context credentials: {missing} not set (all of {', '.join(ENV_USER)} are needed)")
    if not values[ENV_BEARER] and not all(user) and not tokens:
        raise CredentialsError(
            f"no X API credentials: set {ENV_BEARER} (app), and for DMs {', '.join(ENV_USER)} (OAuth 1.0a user "
            f"context) or {ENV_OAUTH2} (OAuth 2.0 user context with dm.read)")
    return Credentials(values[ENV_BEARER], *user, oauth2_user_tokens=tokens)


def _value(env: Mapping[str, str], name: str) -> str | None:
    value = (env.get(name) or "").strip(" ")
    return _checked(name, value) if value else None


def _checked(name: str, value: str) -> str:
    """`value` when it is one line of printable ASCII without spaces, as every X credential is.

    The refusal names the variable only: the value, or any piece or escaped form of it, never appears.
    """
    for char in value:
        code = ord(char)
        if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F or char in "\u2028\u2029\x85":
            raise CredentialsError(
                f"{name} holds a line break or another control character: a token is one line (was it "
                "wrapped when pasted?); set it again")
        if not 0x20 < code < 0x7F:
            raise CredentialsError(
                f"{name} holds a space or a character that is not plain ASCII (a typographic quote or dash "
                "from a copy?): X tokens never do; set it again")
    return value


# How much of a credential, at least, counts as the credential when a message was cut in its middle
# (errors are shortened to a line): a shorter piece says nothing usable about the rest.
MIN_PIECE = 12
# An access token is "<user id>-<secret part>": the id is public, and must not make an id look secret.
_PUBLIC_PREFIX = re.compile(r"\d+-")


def _encodings(secret: str) -> set[str]:
    """The forms a credential takes in what HTTP libraries say: raw, URL-decoded, URL-encoded once or
    twice (OAuth 1.0a signs the encoded parameters encoded again, and oauthlib logs that base string at
    DEBUG), with or without "/" kept."""
    forms = {secret, unquote(secret)}
    for _ in range(2):
        forms |= {quote(form, safe=safe) for form in forms for safe in ("", "/")} | {quote_plus(form) for form in forms}
    return forms


def _base64(text: str) -> set[str]:
    forms = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(text.encode("utf-8")).decode("ascii")
        forms.update({encoded, encoded.rstrip("=")})
    return forms


class Scrubber:
    """Replaces every credential in a text with ***: raw, URL-encoded (once or twice), base64 (alone, or
    as the "key:secret" pair of HTTP Basic), and what is left of one when a message was cut in its middle."""

    def __init__(self, secrets: list[str]):
        secrets = [secret for secret in secrets if len(secret) >= 4]
        forms = set()
        for secret in secrets:
            forms |= _encodings(secret) | _base64(secret)
        for first in secrets:
            for second in secrets:
                if first != second:
                    forms |= _base64(f"{first}:{second}")
        self.forms = sorted(forms, key=len, reverse=True)
        # A message shortened to N characters keeps only the start of a credential: each form is also
        # looked for by its first characters, and as much of the longest form as follows is scrubbed.
        self.starts: dict[str, list[str]] = {}
        for form in self.forms:
            public = _PUBLIC_PREFIX.match(form)
            length = (public.end() if public else 0) + MIN_PIECE
            if len(form) > length:
                self.starts.setdefault(form[:length], []).append(form)

    def __call__(self, text: object) -> str:
        text = str(text)
        for form in self.forms:
            if form in text:
                text = text.replace(form, "***")
        for start, forms in self.starts.items():
            at = text.find(start)
            while at >= 0:
                end = max(at + _common_prefix(text, at, form) for form in forms)
                text = text[:at] + "***" + text[end:]
                at = text.find(start, at + 3)
        return text


def _common_prefix(text: str, at: int, form: str) -> int:
    """How many characters of `form` follow in `text` from `at`."""
    n = 0
    while n < len(form) and at + n < len(text) and text[at + n] == form[n]:
        n += 1
    return n


def scrubbed_exception(exc: Exception, scrub: Scrubber) -> Exception:
    """`exc` itself when nothing it would print (its message, chained errors included) names a credential;
    otherwise an exception of the same kind with the scrubbed message and no chain. The CLI prints an
    unexpected error's message (and, with AUDITOR_DEBUG, its traceback)."""
    shown = "".join(traceback.format_exception(exc))
    if scrub(shown) == shown:
        return exc
    message = scrub(str(exc))
    if isinstance(exc, AuditorError):
        return AuditorError(message)  # still a one-line error of the user's input (exit 2)
    try:
        clean = type(exc)(message)
    except Exception:  # noqa: BLE001 - an exception class that wants other arguments
        clean = RuntimeError(f"{type(exc).__name__}: {message}")
    return clean if scrub(str(clean)) == str(clean) else RuntimeError(type(exc).__name__)


@contextmanager
def scrubbed_logging(scrub: Scrubber) -> Iterator[None]:
    """Every log record made while fetching is scrubbed at creation.

    tweepy logs request headers (the bearer token) at DEBUG, and oauthlib logs signed
    parameters: a filter on one logger would miss the others, so the record factory does it.
    The message, a traceback attached with `exc_info` (formatted now, scrubbed, and kept as the
    record's `exc_text` in place of the exception) and `stack_info` are all scrubbed.
    """
    previous = logging.getLogRecordFactory()
    formatter = logging.Formatter()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed log call must not break the fetch
            message = str(record.msg)
        cleaned = scrub(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None:
            text = formatter.formatException(record.exc_info)
            if scrub(text) != text:
                record.exc_text, record.exc_info = scrub(text), None
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return record

    logging.setLogRecordFactory(factory)
    try:
        yield
    finally:
        logging.setLogRecordFactory(previous)


def scrubbed_run(store, scrub: Scrubber, work: Callable[[Store], T]) -> T:
    """`work(store)` with every log record scrubbed, and an error that ends it scrubbed before the CLI
    prints it. `store` a path or a name: opened here, and closed whatever happens."""
    own_store = not isinstance(store, Store)
    opened = Store(store) if own_store else store
    try:
        with scrubbed_logging(scrub):
            try:
                return work(opened)
            except CredentialsError as exc:
                raise CredentialsError(scrub(exc)) from None
            except Exception as exc:  # a surprise ends the run: the CLI prints its message, so scrub it first
                clean = scrubbed_exception(exc, scrub)
                if clean is exc:
                    raise
                raise clean from None
    finally:
        if own_store:
            opened.close()
