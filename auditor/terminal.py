"""What the CLI prints: every line may carry data (a CSV author, an archive's account name, a zip
member's name, a policy's name), and data must never drive the terminal.

Control characters (C0 but line feed and tab, DEL, C1), which start escape sequences (CSI colours and
cursor moves, OSC titles, OSC 8 links, OSC 52 clipboard writes), and the bidi controls that reorder
what a line shows are written as visible escapes (`\\x1b`, `\\u202e`): the reader sees that they were
there, the terminal never acts on them.
"""

from __future__ import annotations

import re

import typer

_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """`text` with every character that could drive a terminal shown as its escape."""
    return _UNSAFE_RE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def echo(text: object = "", err: bool = False) -> None:
    typer.echo(safe(str(text)), err=err)
