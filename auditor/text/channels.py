"""Contact details a post gives: an e-mail address, a phone number, a link
(`offers.find_channels` adds a DM invitation).

Used by the escalation rule ("offer another channel by the second reply").
A false "offered a phone number" would hide a real failure to escalate, so
every pattern errs towards missing an odd format rather than taking an order
number or a date for a phone number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable

from auditor.text.spans import EMAIL_RE, Match, blank_out, cannot_match

# North-American numbers need separators: "(555) 010-0100", "555-010-0100",
# "+1 555 010 0100", "1-800-555-0100". Ten bare digits may be an order number.
_NANP = r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
# Toll-free vanity numbers: "1-800-FLOWERS", "1 888 GET-HELP".
_VANITY = r"(?:\+?1[\s.-])?8(?:00|33|44|55|66|77|88)[\s.-](?=[A-Z0-9-]*[A-Z])[A-Z0-9]{2,4}-?[A-Z0-9]{2,4}\b"
# International numbers must start with "+" and a country code; the digit
# count (8 to 15, E.164) is checked after matching.
_INTL = r"\+\d{1,3}(?:[\s.-]?(?:\(\d{1,4}\)|\d{1,5})){2,6}"
_PHONE_RE = re.compile(rf"(?<![\w#/$.+-])({_INTL}|{_NANP}|{_VANITY})(?:\s?(?:x|ext\.?)\s?\d{{1,5}})?(?![\w/-]|\.\d)")
# Numbers without a country code only next to a word that says "phone": a
# local 7-digit number ("call us on 555-0100") or a national one with a trunk
# "0" ("contact 03331 031 031", "tel: 020 7946 0958").
_LOCAL_PHONE_RE = re.compile(
    r"(?i)(?:\b(?:call|phone|tel|telephone|ph|mobile|cell|ring|text|sms|whatsapp|contact)\b[^\w\n]{0,3}"
    r"(?:us|me)?\s*(?:at|on)?:?\s*"
    r"|[\u260e\u260f\U0001f4de\U0001f4f1]\ufe0f?\s*)"
    r"(?<![\w#/$.-])(0\d{2,4}(?:[\s.-]?\d{2,4}){2,3}|\d{3}[\s.-]\d{4})(?![\w/-]|\.\d)"
)


# Links: with a scheme, "www.", or a bare domain with a well-known top-level
# domain (so "e.g." and "file.txt" are not links).
_TLDS = (
    "com|org|net|io|co|ai|app|dev|gov|edu|info|biz|me|ly|gl|gg|tv|to|us|uk|ca|de|fr|es|it|nl|be|ch|"
    "at|se|no|dk|fi|ie|pl|pt|au|nz|jp|cn|in|br|mx|ru|za|eu|asia|shop|store|help|support|online|site|"
    "tech|cloud|page|link|news|blog|health|bank|inc|ltd|company|global|world|xyz|cc|fm|sh|so|is|ee|lt|lv"
)
_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
_URL_RE = re.compile(
    rf"(?i)(?<![\w@.+-])(?:https?://[^\s<>\"']+|www\.{_HOST}[a-z]{{2,63}}\b(?![.-]\w|@)(?:[/?#][^\s<>\"']*)?"
    rf"|{_HOST}(?:{_TLDS})\b(?![.-]\w|@)(?:[/?#][^\s<>\"']*)?)"
)
_TRAILING = ".,;:!?)]}'\"\u2019\u201d…"
# Cheap tests of what the patterns above cannot match without, so most posts skip them (each
# scans every position of the text). A phone number holds a digit that follows none of the
# characters both phone patterns refuse before a number (its first digit, or the one after its
# "+" or "("); "@dana55" and "/blog/7639" hold none. The look-behind is written after the digit
# so `re` jumps from digit to digit. A link holds "://" or a "." before a letter (every top-level
# domain is letters).
_PHONE_DIGIT = re.compile(r"\d(?<![\w#/$.\-]\d)")
_LINK_MARK = re.compile(r"(?i)://|\.[a-z]")


def _strip_trailing(text: str, start: int, end: int) -> int:
    # A sentence's full stop or a closing bracket is not part of the link.
    while end > start and text[end - 1] in _TRAILING:
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return end


def _host(url: str) -> str:
    host = re.sub(r"(?i)^https?://", "", url)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].lower().rstrip(".")
    return host.split("@")[-1]


def _domain_ok(host: str, domains: tuple[str, ...]) -> bool:
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def find_url(text: str, company_domains: Iterable[str] = ()) -> Match | None:
    """The first link in ``text``; with ``company_domains``, the first link to
    one of them or a subdomain ("help.acme.com" counts for "acme.com")."""
    if _LINK_MARK.search(text) is None:
        return None
    domains = tuple(d.lower().strip().removeprefix("www.").strip(".") for d in company_domains if d.strip())
    # E-mail addresses are blanked first: "help@acme.com" is not a link to acme.com.
    written = blank_out(text, EMAIL_RE)
    found = list(_URL_RE.finditer(written))
    if domains:  # the company's own domains, written bare, whatever they end in ("acme.example/help")
        found = sorted(found + list(_company_url_re(domains).finditer(written)), key=lambda m: m.start())
    for m in found:
        end = _strip_trailing(text, m.start(), m.end())
        url = text[m.start() : end]
        host = _host(url)
        if "." not in host or _not_a_place(host, url):
            continue
        if _domain_ok(host.removeprefix("www."), domains):
            return Match(m.start(), end, url)
    return None


@lru_cache(maxsize=16)
def _company_url_re(domains: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(domain) for domain in domains)
    return re.compile(rf"(?i)(?<![\w@.+-])(?:www\.)?(?:{_HOST})?(?:{names})(?![\w.-]*\w)(?:[/?#][^\s<>\"']*)?")


# A picture or a post on X is no place to go for help: "pic.twitter.com/abc" is an image in the post.
_MEDIA_HOSTS = {"pic.twitter.com", "pic.x.com"}
_X_HOSTS = {"twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"}


def _not_a_place(host: str, url: str) -> bool:
    host = host.lower().removeprefix("www.")
    return host in _MEDIA_HOSTS or (host in _X_HOSTS and "/status/" in url.lower())


def find_email(text: str) -> Match | None:
    if cannot_match(EMAIL_RE, text):
        return None
    m = EMAIL_RE.search(text)
    return None if m is None else Match(m.start(), m.end(), m.group())


def find_phone(text: str) -> Match | None:
    """The first phone number: international (+CC ...), North-American with
    separators, toll-free vanity, or, after "call"/"phone"/"contact", a
    7-digit local or 0-prefixed national number."""
    if _PHONE_DIGIT.search(text) is None:
        return None
    found: list[Match] = []
    for m in _PHONE_RE.finditer(text):
        number = m.group(1)
        if number.startswith("+") and not 8 <= sum(c.isdigit() for c in number) <= 15:
            continue
        found.append(Match(m.start(), m.end(), m.group()))
        break
    for m in _LOCAL_PHONE_RE.finditer(text):
        number = m.group(1)
        if number.startswith("0") and not 10 <= sum(c.isdigit() for c in number) <= 11:
            continue
        found.append(Match(m.start(1), m.end(1), number))
        break
    return min(found, key=lambda x: x.start, default=None)
