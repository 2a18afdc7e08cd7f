"""One small audited month shared by the CI tests: findings of every severity band and status.

acme_support (rule `answer`, high): bob answered late (breached), carol's DM never
answered (breached), erin still waiting at the end of the data (pending).
jdoe (rule `answer-sales`, low): dave answered after two days (breached).
"""

from __future__ import annotations

from pathlib import Path

from tests.factories import dm, policy, post, run

AS_OF = "2026-10-31 12:00"
RULES = [
    {"id": "answer", "type": "response_time", "severity": "high", "within": "4h",
     "description": "Customers get an answer <within> 4 hours & no \"excuses\".",
     "applies_to": {"accounts": ["acme_support"]}},
    {"id": "answer-sales", "type": "response_time", "severity": "low", "within": "24h",
     "applies_to": {"accounts": ["jdoe"]}},
]


def events():
    ask = post("bob", "2026-10-05 14:00", "@acme_support =HYPERLINK(\"http://evil\") <script>alert(1)</script> \x00\x1b ]]>",
               id="100", mentions=("acme_support",))
    late = post("acme_support", "2026-10-05 23:00", "@bob sorry", id="101", reply_to=ask)
    message = dm("carol", "acme_support", "2026-10-06 10:00", "my phone is 555-0100", id="d-200")
    waiting = post("erin", "2026-10-31 10:00", "@acme_support hello?", id="300", mentions=("acme_support",))
    sales = post("dave", "2026-10-07 09:00", "@jdoe price?", id="400", mentions=("jdoe",))
    slow = post("jdoe", "2026-10-09 09:00", "@dave 10 USD", id="401", reply_to=sales)
    return [ask, late, message, waiting, sales, slow]


def loaded_policy(tmp_path: Path):
    return policy(tmp_path, RULES)


def result(tmp_path: Path, extra=()):
    return run(loaded_policy(tmp_path), *events(), *extra, as_of=AS_OF)


def write_events(path: Path, extra_lines: list[str] = ()) -> Path:
    """The scenario as canonical JSONL, for the CLI."""
    import orjson

    lines = []
    for event in events():
        if hasattr(event, "author"):
            lines.append({"type": "post", "id": event.id, "author": event.author,
                          "created_at": event.created_at.isoformat(), "text": event.text,
                          "in_reply_to": event.in_reply_to, "mentions": list(event.mentions)})
        else:
            lines.append({"type": "dm", "id": event.id, "sender": event.sender, "recipients": list(event.recipients),
                          "created_at": event.created_at.isoformat(), "text": event.text})
    path.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n"
                     + "".join(f"{line}\n" for line in extra_lines).encode())
    return path
