"""The roster's handles, as the peers read them (benchmarks/data/roster.yaml, or a policy listing its accounts)."""

from __future__ import annotations


def roster_handles(path: str) -> list[str]:
    from ruamel.yaml import YAML

    with open(path, encoding="utf-8") as f:
        data = YAML(typ="safe").load(f)
    return sorted({account["handle"].lower() for account in data["accounts"]})
