"""Loading the benchmark's peer scripts (benchmarks/peers/) as the benchmark runs them: from their folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PEERS = Path(__file__).resolve().parents[2] / "benchmarks" / "peers"


def load_peer(name: str):
    if str(PEERS) not in sys.path:  # a peer imports what lies beside it (peer_roster.py)
        sys.path.insert(0, str(PEERS))
    spec = importlib.util.spec_from_file_location(name, PEERS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
