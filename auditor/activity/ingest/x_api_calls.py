"""One X API request, made with the right credentials, waited on, retried, and its failure named.

- 429 with a rate limit: wait until `x-rate-limit-reset` (with a countdown), a bounded number of times.
- 429 `usage-capped` (X's problem type; or a 429 while the rate window still has requests
  left), 402, or any answer of X's `credits` problem type: the plan's cap is reached or the
  credits are spent. Every later request would fail the same way, so the run stops (`RunStopped`).
- 5xx, network errors, timeouts, a body cut short: retried with exponential back-off. A connection
  that cannot be made before the API has answered anything in the run stops it (`RunStopped`): the
  network is down, and every account's requests would wait out their retries in turn.
- 401, or a 403 that refuses the app itself: `CredentialsError` (the run stops, exit 2).
- anything else: `EndpointFailure` (that account's endpoint is a gap; the run goes on). A 403
  on the DM endpoint says that the app or token may not read DMs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from auditor.activity.ingest.x_credentials import Credentials, CredentialsError

MAX_RETRIES = 5  # 5xx and network errors, per request
BACKOFF_FIRST, BACKOFF_MAX = 2.0, 60.0  # seconds
MAX_RATE_WAITS = 4  # consecutive 429s for one request before the endpoint is given up
MAX_RATE_WAIT = 15 * 60 + 60  # X's windows are 15 minutes: a reset further away is a clock problem
COUNTDOWN_STEP = 60
REQUEST_TIMEOUT = 60  # seconds: tweepy sets none, and a silent connection would hang the run
DM_METHOD = "get_direct_message_events"


class EndpointFailure(Exception):
    """One account's endpoint could not be fetched; recorded in coverage, the run goes on."""


class AccountFailure(EndpointFailure):
    """The account itself could not be resolved: every endpoint of it fails."""


class RunStopped(Exception):
    """Every later request would fail the same way (usage cap, no credits): the run ends, resumable."""

    def __init__(self, kind: str, line: str):
        super().__init__(line)
        self.kind = kind  # usage-cap | credits | unreachable
        self.line = line


class StaleToken(Exception):
    """The API refused a saved pagination token (they expire): restart that endpoint's paging."""


class BadPage(Exception):
    """A 200 answer that is not a page (no `meta`): cut short or garbled on the way, so retried.

    Taking it for an empty last page would complete the endpoint and move `since_id` past the
    pages never read: they would be lost for good.
    """


@dataclass
class Auth:
    """One way to call the API: a tweepy client and whether its calls are OAuth 1.0a signed."""

    name: str  # app | oauth1 | oauth2 (a user token) and its number
    client: object
    user_auth: bool  # tweepy's flag: sign with the OAuth 1.0a user keys (else: the client's bearer token)
    variables: str  # what to check when X refuses it
    owned_reads: bool = False  # the account it belongs to owns the developer app: its own reads are "owned reads"
    owner: tuple[str, str] | None = None  # (user id, handle) of the user context


def default_client_factory(credentials: Credentials, user_token: str | None = None):
    """A tweepy client: app-only bearer token and OAuth 1.0a keys, or (`user_token`) one OAuth 2.0 user token."""
    import tweepy

    if user_token is not None:
        client = tweepy.Client(bearer_token=user_token, return_type=dict, wait_on_rate_limit=False)
    else:
        client = tweepy.Client(
            bearer_token=credentials.bearer_token,
            consumer_key=credentials.consumer_key,
            consumer_secret=credentials.consumer_secret,
            access_token=credentials.access_token,
            access_token_secret=credentials.access_token_secret,
            return_type=dict,
            wait_on_rate_limit=False,  # we wait ourselves: visibly, and with a bound
        )
    original = client.session.request

    def request(method, url, **kwargs):
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        response = original(method, url, **kwargs)
        # tweepy does int() on this header of a 429 and would raise ValueError instead of
        # TooManyRequests: a reset that is not a number is treated as no reset (wait a minute).
        reset = response.headers.get("x-rate-limit-reset")
        if reset is not None and not reset.strip().isdigit():
            del response.headers["x-rate-limit-reset"]
        return response

    client.session.request = request
    return client


class Caller:
    """Makes requests, counting them; waits through sleep and clock so tests never wait."""

    def __init__(self, say: Callable[[str], None], sleep: Callable[[float], None], clock: Callable[[], float]):
        self.say = say
        self.sleep = sleep
        self.clock = clock
        self.requests = 0
        # Whether the API has answered anything in this run: until it has, a connection that cannot be made is the
        # network's fault (offline, a proxy, a firewall), and every later request would fail the same way.
        self.reached = False
        # API methods (per credentials) that stayed rate limited through MAX_RATE_WAITS waits: X's
        # limits are per endpoint and app or user, so the next account would wait as long again.
        self.rate_exhausted: set[tuple[str, str]] = set()

    def call(self, what: str, auth: Auth, name: str, *, page: bool = False, **params) -> dict:
        """One API call, waiting out 429s and retrying transient faults; `page`: the answer must be a page."""
        import requests
        import tweepy

        if (auth.name, name) in self.rate_exhausted:
            raise EndpointFailure(f"still rate limited (gave up on {name} after {MAX_RATE_WAITS} waits earlier in this run)")
        method = getattr(auth.client, name)
        failures = 0
        rate_waits = 0
        while True:
            self.requests += 1
            try:
                answer = method(user_auth=auth.user_auth, **params)
                self.reached = True
                if page:
                    check_page(answer)
                return answer if isinstance(answer, dict) else {}
            except tweepy.TooManyRequests as exc:
                stopped = _spent(exc)
                if stopped is not None:
                    raise stopped from None
                rate_waits += 1
                if rate_waits > MAX_RATE_WAITS:
                    self.rate_exhausted.add((auth.name, name))
                    raise EndpointFailure(f"still rate limited after {MAX_RATE_WAITS} waits") from None
                self._wait_for_reset(what, exc.reset_time)
            except tweepy.Unauthorized:
                hint = " (OAuth 2.0 user tokens expire after two hours: refresh it)" if auth.name.startswith("oauth2") else ""
                raise CredentialsError(f"the X API refused the credentials (401 Unauthorized) for {what}: "
                                       f"check {auth.variables}{hint}") from None
            except tweepy.Forbidden as exc:
                stopped = _spent(exc)
                if stopped is not None:
                    raise stopped from None
                refused = _refused_credentials(exc)
                if refused:
                    # Every later request would be refused the same way: stop, and say what to fix.
                    raise CredentialsError(
                        f"the X API refused the credentials ({refused}) for {what}: check {auth.variables}; "
                        "they must belong to an app in a Project with the access this needs") from None
                if name == DM_METHOD:
                    raise EndpointFailure(
                        f"403 Forbidden: {api_message(exc)}: these credentials may not read DMs: the app needs the "
                        "'Read, write and Direct Messages' permission (then new OAuth 1.0a access tokens), or an "
                        f"OAuth 2.0 user token with the dm.read scope ({auth.variables})") from None
                if _problem(exc).endswith("/oauth1-permissions"):
                    raise EndpointFailure(f"403 Forbidden: {api_message(exc)}: the app's OAuth 1.0a permissions "
                                          "do not allow this endpoint") from None
                raise EndpointFailure(f"403 Forbidden: {api_message(exc)}: the app's access level or permissions "
                                      "do not allow this, or the account is protected or suspended") from None
            except tweepy.NotFound as exc:
                raise EndpointFailure(f"404 Not Found: {api_message(exc)}") from None
            except tweepy.BadRequest as exc:
                stopped = _spent(exc)
                if stopped is not None:
                    raise stopped from None
                message = api_message(exc)
                if any(key in params for key in ("pagination_token", "next_token")) and "token" in message.lower():
                    raise StaleToken() from None
                raise EndpointFailure(f"400 Bad Request: {message}") from None
            except (tweepy.TwitterServerError, requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError,
                    requests.exceptions.JSONDecodeError, BadPage) as exc:
                # Transient: a server error, a dropped or silent connection, a body cut short.
                failures += 1
                if isinstance(exc, tweepy.HTTPException):
                    reason = api_status(exc)
                elif isinstance(exc, requests.exceptions.JSONDecodeError):
                    reason = "truncated or invalid JSON in the response"
                elif isinstance(exc, BadPage):
                    reason = str(exc)
                else:
                    reason = type(exc).__name__
                if isinstance(exc, tweepy.HTTPException):
                    self.reached = True
                if failures > MAX_RETRIES:
                    if not self.reached and isinstance(exc, (requests.ConnectionError, requests.Timeout)):
                        raise RunStopped("unreachable", f"cannot reach the X API ({reason}, {MAX_RETRIES} retries "
                                                        "failed): check the network, a proxy or a firewall") from None
                    raise EndpointFailure(f"{reason}, {MAX_RETRIES} retries failed") from None
                delay = min(BACKOFF_FIRST * 2 ** (failures - 1), BACKOFF_MAX)
                self.say(f"  {what}: {reason}; retry {failures}/{MAX_RETRIES} in {delay:.0f}s")
                self.sleep(delay)
            except tweepy.HTTPException as exc:
                stopped = _spent(exc)
                if stopped is not None:
                    raise stopped from None
                raise EndpointFailure(api_status(exc)) from None

    def _wait_for_reset(self, what: str, reset_time: int | None) -> None:
        wait_out_rate_limit(what, reset_time, clock=self.clock, sleep=self.sleep, say=self.say)


def wait_out_rate_limit(what: str, reset: float | None, *, clock: Callable[[], float], sleep: Callable[[float], None],
                        say: Callable[[str], None], longest: float = MAX_RATE_WAIT) -> None:
    """Sleep until a second past the reset the server named (a minute when it named none, never more
    than `longest`), saying so, and counting down a line a minute so a long wait never looks hung."""
    now = clock()
    wait = max(1.0, min(float(reset - now + 1) if reset is not None else 60.0, longest))
    until = datetime.fromtimestamp(now + wait, timezone.utc).strftime("%H:%M:%S UTC")
    say(f"  {what}: rate limited; waiting {duration(wait)} until {until}")
    left = wait
    while left > 0:
        step = min(left, COUNTDOWN_STEP)
        sleep(step)
        left -= step
        if left > 0:
            say(f"  {what}: {duration(left)} left")


def check_page(answer: object) -> None:
    if isinstance(answer, dict) and isinstance(answer.get("meta"), dict):
        return
    errors = answer.get("errors") if isinstance(answer, dict) and "data" not in answer else None
    if isinstance(errors, list) and errors:
        details = "; ".join(str(e.get("detail") or e.get("title") or e) if isinstance(e, dict) else str(e)
                            for e in errors)
        raise EndpointFailure(f"the API answered with errors only: {details[:200]}")
    raise BadPage("an answer that is not a page (no meta)")


def _body(exc) -> dict:
    try:
        body = exc.response.json()
    except Exception:  # noqa: BLE001 - an unreadable body says nothing more
        return {}
    return body if isinstance(body, dict) else {}


def _problem(exc) -> str:
    return str(_body(exc).get("type") or "")


def _spent(exc) -> RunStopped | None:
    """A RunStopped when the answer says the plan's usage cap is reached or the credits are spent."""
    body = _body(exc)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    title, problem = str(body.get("title") or ""), str(body.get("type") or "")
    detail = " ".join(str(body.get("detail") or title or api_message(exc)).split())[:200]
    if status == 402 or problem.endswith("/credits") or title == "CreditsDepleted":
        return RunStopped("credits", f"out of X API credits ({status} {title or 'Payment Required'}: {detail}): add "
                                     "credits in the X Developer Console (console.x.com); the store keeps what was "
                                     "fetched and the next run resumes")
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    remaining = str(headers.get("x-rate-limit-remaining", "")).strip()
    capped = problem.endswith("/usage-capped") or title == "UsageCapExceeded"
    if status == 429 and (capped or (remaining.isdigit() and int(remaining) > 0)):
        scope = " ".join(str(body.get(key)) for key in ("period", "scope") if body.get(key))
        return RunStopped("usage-cap", f"the X API usage cap is reached ({detail}{'; ' + scope if scope else ''}): "
                                       "the plan's reads for this billing cycle are used up (pay-per-use plans read "
                                       "at most 3 million posts a month); the store keeps what was fetched and the "
                                       "next run resumes once the cap resets or the plan is raised")
    return None


# 403 answers that are about the credentials, not about the one request: every later request
# would get the same, so the run stops. v2 problem types, and v1.1 error codes X still sends.
_REFUSED_PROBLEMS = ("client-forbidden", "unsupported-authentication")
# could not authenticate you, account suspended, invalid or expired token, bad authentication data, account locked
_REFUSED_CODES = {32, 64, 89, 215, 326}


def _refused_credentials(exc) -> str | None:
    """'403 <title>: <detail>' when a 403 refuses the credentials themselves, else None."""
    body = _body(exc)
    if not body:
        return None
    kind = f"{body.get('type', '')} {body.get('reason', '')}"
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    codes = {e["code"] for e in errors if isinstance(e, dict) and isinstance(e.get("code"), int)}
    if not any(problem in kind for problem in _REFUSED_PROBLEMS) and not codes & _REFUSED_CODES:
        return None
    title = str(body.get("title") or "Forbidden")
    return " ".join(f"403 {title}: {api_message(exc)}".split())  # one line, whatever the server sent


def api_message(exc) -> str:
    messages = [str(m) for m in getattr(exc, "api_messages", ()) if m]
    return ("; ".join(messages) or str(exc).splitlines()[0])[:200]


def api_status(exc) -> str:
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    reason = getattr(response, "reason", "") or ""
    return f"{code} {reason}".strip() if code else str(exc).splitlines()[0][:120]


def duration(seconds: float) -> str:
    seconds = int(round(seconds))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
