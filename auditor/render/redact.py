"""Redaction: a result with DM text, or counterpart handles, taken out. Applied before any renderer sees it.

`dms`: a DM's evidence keeps that it was sent, by whom and when, not its text.
`customers`: every counterpart handle becomes a pseudonym, in findings, evidence, quoted text and
notes, in whatever form it is written: of any length, with its Bluesky or Mastodon domain, after X's
full-width "＠", and a handle of a customer the report names written without its "@" ("sorry kate_pm",
"kate_pm@mail.example"); and what would name the customer anyway is dropped:
- DM text, as with `dms` (a customer's private messages carry their name, phone and order numbers);
- the text of the customers' own posts (a quoted post is found on X by searching for its words);
- the same words quoted in a finding's message (an escalation quotes the complaint);
- every evidence link and every link inside quoted text, written with its scheme or without
  ("x.com/kate_pm"; a link to the brand's reply opens the conversation, and the customer with it), and
  post and DM ids, in the evidence and in a measure (a conversation, a response: x.com/i/status/<id> is
  a link too);
- the values the reasons for skipped lines quote (a customer's name in an export's handle column).
Roster handles and the roster's own words stay: the report is about them.

A pseudonym is `customer-` and 16 hex digits (64 bits) of HMAC-SHA-256 over the handle, keyed with a
secret (`auditor/render/pseudonym_key.py`): nobody can recompute it from a guessed handle without the key,
the same key gives a customer the same pseudonym every month, and two customers share one with
odds of about n²/2⁶⁵ (one in 37 million for a million customers).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import replace

from auditor.errors import UsageError
from auditor.result import AuditResult, Evidence, Finding, Timing
from auditor.review.keyed import PSEUDONYM_HEX, keyed_fingerprint, pseudonym

REDACT_MODES = ("dms", "customers", "none")
DM_REDACTED = "[direct message: text withheld]"
POST_REDACTED = "[customer's post: text withheld]"
LINK_REDACTED = "[link withheld]"
WORDS_REDACTED = "[customer's words withheld]"


def _hidden_id(kind: str, event_id: str, key: bytes) -> str:
    digest = hmac.new(key, f"{kind}\x1f{event_id}".encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:PSEUDONYM_HEX]}"


def redact(result: AuditResult, mode: str | None, key: bytes | None = None) -> AuditResult:
    if mode in (None, "none"):
        return result
    if mode == "dms":
        findings = tuple(replace(f, evidence=tuple(_without_dm_text(e) for e in f.evidence)) for f in result.findings)
        return replace(result, findings=findings)
    if mode != "customers":
        raise ValueError(f"unknown redaction {mode!r}")
    if not key:
        raise UsageError("--redact customers needs a pseudonym key (see auditor/render/pseudonym_key.py)")
    roster = {a.handle for a in result.accounts}
    # The customers the report names: written without "@" too ("sorry kate_pm", "kate_pm@mail.example").
    customers = {f.counterpart for f in result.findings if f.counterpart} | {
        e.author for f in result.findings for e in f.evidence if e.author}
    hider = _Hider(roster, {c.lower() for c in customers} - roster, key)
    # A skipped line's reason may quote the value it could not read: a customer's name in the handle column.
    skipped = tuple({**line, "reason": withhold_values(str(line.get("reason", "")))}
                    for line in result.data.skipped_lines)
    return replace(result, findings=tuple(hider.finding(f) for f in result.findings),
                   notes=tuple(hider.text(note) for note in result.notes),
                   data=replace(result.data, skipped_lines=skipped))


def _unquoted(message: str, theirs: list[str]) -> str:
    """`message` with each quote of a customer's own words (`theirs`, each flattened) withheld whole, however many
    quotation marks of their own the words hold: a quote runs from a `"` to the furthest `"` (or `…"`, where it
    was cut) that keeps what is between a piece of their words."""
    out, at = [], 0
    while (start := message.find('"', at)) >= 0:
        end = None
        close = message.find('"', start + 1)
        while close >= 0:
            said = message[start + 1:close].removesuffix("…").rstrip()
            if len(said) >= 3 and any(said in text for text in theirs):
                end = close + 1
            close = message.find('"', close + 1)
        if end is None:
            out.append(message[at:start + 1])
            at = start + 1
        else:
            out.append(f'{message[at:start]}"{WORDS_REDACTED}"')
            at = end
    out.append(message[at:])
    return "".join(out)


def _without_dm_text(evidence: Evidence) -> Evidence:
    return replace(evidence, text=DM_REDACTED) if evidence.type == "dm" else evidence


# A handle as written: "@", or the full-width "＠" X reads as one, then an X handle of any length, or a Bluesky or
# Mastodon handle with its domain ("@kate.smith.dev", "@kate@mastodon.social"): the whole of it names the customer.
_HANDLE_RE = re.compile(r"(?<![\w@＠])[@＠]([\w-]+(?:[.@][\w-]+)*)")
# A word that may be a handle written without its "@" ("sorry kate_pm", "kate_pm@mail.example", "kate.smith.dev").
_WORD_RE = re.compile(r"(?<![\w@＠.-])[\w-]+(?:[.@][\w-]+)*")
# A measure's values that name an event: the kind of event each names.
_EVENT_KEYS = {"conversation": "post", "response_id": None}
# Links: with a scheme or "www.", and written without one as X links them ("x.com/kate_pm", "shop.example/o/5531").
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+|(?<![\w@.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S*",
                     re.IGNORECASE)
_HANDLE_LIKE_RE = re.compile(r"[_\d.@]")
BARE_HANDLE_MIN = 9
_QUOTED_RE = re.compile(r'"[^"]*"')
_PSEUDONYM_RE = re.compile(r"customer-[0-9a-f]{16}")
# A value a reason quotes, as Python's repr writes it ('Kate Smith', "Kate's").
_VALUE_RE = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
VALUE_REDACTED = "[value withheld]"


def withhold_values(reason: str) -> str:
    """A skipped line's reason without the values it quotes ('Kate Smith' where a handle should be)."""
    return _VALUE_RE.sub(_withheld_value, reason)


def _withheld_value(match: re.Match) -> str:
    mark = match.group(0)[0]
    return f"{mark}{VALUE_REDACTED}{mark}"


def _canonical(written: str) -> str:
    """A written handle as the roster and the findings write it: NFKC ("ｋａｔｅ" is "kate"), no "@", lower case."""
    return unicodedata.normalize("NFKC", written).lstrip("@").lower()


class _Hider:
    def __init__(self, roster: set[str], customers: set[str], key: bytes):
        self.roster = roster
        # A Mastodon account of the roster may be written by its user name alone ("@acme" for acme@mastodon.social).
        self.roster_users = {handle.partition("@")[0] for handle in roster if "@" in handle}
        # Written bare (without "@"): in what people wrote, every customer's ("Sorry kimlee, ..."; a handle that is an
        # everyday word, "phone", is swapped there too: the report keeps no name of theirs); in the tool's own words
        # (a message, a note) only where they quote, and only a handle no everyday word could be.
        self.customers = customers
        self.customers_in_quotes = {c for c in customers if _HANDLE_LIKE_RE.search(c) or len(c) >= BARE_HANDLE_MIN}
        self.key = key

    def handle(self, handle: str | None) -> str | None:
        if handle is None or handle.lower() in self.roster:
            return handle
        return pseudonym(handle, self.key)

    def _ours(self, handle: str) -> bool:
        return handle in self.roster or handle in self.roster_users

    def text(self, text: str, *, written_by_people: bool = False) -> str:
        """`text` with customers' handles swapped and links withheld. The tool's own words (a message, a note) hold
        a customer's bare handle only where they quote someone (in "..."); `written_by_people` (evidence) may hold it
        anywhere."""
        def swap(match: re.Match) -> str:
            handle = _canonical(match.group(1))
            if self._ours(handle) or _PSEUDONYM_RE.fullmatch(handle):  # a waiver may name one already
                return match.group(0)
            return "@" + pseudonym(handle, self.key)

        customers = self.customers if written_by_people else self.customers_in_quotes

        def bare(match: re.Match) -> str:
            word = match.group(0)
            handle = _canonical(word)
            if handle in customers:
                return pseudonym(handle, self.key)
            user, at, rest = word.partition("@")  # an address or a Mastodon handle built on theirs
            if at and _canonical(user) in customers:
                return pseudonym(_canonical(user), self.key) + at + rest
            return word

        text = _HANDLE_RE.sub(swap, _URL_RE.sub(LINK_REDACTED, text))
        if not customers:
            return text
        if written_by_people:
            return _WORD_RE.sub(bare, text)
        return _QUOTED_RE.sub(lambda quoted: _WORD_RE.sub(bare, quoted.group()), text)

    def evidence(self, e: Evidence) -> Evidence:
        if e.type == "dm":
            text = DM_REDACTED
        elif e.author.lower() not in self.roster:
            text = POST_REDACTED
        else:
            text = self.text(e.text, written_by_people=True)
        return replace(e, id=_hidden_id(e.type, e.id, self.key), author=self.handle(e.author) or "", text=text, url=None)

    def finding(self, finding: Finding) -> Finding:
        # Handles in a measure's words (a reason, the quoted promise) are swapped like the message's;
        # an event's id is keyed as the evidence's are.
        kinds = {e.id: e.type for e in finding.evidence}
        measure = {k: (self.handle(v) if k in {"answered_by", "counterpart"}
                       else _hidden_id(_EVENT_KEYS[k] or kinds.get(v, "post"), v, self.key) if k in _EVENT_KEYS
                       else self.text(v))
                   if isinstance(v, str) else v for k, v in finding.measure.items()}
        theirs = [" ".join(e.text.split()) for e in finding.evidence
                  if e.type == "post" and e.author.lower() not in self.roster]
        waived = finding.waived and {k: (self.text(v) if isinstance(v, str) else v) for k, v in finding.waived.items()}
        return replace(
            finding,
            fingerprint=keyed_fingerprint(finding.fingerprint, self.key),
            counterpart=self.handle(finding.counterpart),
            message=self.text(_unquoted(finding.message, theirs) if theirs else finding.message),
            evidence=tuple(self.evidence(e) for e in finding.evidence),
            measure=measure,
            waived=waived or finding.waived,
            timing=finding.timing and self.timing(finding.timing),
        )

    def timing(self, timing: Timing) -> Timing:
        # The story tells what the measure holds: its words are swapped the same way.
        return replace(timing, moments=tuple(replace(m, by=self.handle(m.by)) if m.by else m for m in timing.moments),
                       clock=self.text(timing.clock), channel=timing.channel and self.text(timing.channel))
