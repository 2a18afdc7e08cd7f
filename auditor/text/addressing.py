"""Who a post speaks to: the @handles that open it, and the sentences that name an account.

On X a reply starts with the handles it is addressed to ("@acme_support @bob my order…"):
an account among those opening mentions is being spoken to. Bluesky and Mastodon replies do the
same, with their own handles ("@acme.bsky.social", "@acme@mastodon.social", or "@acme" for an
account Mastodon shows without its instance). An account named later in the
text ("I am switching to @acme_air, they rock!") is mentioned in passing: what is said
about it is in the sentence that names it, not in the rest of the post.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from auditor.networks import normalize_handle

# The run of @handles a post opens with. A leading "." (".@acme your service…", a habit from when
# a reply was hidden from followers) or a salutation ("Dear @acme", "Hey @acme,") still addresses
# the account: it is spoken to, not about.
_SALUTATIONS = "dear|hey|hi|hello|hiya|yo|ok|okay|hola|buenas|bonjour|salut|hallo|ciao|oi|ola|olá"
# A handle: X's letters, digits and _, and the dots and inner @ of Bluesky and Mastodon handles.
_HANDLE = r"@[\w-]+(?:[.@][\w-]+)*"
_OPENING_RE = re.compile(rf"^\s*(?:(?:{_SALUTATIONS})\b[\s,!]*)?[.\s]*((?:{_HANDLE}[\s,:.]*)+)", re.IGNORECASE)
_HANDLE_RE = re.compile(_HANDLE)
_X_PART_RE = re.compile(r"\w{1,50}")
# What is left of a sentence that only tags an account ("... terrible. @acme"): no word at all.
_WORD_RE = re.compile(r"[^\W_]{2,}")
_NOT_WORDS_RE = re.compile(rf"(?i){_HANDLE}|#\w+|\b(?:https?://|www\.)\S+")
# Sentences end at . ! ? (and their full-width forms) followed by a space, or at a line break.
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。！？])\s+|\n+")


def _names(token: str) -> list[str]:
    """What one written @handle may name: itself, and, as X reads "@bob.jones", its leading X handle."""
    handle = normalize_handle(token)
    if _X_PART_RE.fullmatch(handle):
        return [handle]
    prefix = _X_PART_RE.match(handle)
    return [handle, prefix.group()] if prefix else [handle]


def opening_mentions(text: str) -> tuple[str, ...]:
    """The handles (normalised) of the @mentions that open ``text``, in order."""
    match = _OPENING_RE.match(text)
    if match is None:
        return ()
    return tuple(dict.fromkeys(name for token in _HANDLE_RE.findall(match.group(1)) for name in _names(token)))


_SUBJECT_VERB_RE = re.compile(r"\s*(?:'s\b|(?:has|have|is|are|was|were|does|did|offers|sells|gives|makes)\b)")


def without_added_handles(text: str, replied_to: str | None, thread: Collection[str] | None = None) -> str:
    """A reply's ``text`` with the opening handles X added blanked out (offsets kept): X writes the handles of
    the post it replies to, its author and whom it named ("@ana_r @acme Wouldn't miss it!"), so they say nothing
    of what the reply is about. `thread`: those handles, when that post is known (a handle the author typed
    there besides, "@bob @acme has the best deals", stays); else every opening handle but whom it replies to.
    Anything but a reply is returned as it is."""
    match = _OPENING_RE.match(text) if replied_to is not None else None
    if match is None:
        return text

    def added(token: str) -> bool:
        names = _names(token)
        return replied_to not in names and (thread is None or any(name in thread for name in names))

    start, end = match.span(1)
    if text[:start].strip():
        return text  # "Hi @acme, ...", ".@acme ...": X writes its handles first; these the author typed
    # The last handle is the subject of what follows it, written in lower case ("@bob @acme has the best deals"):
    # typed, whoever X would have added.
    subject = _SUBJECT_VERB_RE.match(text, end) is not None
    handles = list(_HANDLE_RE.finditer(text, start, end))
    kept, at = [text[:start]], start
    for handle in handles:
        typed = subject and handle is handles[-1]
        kept += [text[at:handle.start()], " " * len(handle.group()) if added(handle.group()) and not typed
                 else handle.group()]
        at = handle.end()
    return "".join(kept) + text[at:]


# A reply under another customer's post that speaks for its author: in the first person ("Mine too, order 5531 never
# arrived", "Please look at my order too", "Not just us then!") or joining in ("same here", "+1", "Yep. This").
_OWN_WORDS_RE = re.compile(r"(?i)\b(?:i|i'm|im|i've|ive|i'd|i'll|me|my|mine|myself|we|we're|we've|our|ours|us)\b|"
                           r"^\W*(?:(?:yep|yes|yeah|yup|exactly)\W+)?(?:(?:same|ditto)\b|this\W*$)|\+\s*1\b")
_NOT_SAID_RE = re.compile(rf"{_HANDLE}|#\w+|\b(?:https?://|www\.)\S+")


def speaks_for_itself(text: str) -> bool:
    """Whether a reply speaks for its author, in the first person or by joining in ("@dave @acme my order too",
    "same here"), rather than only to the person it replies to ("congrats! enjoy it", "glad your sorted!", "😂")."""
    return _OWN_WORDS_RE.search(_NOT_SAID_RE.sub(" ", text).strip()) is not None


def is_addressed(handle: str, opening: tuple[str, ...]) -> bool:
    """Whether an account is among the opening mentions; a Mastodon account also by its bare user name,
    as Mastodon writes accounts of the instance it shows them on ("@acme" for acme@mastodon.social)."""
    return handle in opening or ("@" in handle and handle.partition("@")[0] in opening)


def sentences_naming(text: str, handle: str) -> list[str]:
    """The sentences of ``text`` that name ``@handle`` (any case)."""
    wanted = normalize_handle(handle)
    return [sentence for sentence in _SENTENCE_END_RE.split(text)
            if any(is_addressed(wanted, tuple(_names(token))) for token in _HANDLE_RE.findall(sentence))]


def said_about(text: str, handle: str) -> list[str]:
    """What ``text`` says about ``@handle``: the sentences that name it. A sentence that only tags the
    account ("Two fake items in one day. @acme", "MY HOME BUTTON DOESN'T WORK #IOS11 @acme") has
    nothing of its own to say: the tag puts the whole post to the account."""
    sentences = sentences_naming(text, handle)
    if any(not _WORD_RE.search(_NOT_WORDS_RE.sub(" ", sentence)) for sentence in sentences):
        return [text]
    return sentences
