"""Harmless idioms that contain a listed word: set aside before the profanity list and the classifier read a post.

"Dependency hell" is a term of the trade, not an oath; "a hell of a launch"
is praise. The tone rule blanks these phrases out (`set_aside`) before its
profanity and toxicity checks see the text, unless the policy says
`exempt_idioms: false`. The list is short and documented in
docs/detectors.md; anything not on it is judged as written ("what the hell",
"go to hell", "hell yeah" stay findings).
"""

from __future__ import annotations

import re

from auditor.text.spans import Match

# "<technical thing> hell": a situation, not a curse (dependency hell, callback hell, DLL hell).
TECHNICAL = (
    "dependency", "dependencies", "callback", "callbacks", "dll", "config", "configuration", "jar", "classpath",
    "package", "packaging", "npm", "pip", "version", "versioning", "merge", "rebase", "yaml", "json", "xml", "css",
    "regex", "integration", "migration", "build", "permission", "permissions", "tab", "tabs", "rpm", "driver",
    "certificate", "cert", "plugin", "framework", "library", "linker", "template", "macro", "import", "namespace",
    "promise", "async", "thread", "threading", "proxy", "firewall", "cors", "cache", "caching", "deployment",
    "deploy", "upgrade", "update", "timezone", "unicode", "encoding", "pointer", "legacy", "vendor", "toolchain",
    "monorepo", "microservice", "microservices", "kubernetes", "k8s", "docker", "webpack", "babel", "tooling",
    "spreadsheet", "meeting", "meetings", "email", "inbox", "paperwork", "bureaucracy", "tutorial", "dll's",
)

# Whole phrases, any case; "hell" may be written "Hell".
PHRASES = (
    r"(?:a\s+)?hell\s+of\s+an?",  # "a hell of a launch": praise (an intensifier, not an oath)
    r"come\s+hell\s+or\s+high\s+water",
    r"all\s+hell\s+(?:broke|breaks|breaking|will\s+break)\s+loose",
    r"to\s+hell\s+and\s+back",
    r"hell[\s-]+bent",
    r"hell's\s+kitchen",
    r"(?:a\s+)?snowball's\s+chance\s+in\s+hell",
    r"(?:like\s+)?a\s+bat\s+out\s+of\s+hell",
    r"(?:when|till|until)\s+hell\s+freezes\s+over",
    r"damned\s+if\s+(?:you|we|they|i)\s+do(?:,?\s+(?:and\s+)?damned\s+if\s+(?:you|we|they|i)\s+don't)?",
)

_PATTERN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join([rf"(?:{'|'.join(re.escape(w) for w in TECHNICAL)})[\s-]+hell", *PHRASES])
    + r")(?![\w-])",
    re.IGNORECASE,
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def find_idioms(text: str) -> list[Match]:
    """The harmless idioms in ``text``, left to right."""
    if "hell" not in text.lower() and "damn" not in text.lower():
        return []  # every idiom names one of the two: most posts are answered here
    return [Match(m.start(), m.end(), text[m.start() : m.end()]) for m in _PATTERN.finditer(text.translate(_APOSTROPHES))]


def set_aside(text: str) -> str:
    """``text`` with its harmless idioms replaced by spaces (offsets unchanged)."""
    spans = find_idioms(text)
    if not spans:
        return text
    out, last = [], 0
    for span in spans:
        out += [text[last : span.start], " " * (span.end - span.start)]
        last = span.end
    out.append(text[last:])
    return "".join(out)
