"""Sending mail through the company's SMTP server, with the standard library's smtplib.

Settings come from the environment only, like the X tokens, so they live in the
scheduler's secrets and never in a policy or a command line:

| variable | meaning |
| --- | --- |
| `AUDITOR_SMTP_HOST` | the server (required to send) |
| `AUDITOR_SMTP_PORT` | default 587 with `starttls`, 465 with `ssl`, 25 with `none` |
| `AUDITOR_SMTP_SECURITY` | `starttls` (default), `ssl` (TLS from the first byte) or `none` |
| `AUDITOR_SMTP_USER`, `AUDITOR_SMTP_PASSWORD` | log in with these (both, or neither) |
| `AUDITOR_SMTP_CA_FILE` | a PEM bundle of certificate authorities to trust (a company CA) |
| `AUDITOR_SMTP_TIMEOUT` | seconds to wait for the server, default 30 |
| `AUDITOR_MAIL_FROM` | the sender, `Compliance <compliance@acme.example>` (required to send) |

TLS certificates are always verified; `starttls` never falls back to plain text; a
password is never sent without TLS except to a server on this machine. The password
is never printed: every line this module raises is scrubbed of it (and of the forms
SMTP sends it in).

A message that fails for a reason that may pass (a 4xx answer, a dropped connection)
is tried again, `MAX_ATTEMPTS` times in all; one refused for good (5xx) is not. A
failure that would stop every message (the server cannot be reached, the login or
the sender is refused) raises `SmtpError`; one that is about one message is
returned, so the others still go.
"""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr

from auditor.errors import AuditorError, UsageError

MAX_ATTEMPTS = 3
RETRY_DELAYS = (5.0, 30.0)  # seconds before the second and the third attempt
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DRY_RUN_SENDER = "auditor@localhost"
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class SmtpError(AuditorError):
    """Nothing more can be sent: the server cannot be reached, or refuses the login or the sender."""


@dataclass(frozen=True)
class Settings:
    host: str | None
    port: int
    security: str
    user: str | None
    password: str | None = field(repr=False)
    sender: str
    ca_file: str | None = None
    timeout: float = 30.0

    def secrets(self) -> list[str]:
        """The password in every form a line could carry it: as is, and as SMTP's AUTH sends it."""
        if not self.password:
            return []
        user = self.user or ""
        forms = [self.password, repr(self.password)[1:-1]]
        for raw in (self.password, f"\0{user}\0{self.password}", f"{user}\0{user}\0{self.password}"):
            forms.append(base64.b64encode(raw.encode()).decode())
        return [form for form in forms if len(form) >= 3]

    def scrub(self, text: object) -> str:
        line = str(text)
        for secret in sorted(self.secrets(), key=len, reverse=True):
            line = line.replace(secret, "[password]")
        return line


def settings_from_env(env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> Settings:
    """The SMTP settings; a dry run needs none of them (it writes files and sends nothing)."""
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise UsageError(f"{name} holds a control character: refused")
        return value or None

    security = (get("AUDITOR_SMTP_SECURITY") or "starttls").lower()
    if security not in SECURITY:
        raise UsageError(f"AUDITOR_SMTP_SECURITY must be starttls, ssl or none, got {security[:20]!r}")
    port_text = get("AUDITOR_SMTP_PORT")
    if port_text is not None and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise UsageError(f"AUDITOR_SMTP_PORT must be a port number, got {port_text[:20]!r}")
    timeout_text = get("AUDITOR_SMTP_TIMEOUT") or "30"
    try:
        timeout = float(timeout_text)
    except ValueError:
        raise UsageError(f"AUDITOR_SMTP_TIMEOUT must be a number of seconds, got {timeout_text[:20]!r}") from None
    host, user = get("AUDITOR_SMTP_HOST"), get("AUDITOR_SMTP_USER")
    password = env.get("AUDITOR_SMTP_PASSWORD") or None  # as given: spaces may be part of it
    if password is not None and any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise UsageError("AUDITOR_SMTP_PASSWORD holds a control character: refused")
    sender = get("AUDITOR_MAIL_FROM")
    settings = Settings(host, int(port_text) if port_text else DEFAULT_PORTS[security], security, user, password,
                        sender or DRY_RUN_SENDER, get("AUDITOR_SMTP_CA_FILE"), timeout)
    if sender is not None:
        _check_sender(sender)
    if dry_run:
        return settings
    if host is None:
        raise UsageError("AUDITOR_SMTP_HOST is not set: the SMTP server to send through (or use --dry-run)")
    if sender is None:
        raise UsageError("AUDITOR_MAIL_FROM is not set: the sender, like 'Compliance <compliance@acme.example>'")
    if (user is None) != (password is None):
        raise UsageError("set both AUDITOR_SMTP_USER and AUDITOR_SMTP_PASSWORD, or neither")
    if password is not None and security == "none" and host.lower() not in _LOCAL_HOSTS:
        raise UsageError("a password is never sent without TLS: set AUDITOR_SMTP_SECURITY to starttls or ssl")
    if settings.ca_file is not None and not os.path.isfile(settings.ca_file):
        raise UsageError(f"AUDITOR_SMTP_CA_FILE: no such file: {settings.ca_file}")
    return settings


def _check_sender(sender: str) -> None:
    name, address = parseaddr(sender)
    if "@" not in address or " " in address:
        raise UsageError(f"AUDITOR_MAIL_FROM must be an address like 'Compliance <compliance@acme.example>', "
                         f"got {sender[:60]!r}")


def sender_address(settings: Settings) -> Address:
    name, address = parseaddr(settings.sender)
    user, _, domain = address.partition("@")
    return Address(display_name=name, username=user, domain=domain)


@dataclass
class Attempted:
    """What became of one message: sent, or why not, after how many attempts."""

    sent: bool
    attempts: int
    reason: str = ""


class Sender:
    """One connection to the server, opened on first use and again after it drops."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep,
                 say: Callable[[str], None] = lambda line: None):
        self.settings = settings
        self.sleep = sleep
        self.say = say
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def send(self, message: EmailMessage) -> Attempted:
        reason, lost = "", False
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if attempt > 1:
                delay = RETRY_DELAYS[min(attempt - 2, len(RETRY_DELAYS) - 1)]
                self.say(f"  {message['To']}: {reason}; attempt {attempt}/{MAX_ATTEMPTS} in {delay:g}s")
                self.sleep(delay)
            lost = False
            try:
                if self.smtp is None:
                    self._connect()
                refused = self.smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                reason = "; ".join(_answer(code, text) for code, text in exc.recipients.values())
                if all(400 <= code < 500 for code in codes):
                    continue
                return Attempted(False, attempt, self.settings.scrub(reason))
            except smtplib.SMTPSenderRefused as exc:
                # 530: authentication or TLS required, which every message would meet again.
                hint = ("; the server wants TLS or a login: check AUDITOR_SMTP_SECURITY and AUDITOR_SMTP_USER"
                        if exc.smtp_code == 530 else "")
                raise SmtpError(self.settings.scrub(
                    f"the SMTP server refused the sender {self.settings.sender!r}: "
                    f"{_answer(exc.smtp_code, exc.smtp_error)}{hint}")) from None
            except smtplib.SMTPResponseException as exc:
                reason = _answer(exc.smtp_code, exc.smtp_error)
                self._drop()
                if 400 <= exc.smtp_code < 500:
                    continue
                return Attempted(False, attempt, self.settings.scrub(reason))
            except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, smtplib.SMTPConnectError) as exc:
                reason = str(exc) if isinstance(exc, _Unreachable) else f"connection lost ({type(exc).__name__})"
                lost = True
                self._drop()
                continue
            if refused:
                return Attempted(False, attempt, self.settings.scrub(
                    "; ".join(_answer(code, text) for code, text in refused.values())))
            return Attempted(True, attempt)
        if lost:  # the next message would fare no better
            raise SmtpError(f"{reason} (after {MAX_ATTEMPTS} attempts)")
        return Attempted(False, MAX_ATTEMPTS, self.settings.scrub(reason))

    def _drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def _connect(self) -> None:
        s = self.settings
        where = f"{s.host}:{s.port}"
        context = ssl.create_default_context(cafile=s.ca_file) if s.ca_file else ssl.create_default_context()
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                smtp.ehlo()
                if s.security == "starttls":
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if s.user is not None:
                    smtp.login(s.user, s.password or "")
            except BaseException:
                smtp.close()
                raise
        except ssl.SSLCertVerificationError as exc:
            raise SmtpError(f"the TLS certificate of {where} is not trusted ({exc.verify_message}): "
                            "set AUDITOR_SMTP_CA_FILE to your company's CA bundle") from None
        except ssl.SSLError as exc:
            raise SmtpError(f"TLS with {where} failed ({exc.reason or type(exc).__name__}): check "
                            "AUDITOR_SMTP_SECURITY (ssl for port 465, starttls for 587)") from None
        except smtplib.SMTPNotSupportedError:
            raise SmtpError(f"the SMTP server {where} does not offer STARTTLS: set AUDITOR_SMTP_SECURITY=ssl, or none only for "
                            "a relay on this machine") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise SmtpError(s.scrub(f"the SMTP server {where} refused the login of AUDITOR_SMTP_USER with AUDITOR_SMTP_PASSWORD: "
                                    f"{_answer(exc.smtp_code, exc.smtp_error)}")) from None
        except smtplib.SMTPResponseException as exc:
            raise SmtpError(s.scrub(f"the SMTP server {where} refused the connection: {_answer(exc.smtp_code, exc.smtp_error)}")) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise _Unreachable(f"cannot reach the SMTP server {where}: {exc.strerror or type(exc).__name__}"
                               if isinstance(exc, OSError) else s.scrub(f"the SMTP server {where}: {exc}")) from None
        self.smtp = smtp


class _Unreachable(ConnectionError):
    """The server could not be reached this time: tried again like a dropped connection."""


def _answer(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    words = " ".join(str(text).split())
    return f"{code} {words[:200]}".strip()
