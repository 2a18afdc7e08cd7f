"""Files shipped inside the package: the example policies, the sample data, the report templates.

In a checkout they live at the top of the repository (`policies/`,
`report_templates/`); the wheel maps them into the package, and editable
installs map them the same way, so `importlib.resources` finds them in both.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str) -> Path:
    return Path(str(resources.files(package)))


def policies_folder() -> Path:
    return _folder("auditor.policies")


def templates_folder() -> Path:
    return _folder("auditor.report_templates")


def sample_data() -> Path:
    return _folder("auditor.sample") / "demo.jsonl"
