"""Acknowledgements: posts and DMs that close a conversation rather than ask for anything.

docs/contract.md (`response_time`, "needs an answer"): once handles, links, hashtags, emoji and
punctuation are set aside, an acknowledgement has nothing left but thanks and closers
("thanks!", "thank you so much", "ok", "got it", "perfect", "will do", "DM sent", "done",
"cheers", 👍). It neither starts nor extends a waiting episode, addressed or not.

The test is strict on purpose: every word must be a closer or a filler that only softens
one ("so", "much", "guys", "for the help"), and at least one closer (or a closing emoji
such as 👍 🙏 ✔) must be there. So "thanks, but it still doesn't work", "thanks for
nothing", "no thanks", "great, another outage" and "ok when?" are not acknowledgements,
and neither is a post with nothing but a link (usually a screenshot of the problem) or
only hashtags ("#again #nothing #bs"). An emoji that is not a closing one (😡 🙄 😑) is
content, not punctuation.

English first; thanks in a few other languages (Spanish, French, German, Portuguese,
Italian, Dutch, Scandinavian, Japanese, Chinese, Korean) count as closers on their own.
Anything else in those languages ("danke für die Info") is read as content: a missed
acknowledgement costs a debatable finding, a wrong one would hide a customer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from auditor.text.sentiment import sentiment_below
from auditor.text.spans import EMAIL_RE, HANDLE_RE, HASHTAG_RE, URL_RE, blank_out, normalize_apostrophes

# What says the problem is solved, or what was missing came: closers on their own, and what a release says.
SOLVED = (
    "that works", "that worked", "it worked", "worked", "works now", "it works", "it works now", "working now",
    "it's working", "it's working now", "it's working again", "working again", "fixed", "it's fixed", "fixed it",
    "i fixed it", "all fixed", "sorted", "all sorted", "resolved", "solved", "all good", "all set", "found it",
    "that solved it", "that fixed it", "that did it", "that did the trick", "did the trick", "problem solved",
    "issue solved", "issue resolved", "problem fixed", "it arrived", "it's arrived", "arrived", "it came", "it's here",
    "it turned up", "it showed up",
)

# Phrases that close a conversation on their own. Written in lower case with plain
# apostrophes; "it's" also matches "its" and "it is" (see _variants).
CLOSERS = (
    # thanks
    "thanks", "thank you", "thank u", "thankyou", "thanx", "thx", "thnx", "thnks", "tks", "ty", "tysm", "tyvm",
    "many thanks", "much appreciated", "appreciated", "appreciate it", "appreciate that", "i appreciate it",
    "appreciate the help", "cheers", "ta",
    # agreement and understanding
    "ok", "okay", "okey", "okie", "k", "kk", "alright", "all right", "got it", "gotcha", "understood", "noted",
    "will do", "i will", "i'll do that", "i'll try that", "will try", "i'll try", "sure", "sure thing", "of course",
    "sounds good", "sounds great", "sounds perfect", "makes sense", "fair enough", "no worries", "no problem",
    "no prob", "np", "that's fine", "fine", "it's ok", "it's okay", "that's ok", "that's okay", "never mind",
    "nevermind", "nvm",
    # praise that closes
    "perfect", "great", "awesome", "cool", "nice", "excellent", "brilliant", "amazing", "lovely", "fantastic",
    "wonderful", "super", "sweet", "good", "very good", "that's great", "that's perfect", "that's awesome",
    "that's good", "good to know", "great news", "good news",
    # it is solved (and what else closes as it does: "works", "love it")
    *SOLVED, "works", "love it", "love that",
    "it arrived today", "it arrived this morning", "arrived today", "arrived this morning", "it came today",
    "looking forward to it", "look forward to it", "i look forward to it",
    # done as asked
    "dm sent", "dm'd", "dmed", "dm'ed", "sent", "just sent", "sent it", "sent you a dm", "sent a dm",
    "just sent you a dm", "i sent you a dm", "i've sent you a dm", "sending you a dm", "sending a dm",
    "just sent a dm", "i just sent a dm", "i just sent you a dm", "i sent a dm", "i've sent a dm", "dm'd you",
    "i dm'd you", "just dm'd you", "i just dm'd you", "dmed you", "i dmed you", "messaged you", "i messaged you",
    "just messaged you", "i just messaged you",
    "i'll dm you", "will dm you", "dming you", "sent you a message", "details sent", "done", "just did",
    "followed", "followed you", "woohoo", "yay", "hooray",
    # what an agent says to close: "Glad we could help!", "You're welcome"
    "glad we could help", "glad i could help", "glad to help", "happy to help", "happy we could help",
    "you're welcome", "your welcome", "my pleasure", "our pleasure", "glad to hear it",
    "glad to hear that", "great to hear", "good to hear", "happy to hear it", "happy to hear that",
    # goodbyes
    "have a good day", "have a great day", "have a nice day", "have a good one", "have a great one",
    "have a good weekend", "have a great weekend", "have a good night", "have a good evening", "you too",
    "you as well", "same to you", "bye", "all the best", "best wishes", "take care", "regards", "kind regards",
    "best regards",
    # praise for whoever helped: "You actually are amazing 😘"
    "you're amazing", "you are amazing", "are amazing", "you rock", "you guys rock", "you're the best", "you are the best",
    "you're a star", "you are a star", "legend", "you're a legend", "you are a legend",
    # thanks in other languages
    "gracias", "muchas gracias", "mil gracias", "merci", "merci beaucoup", "danke", "danke schön", "danke schon",
    "danke schoen", "vielen dank", "obrigado", "obrigada", "muito obrigado", "muito obrigada", "grazie",
    "grazie mille", "bedankt", "dank je", "dank u", "dankjewel", "tack", "tack så mycket", "takk", "tusen takk",
    "arigato", "ありがとう", "ありがとうございます", "ありがとうございました", "こちらこそありがとうございました",
    "谢谢", "謝謝", "多谢", "감사합니다", "고맙습니다",
)

# Words that only soften or address a closer: never an acknowledgement on their own.
FILLERS = (
    "so", "so much", "very", "very much", "much", "really", "a lot", "lots", "loads", "heaps", "tons", "a ton",
    "a million", "again", "and", "too", "also", "you", "u", "ya", "y'all", "guys", "team", "all", "folks",
    "everyone", "both", "man", "mate", "dude", "sir", "buddy", "friend", "oh", "ah", "aw", "aww", "wow",
    "lol", "haha", "hehe", "x", "xx", "xo", "xoxo", "in advance", "anyway", "anyways", "now", "for that", "for this",
    "for the help", "for your help", "for all the help", "for the info", "for the information", "for the update",
    "for the reply", "for the response", "for the quick reply", "for the quick response", "for the fast reply",
    "for the fast response", "for your reply", "for your response", "for your quick reply",
    "for your quick response", "for the assistance", "for your assistance", "for the support",
    "for your support", "for the heads up", "for the tip", "for your time", "for your patience",
    "for getting back", "for getting back to me", "for the follow up", "for following up", "for replying",
    "for responding", "for helping", "for helping me", "for letting me know", "for the quick help",
    "for the quick fix", "for the fix", "for fixing it", "for fixing that", "for sorting it", "for sorting it out",
    "for the answer", "for your answer", "for the quick answer", "for your quick answer",
    "for sorting that out",
    # what was sent as asked: "Just sent you a DM with my booking ref"
    "with my details", "with the details", "with my info", "with the info", "with my information",
    "with my booking ref", "with my booking reference", "with my order number", "with the order number",
    "with my account number", "with my email", "with my number", "with my phone number", "with a screenshot",
    "with screenshots", "with the screenshot", "with the screenshots", "with a photo", "with photos", "with the photos",
    "with a picture", "with pictures", "with my receipt", "with the receipt", "with more details", "with more info",
    "and explanation", "and an explanation", "and the explanation", "actually", "truly", "honestly",
    # "for the help" in the languages whose thanks close
    "por todo", "por la ayuda", "por tu ayuda", "por su ayuda", "pour tout", "pour votre aide", "pour l'aide",
    "pour ton aide", "für alles", "für die hilfe", "für die schnelle hilfe", "für ihre hilfe", "für deine hilfe",
)
# Closers that thank: the one word after them may be the name of whom they thank ("thanks Sarah!"), when it
# is written as a name is.
_THANKS_WORDS = frozenset("thanks thank thx ty cheers gracias merci danke dank obrigado obrigada grazie tack takk".split())
_NAME_RE = re.compile(r"[A-Z][a-z]+")

# Emoji that close ("👍", "🙏") count as a closer; any other emoji is content.
CLOSING_EMOJI = frozenset(
    "👍👌🙏✔✅☑😊🙂😀😃😄😁☺🤗❤♥💙💚💛💜🧡🖤🤍💕💖💗💓💞💯🙌👏😍🥰😘✌🎉🥳👋😉😎🤝⭐🌟✨☀🙆💪"
)
# Characters that only modify an emoji: variation selectors, skin tones, the zero-width joiner.
_MODIFIERS = frozenset("\ufe0e\ufe0f\u200d") | frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))

_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


# "Done as asked" said about a DM: [who] [just/already] sent [you] [a/the/my...] DM, [who] DMed [you], "DM sent".
# Built as combinations rather than listed: customers write every one of them ("I have sent a DM", "Just DMed",
# "Have sent you a private message", "Just sent you all my DM").
_WHO = ("", "i", "i've", "ive", "i have", "we", "we've", "we have", "have", "i'm", "im", "i am")
_WHEN = ("", "just", "already")
_TO = ("", "you", "u")
_WHICH = ("", "a", "the", "my", "all my")
_WHAT = ("dm", "dms", "direct message", "private message", "pm", "message", "details", "info", "information")
_SENT = ("sent", "sent over", "sending", "sending over")
_MESSAGED = ("dm'd", "dmed", "dm'ed", "pm'd", "pmed", "pm'ed", "messaged", "direct messaged", "private messaged")


def _sent_closers() -> set[str]:
    done = {f"{what} sent" for what in _WHAT}
    for sent in _SENT:
        done |= {f"{sent} {to} {which} {what}" for to in _TO for which in _WHICH for what in _WHAT}
    done |= {f"{messaged} {to}" for messaged in _MESSAGED for to in _TO}
    done |= {f"{messaged} {to} {which} {what}" for messaged in _MESSAGED for to in _TO for which in _WHICH[1:]
             for what in _WHAT if what not in ("dm", "dms", "pm")}  # "DM'd you the details"
    return {" ".join(f"{who} {when} {phrase}".split()) for who in _WHO for when in _WHEN for phrase in done}


def _variants(phrase: str) -> set[str]:
    """"it's ok" is also typed "its ok" and "it is ok"; "that's" likewise."""
    out = {phrase}
    for short, long in (("it's", "it is"), ("that's", "that is"), ("i'll", "i will")):
        if short in phrase:
            out |= {phrase.replace(short, short.replace("'", "")), phrase.replace(short, long)}
    return out


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[tuple[str, ...], bool], int]:
    """Phrase (as a word tuple) -> is a closer (True) or only a filler (False); and the longest phrase."""
    phrases: dict[tuple[str, ...], bool] = {}
    for filler in FILLERS:
        phrases[tuple(_WORD_RE.findall(filler))] = False
    for closer in (*CLOSERS, *_sent_closers()):
        for variant in _variants(closer):
            phrases[tuple(_WORD_RE.findall(variant))] = True
    return phrases, max(len(words) for words in phrases)


def _named(written: str, words: list[re.Match[str]], position: int) -> bool:
    """Is the word at ``position`` written as a name, in the clause of the thanks just before it ("thanks,
    Sarah"; not "Thanks. Nothing works.")?"""
    return (_NAME_RE.fullmatch(words[position].group()) is not None
            and _SAME_CLAUSE_RE.fullmatch(written, words[position - 1].end(), words[position].start()) is not None)


_SAME_CLAUSE_RE = re.compile(r"[ \t,]*")


def is_acknowledgement(text: str) -> bool:
    """True when nothing but thanks and closers is left once handles, links, hashtags, emoji and
    punctuation are set aside (and at least one closer is there). A question mark asks ("ok?"), and an
    e-mail address is what was asked for ("sure, bob@example.com"): neither closes."""
    written = blank_out(unicodedata.normalize("NFKC", normalize_apostrophes(text)), URL_RE)
    if "?" in written or "\uff1f" in written or EMAIL_RE.search(written):
        return False
    written = blank_out(written, HANDLE_RE, HASHTAG_RE)
    text = written.lower()
    closers = 0
    # Only characters beyond ASCII can be emoji, modifiers or other symbols ("So"): the rest are
    # letters, digits, spaces or punctuation, set aside below, so the loop skips them.
    for char in _BEYOND_ASCII.findall(text):
        if char.isalnum() or char.isspace() or char in _MODIFIERS:
            continue
        if char in CLOSING_EMOJI:
            closers += 1
        elif unicodedata.category(char) == "So":
            return False  # an emoji or symbol that does not close (😡 🙄 📦): content
    words = _WORD_RE.findall(text)
    as_written = list(_WORD_RE.finditer(written))
    if len(as_written) != len(words):  # lower case changed a word's letters: no names read
        as_written = []
    phrases, longest = _lexicon()
    position = 0
    thanked = False  # the phrase just read thanks someone
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            found = tuple(words[position:position + size])
            kind = phrases.get(found)
            if kind is not None:
                closers += kind
                position += size
                thanked = kind and found[0] in _THANKS_WORDS
                break
        else:
            if thanked and as_written and _named(written, as_written, position):
                position += 1  # "thanks Sarah", "Thank you, Miguel"
                thanked = False
                continue
            return False  # a word that neither closes nor softens a closer
    return closers > 0


# What says the matter is settled: the problem solved, or the question withdrawn.
RESOLVED = (*SOLVED, "never mind", "nevermind", "nvm")
# A greeting before what they say: "Hey, no need anymore..."
_GREETING_RE = re.compile(r"\s*(?:hey|hi|hello|oh|ah|ok|okay)\b[\s,.!]*", re.IGNORECASE)
_CLAUSE_RE = re.compile(r"[.!;,\n]+")
_BACK_AGAIN_RE = re.compile(r"(?i)\b(?:came|arrived|here|turned\s+up|showed\s+up)\s+again\b")
# A clause that only says what happened to it: "the parcel just turned up", "it was delivered this morning"; its
# verb ends it ("Box came crushed", "Found another bug" and "the delivery that never came" say more).
_HAPPENED_CLAUSE_RE = re.compile(
    r"(?i)\s*(?:it|(?:the|my|our|your)(?:\s+[\w']+){1,2})(?:\s+(?:has|have|had|was|is|got))?"
    r"(?:\s+(?:just|finally|already|now))?\s+(?:arrived|turned\s+up|came|showed\s+up|found|works|working|fixed|"
    r"sorted|resolved|solved|here|delivered)(?:\s+(?:now|today|this\s+morning|just\s+now|after\s+all))?\s*")
# What takes a release back: "no need to DM, but it still doesn't work".
_CONTRAST_RE = re.compile(r"\b(?:still|but|however|though|yet|not|again)\b|n't\b")
# A counterpart declining the contact itself, at the start of what they write: "no need to DM me", "don't worry
# about it". What follows must close too ("no need to DM, just answer here" declines the DM, not the answer).
_DECLINE_RE = re.compile(
    r"\s*(?:no need(?: (?:any ?more|now))?(?: to (?:dm|pm|message|contact|call|e-?mail|reach out(?: to)?|"
    r"get back(?: to)?)(?: me| us)?)?(?: (?:any ?more|now))?|don'?t worry(?: about it)?|never ?mind|nvm)\b")


@lru_cache(maxsize=1)
def _resolved() -> tuple[str, ...]:
    return tuple(f" {' '.join(_WORD_RE.findall(variant))} " for phrase in RESOLVED for variant in _variants(phrase))


def is_release(text: str) -> bool:
    """Does a counterpart's post or DM say no contact is needed any more: the matter settled ("all sorted now,
    thanks!", "nevermind, found it") or the contact declined ("no need to DM me, it works now")? All of it must
    close, as an acknowledgement does: "thanks!" alone only waits politely, "still not sorted" asks."""
    written = blank_out(unicodedata.normalize("NFKC", normalize_apostrophes(text)), HANDLE_RE)
    if "?" in written:
        return False
    greeting = _GREETING_RE.match(written)
    written = written[greeting.end():] if greeting else written
    declined = _DECLINE_RE.match(written.lower())
    if declined:
        rest = written[declined.end():]
        if not _WORD_RE.search(rest) or is_acknowledgement(rest):
            return True
        # "no need anymore, the parcel just turned up. All sorted now thanks!": declined, a clause that says it is
        # settled and nothing more, and nothing taken back ("no need, it arrived broken" is no release)
        clauses = [clause for clause in _CLAUSE_RE.split(rest) if _WORD_RE.search(clause)]
        return (not _CONTRAST_RE.search(rest.lower())
                and any(is_acknowledgement(clause) and _settled(clause) for clause in clauses)
                # every other clause only says what happened to it ("the parcel just turned up"): no new request
                # ("Also you charged me twice, fix that") and no way out taken ("Chargeback filed.")
                and all(is_acknowledgement(clause)
                        or (_HAPPENED_CLAUSE_RE.fullmatch(clause) and not sentiment_below(clause, 0))
                        for clause in clauses))
    # "It arrived again", "It's here again": what keeps coming back is no release ("working again" is)
    return is_acknowledgement(written) and _settled(written) and not _BACK_AGAIN_RE.search(written)


def _settled(text: str) -> bool:
    said = f" {' '.join(_WORD_RE.findall(text.lower()))} "
    return any(phrase in said for phrase in _resolved())
