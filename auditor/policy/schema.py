"""The policy format described for machines (JSON Schema) and for people (`auditor rules`), both derived from the models."""

from __future__ import annotations

import json

from pydantic.fields import FieldInfo

from auditor.policy.model import Policy
from auditor.rules import RULE_KINDS
from auditor.rules.base import RuleBase, kind_name


def policy_schema() -> dict:
    schema = Policy.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Social media policy (auditor)"
    return schema


def policy_schema_json() -> str:
    return json.dumps(policy_schema(), indent=2, sort_keys=True)


def _type_text(annotation) -> str:
    text = str(annotation) if not isinstance(annotation, type) else annotation.__name__
    for noise in ("typing.", "auditor.policy.types.", "auditor.rules.", "datetime."):
        text = text.replace(noise, "")
    text = text.replace("NoneType", "None")
    if "timedelta" in text:
        return "duration (4h, 90m, PT4H)"
    return text


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return f"default {field.default_factory()!r}"
    return f"default {field.default!r}"


def describe_rule_kinds() -> str:
    common = set(RuleBase.model_fields)
    blocks = ["Every rule has: id (unique), type, severity (info|low|medium|high|critical), "
              "description, applies_to {teams, kinds, accounts}, target (default 100%), enabled.", ""]
    for kind in RULE_KINDS:
        name = kind_name(kind)
        blocks.append(f"{name}: {kind.meaning}")
        for option, field in kind.model_fields.items():
            if option in common or option == "type":
                continue
            blocks.append(f"    {option}: {_type_text(field.annotation)}; {_default(field)}")
        blocks.append("")
    return "\n".join(blocks).rstrip()
