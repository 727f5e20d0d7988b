"""The package's shape: imports flow one way (down the data flow), with no cycles; nothing
below the CLI and the server imports click, prints or exits."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PKG = Path(__file__).resolve().parents[1] / "peelgraph"

#: Each package (or base module) and its layer: a module may import only its own layer or lower ones.
LAYERS = {
    "errors": 0, "model": 0, "vocab": 0, "resources": 0,
    "text": 1,
    "extract": 2,
    "graph": 3,
    "store": 4,
    "ask": 5,
    "show": 6,
    "serve": 7,
    "cli": 8, "api": 8, "__init__": 8, "__main__": 8,
}
#: Layers whose code may talk to a terminal (click, print, sys.exit).
TERMINAL = {"cli", "__main__"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _group(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("peelgraph"):
                out.append((name, node.lineno))
                for alias in node.names:
                    out.append((f"{name}.{alias.name}", node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.startswith("peelgraph")]
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def test_imports_flow_down_the_layers() -> None:
    modules = _modules()
    wrong = []
    for mod, path in modules.items():
        if mod == "peelgraph":
            continue
        for name, line in _imports(path, mod):
            target = _resolve(name, modules)
            if target is None or target == "peelgraph" or target == mod:
                continue
            a, b = _group(mod), _group(target)
            if LAYERS[b] > LAYERS[a]:
                wrong.append(f"{path.relative_to(PKG.parent)}:{line} {mod} ({a}) imports {target} ({b})")
    assert not wrong, "imports against the data flow:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    modules = _modules()
    g = nx.DiGraph()
    for mod, path in modules.items():
        g.add_node(mod)
        for name, _ in _imports(path, mod):
            target = _resolve(name, modules)
            if target and target != mod and target != "peelgraph":
                g.add_edge(mod, target)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("mod", [m for m in _modules() if _group(m) not in TERMINAL])
def test_the_library_never_prints_or_exits(mod: str) -> None:
    path = _modules()[mod]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and
                                                    node.module else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                bad.append(f"line {node.lineno}: imports click")
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in ("print", "exit", "quit"):
                bad.append(f"line {node.lineno}: {f.id}()")
            if isinstance(f, ast.Attribute) and f.attr in ("exit", "_exit") and isinstance(f.value, ast.Name) \
                    and f.value.id in ("sys", "os"):
                bad.append(f"line {node.lineno}: {f.value.id}.{f.attr}()")
    assert not bad, f"{path.relative_to(PKG.parent)}: " + "; ".join(bad)
