"""The policy format described for machines (JSON Schema) and for people (`auditor rules`), both derived from the models."""

from __future__ import annotations

import json
import types
import typing
from datetime import timedelta

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from auditor.time.durations import format_duration
from auditor.policy.model import Policy
from auditor.types import is_share
from auditor.rules import RULE_KINDS
from auditor.rules.base import RuleBase, kind_name


def policy_schema() -> dict:
    schema = Policy.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Social media policy (auditor)"
    return schema


def policy_schema_json() -> str:
    return json.dumps(policy_schema(), indent=2, sort_keys=True)


def _models_in(annotation) -> list[type[BaseModel]]:
    return [a for a in typing.get_args(annotation) or (annotation,) if isinstance(a, type) and issubclass(a, BaseModel)]


def _type_text(annotation, metadata: list) -> str:
    """An option's type as HR writes it: `mention | reply | dm`, `list of ...`, `duration`, `share`."""
    if is_share(metadata):
        return "share (30% or 0.3)"
    if annotation is timedelta:
        return "duration (4h, 90m, PT4H)"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return " | ".join(str(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        parts = [_type_text(a, []) for a in args if a is not type(None)]
        return " | ".join(parts)
    if origin is list:
        return f"list of {_type_text(args[0], [])}"
    if origin is typing.Annotated:
        return _type_text(args[0], list(annotation.__metadata__))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "{" + ", ".join(annotation.model_fields) + "}"
    return {str: "text", bool: "true | false", int: "number", float: "number"}.get(annotation, str(annotation))


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if value is None:
        return "optional"
    if isinstance(value, bool):
        return f"default {str(value).lower()}"
    if is_share(field.metadata):
        return f"default {value * 100:g}%"
    if isinstance(value, timedelta):
        return f"default {format_duration(value)}"
    if isinstance(value, list):
        return f"default [{', '.join(map(str, value))}]"
    return f"default {value}"


def _option_lines(model: type[BaseModel], skip: set[str], indent: str) -> list[str]:
    lines = []
    for option, field in model.model_fields.items():
        if option in skip:
            continue
        lines.append(f"{indent}{option}: {_type_text(field.annotation, field.metadata)}; {_default(field)}")
        # Nested options (tone's checks, follow_through's promises) are listed under their key.
        for nested in _models_in(field.annotation):
            lines.extend(_option_lines(nested, set(), indent + "    "))
    return lines


def describe_rule_kinds() -> str:
    common = set(RuleBase.model_fields)
    blocks = ["Every rule has: id (unique), type, severity (info|low|medium|high|critical), "
              "description, applies_to {teams, kinds, accounts}, target (default 100%), enabled.", ""]
    for kind in RULE_KINDS:
        name = kind_name(kind)
        blocks.append(f"{name}: {kind.meaning}")
        blocks.extend(_option_lines(kind, common | {"type"}, "    "))
        blocks.append("")
    return "\n".join(blocks).rstrip()
