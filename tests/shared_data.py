"""The real third-party data in shared/data, beside the repository (never copied into it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        # CI always has shared/ beside the clone: there a missing file is a failure, never a skip.
        if os.environ.get("CI"):
            pytest.fail(f"shared test data not found: {path}")
        pytest.skip(f"shared test data not available: {path}")
    return path
