"""Pydantic's validation errors told as a policy's author reads them: `file:line:col: path: message`, with
the path walked through the data as written (the rule union's tag skipped) and one message per mistake."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from auditor.errors import PolicyProblem
from auditor.policy.model import Policy
from auditor.rules import KIND_BY_TYPE
from auditor.yamlsrc import Positions


def format_path(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _data_path(loc: tuple, data: Any) -> tuple[tuple, bool]:
    """Pydantic's location as a path into the document; tags of unions (not in the data) are dropped."""
    path: list = []
    current = data
    dropped = False
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif last and isinstance(part, (str, int)) and isinstance(current, dict) and not _is_tag(part):
            path.append(part)  # a missing key: it is not in the data, but it is the point
            current = None
        else:
            dropped = True
    return tuple(path), dropped


def _is_tag(part: str | int) -> bool:
    return isinstance(part, str) and (part in KIND_BY_TYPE or "[" in part or part in {"str", "int", "float"})


def pydantic_problems(exc: ValidationError, data: dict, positions: Positions) -> list[PolicyProblem]:
    problems = []
    seen_union_paths = set()
    errors = [(error, *_data_path(error["loc"], data)) for error in exc.errors(include_url=False)]
    deeper = {path[:n] for _, path, _ in errors for n in range(len(path))}
    for error, path, dropped in errors:
        kind = error["type"]
        if dropped and kind in {"list_type", "string_type", "model_type", "dict_type"}:
            # A field that accepts two shapes gives an error per shape: when the value has one of
            # the shapes, the errors inside it are the point; otherwise say it once.
            if path in seen_union_paths or path in deeper:
                continue
            seen_union_paths.add(path)
            problems.append(problem(positions.of_value(path), path, _union_message(path, error)))
            continue
        if kind == "missing":
            parent = path[:-1]
            problems.append(problem(positions.of_value(parent), parent, f"missing required key {path[-1]!r}"))
        elif kind == "extra_forbidden":
            problems.append(problem(positions.of_key(path), path, _unknown_key(path, data)))
        elif kind == "union_tag_invalid":
            problems.append(problem(positions.of_value(path + ("type",)), path + ("type",),
                                     f"unknown rule type {error['ctx']['tag']!r}; expected one of: {_kinds()}"))
        elif kind == "union_tag_not_found":
            problems.append(problem(positions.of_value(path), path, f"missing required key 'type' (one of: {_kinds()})"))
        else:
            problems.append(problem(positions.of_value(path), path, _message(error, path)))
    return problems


def problem(where: tuple[str, int, int], path: tuple, message: str) -> PolicyProblem:
    file, line, col = where
    return PolicyProblem(file, line, col, format_path(path), message)


def _kinds() -> str:
    return ", ".join(KIND_BY_TYPE)


def _union_message(path: tuple, error: dict) -> str:
    if path == ("accounts",):
        return "expected a list of accounts or the path of a roster file"
    return _message(error, path)


def _message(error: dict, path: tuple) -> str:
    kind, message, value = error["type"], error["msg"], error.get("input")
    if kind in {"value_error", "assertion_error"}:
        return message.split(", ", 1)[1] if ", " in message else message
    if kind == "literal_error":
        return f"expected one of {error['ctx']['expected']}, got {_show(value, path)}"
    if kind == "string_pattern_mismatch":
        if path and path[-1] == "id":
            return f"expected an id of letters, digits, '-', '_' and '.', got {_show(value, path)}"
        if path and path[0] == "ignore_accounts":
            return (f"expected a handle or a pattern such as \"*_bot\" (letters, digits, '_' and * ? [ ]), "
                    f"got {_show(value, path)}")
        if path and path[-1] == "email":
            return f"expected an e-mail address like dana.reyes@acme.example, got {_show(value, path)}"
        return f"expected an X handle (letters, digits and '_'), got {_show(value, path)}"
    if kind in {"too_short", "too_long"}:
        context = error.get("ctx", {})
        bound = context.get("min_length") if kind == "too_short" else context.get("max_length")
        if bound is None:
            return message.rstrip(".")
        items = "item" if bound == 1 else "items"
        return (f"expected {'at least' if kind == 'too_short' else 'at most'} {bound} {items}, "
                f"got {context.get('actual_length', 'another number')}")
    text = message.replace("Input should be", "expected").rstrip(".")
    return f"{text}, got {_show(value, path)}" if not isinstance(value, (dict, list)) else text


def _show(value: Any, path: tuple = ()) -> str:
    # A roster is a file the policy names, and a wrong one (a credentials file, /etc/shadow) must not
    # be printed back line by line: under `accounts`, only a handle or a kind is quoted (keys only a
    # roster has), anything else by its type.
    if path[:1] == ("accounts",) and path[-1:] not in (("handle",), ("kind",)):
        return {str: "a text", int: "a number", float: "a number", bool: "true or false"}.get(type(value), "a value")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _unknown_key(path: tuple, data: dict) -> str:
    key = str(path[-1])
    model = _model_at(path[:-1], data)
    if model is None:
        return f"unknown key {key!r}"
    allowed = [name for name in model.model_fields if name != "type"]
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key {key!r}; did you mean {close[0]!r}?"
    return f"unknown key {key!r}; expected one of: {', '.join(allowed)}"


def _model_at(path: tuple, data: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at `path` (for naming the keys it allows)."""
    model: type[BaseModel] | None = Policy
    current = data
    pending: list = []  # container layers (list items, dict values) still to step through
    for part in path:
        current = current[part] if isinstance(current, (dict, list)) else None
        if pending:
            pending.pop()
            if not pending and isinstance(current, dict) and model is _RULE_MARKER:
                model = KIND_BY_TYPE.get(current.get("type"))
            continue
        if model is None or model is _RULE_MARKER or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        model, pending = _inner_model(annotation)
        if model is _RULE_MARKER and not pending:
            return None
    return model if model is not _RULE_MARKER else None


_RULE_MARKER = object()


def _inner_model(annotation: Any) -> tuple[Any, list]:
    """For `list[X]`, `dict[str, X]`, `X | None`: the model X, and the container layers around it."""
    layers: list = []
    while True:
        origin = typing.get_origin(annotation)
        if origin in (list, dict):
            layers.append(origin)
            annotation = typing.get_args(annotation)[-1]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if any(isinstance(a, type) and issubclass(a, BaseModel) for a in args):
                annotation = next(a for a in args if isinstance(a, type) and issubclass(a, BaseModel))
            elif len(args) == 1:
                annotation = args[0]
            else:
                # list[Account] | str, or the rule union: find a list of models in it
                lists = [a for a in args if typing.get_origin(a) is list]
                if lists:
                    annotation = lists[0]
                    continue
                return (_RULE_MARKER if _is_rule_union(args) else None), layers
        elif origin is typing.Annotated:
            inner = typing.get_args(annotation)[0]
            if typing.get_origin(inner) in (typing.Union, types.UnionType) and _is_rule_union(typing.get_args(inner)):
                return _RULE_MARKER, layers
            annotation = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, layers
        elif annotation in KIND_BY_TYPE.values():
            return annotation, layers
        else:
            return None, layers


def _is_rule_union(args) -> bool:
    return bool(args) and all(a in KIND_BY_TYPE.values() for a in args)
