"""Imports run one way: down the layers of docs/architecture.md, and never in a circle.

The layers are read from the table between `<!-- layers -->` and `<!-- /layers -->` in
docs/architecture.md (top layer first), so the page a newcomer reads and this test cannot
disagree. Every import counts: at the top of a module, inside a function (imported late
for speed) or under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "auditor"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _layers() -> list[tuple[str, list[str]]]:
    """(layer, module prefixes), bottom layer first."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("<!-- layers -->", 1)[1].split("<!-- /layers -->", 1)[0]
    layers = []
    for row in table.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0] or set(cells[0]) <= {"-", " "} or cells[0] == "layer":
            continue
        layers.append((cells[0], re.findall(r"`(auditor[\w./]*)`", cells[1])))
    return list(reversed(layers))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(module: str, path: Path) -> set[str]:
    """The auditor modules `module` imports (a `from package import module` names the module)."""
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _layer_of(module: str, layers: list[tuple[str, list[str]]]) -> int | None:
    """The index of the layer that names the module: its file, else the most specific folder holding it."""
    best, best_length = None, -1
    for index, (_, entries) in enumerate(layers):
        for entry in entries:
            folder = entry.endswith("/")
            name = entry.rstrip("/").removesuffix(".py").replace("/", ".").removesuffix(".__init__")
            if folder and module.startswith(name + ".") and len(name) > best_length:
                best, best_length = index, len(name)
            elif module == name:
                return index
    return best


def test_the_architecture_page_lists_layers():
    layers = _layers()
    assert len(layers) >= 10, layers
    assert all(prefixes for _, prefixes in layers), layers


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_is_in_a_layer(module):
    assert _layer_of(module, _layers()) is not None, f"{module}: add it to the layers in docs/architecture.md"


def test_imports_never_run_up_a_layer():
    layers = _layers()
    upward = []
    for module, imported in GRAPH.items():
        here = _layer_of(module, layers)
        for other in sorted(imported):
            there = _layer_of(other, layers)
            if here is not None and there is not None and there > here:
                upward.append(f"{module} ({layers[here][0]}) imports {other} ({layers[there][0]})")
    assert upward == []


def test_no_module_imports_itself_through_others():
    circles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for other in sorted(GRAPH[module]):
            if state.get(other) == 1:
                circles.append(" -> ".join(path[path.index(other):] + [other]))
            elif other not in state:
                visit(other)
        path.pop()
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert circles == []


def test_the_test_sees_imports_of_every_kind():
    """A late import and a `from package import module` are arrows too (else the test proves little)."""
    assert "auditor.activity.sources.archive" in GRAPH["auditor.activity.sources"]  # inside a function
    assert "auditor.speedups" in GRAPH["auditor.text.promise_screen"]  # from auditor import speedups
