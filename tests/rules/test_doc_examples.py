"""Every rule kind's docstring carries a YAML example; each one is a valid rule inside a minimal policy."""

from __future__ import annotations

import re
import sys

import pytest
from ruamel.yaml import YAML

from auditor.rules import KIND_BY_TYPE, RuleBase
from tests.factories import policy

CALENDARS = {"support-hours": {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": "09:00-17:00"}}
_EXAMPLE = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("name", sorted(KIND_BY_TYPE))
def test_the_docstring_example_validates(tmp_path, name):
    kind = KIND_BY_TYPE[name]
    examples = _EXAMPLE.findall(sys.modules[kind.__module__].__doc__ or "")
    assert examples, f"{kind.__module__} has no ```yaml example in its docstring"
    for example in examples:
        [rule] = YAML(typ="safe").load(example)
        assert rule["type"] == name
        [parsed] = policy(tmp_path, [rule], calendars=CALENDARS).policy.rules
        assert isinstance(parsed, kind)
        # The example shows every option of its kind, so it doubles as the kind's reference.
        assert set(kind.model_fields) - set(RuleBase.model_fields) <= set(rule)
