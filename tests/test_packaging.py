"""The wheel carries every subpackage, the report templates and the example policies."""

from __future__ import annotations

import tomllib
from pathlib import Path

from auditor.bundled import policies_folder, sample_data, templates_folder

ROOT = Path(__file__).parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "auditor").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_bundled_files_are_found_through_the_package():
    assert (policies_folder() / "example.yaml").is_file()
    assert sample_data().is_file()
    assert templates_folder().is_dir()
