"""Loading the benchmark's scripts (benchmarks/, benchmarks/peers/) as the benchmark runs them: from their folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
PEERS = BENCHMARKS / "peers"


def load_script(path: Path, name: str | None = None):
    """The script at ``path`` as a module; what lies beside it is importable, as when it runs."""
    if str(path.parent) not in sys.path:  # a script imports its neighbours (run.py: sla.py; a peer: peer_roster.py)
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_peer(name: str):
    return load_script(PEERS / f"{name}.py", name)
