"""No module reaches into another's private state (issue 12, items 15 and 16).

The model is pure declaration: emitters keep their own caches, and read the
machine through its public fields. A module that needs something of another
module (the RST emitter's compiled templates) uses a public function.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from emit_support import glance

import statusdoc
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.rst import emit_rst, status_anchors

PACKAGE = Path(statusdoc.__file__).parent
#: The model and the runtime mixin that reads the model's derived tables.
#: The model builds the tables; the runtime (runtime.py, and the StatusField
#: descriptor split out of it into statusfield.py) reads them on its hot paths;
#: coverage.py holds the recording versions of those hot paths (issue 15).
MACHINE_OWNERS = {"spec/model.py", "runtime.py", "statusfield.py", "coverage.py"}
MACHINE_PRIVATE = {"_cache", "_events", "_targets", "_covered"}


def _sources() -> dict[str, ast.Module]:
    return {str(p.relative_to(PACKAGE)): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(PACKAGE.rglob("*.py"))}


def test_only_the_model_and_runtime_touch_the_machines_private_tables() -> None:
    found = [
        f"{name}:{node.lineno} .{node.attr}"
        for name, tree in _sources().items() if name not in MACHINE_OWNERS
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in MACHINE_PRIVATE
    ]
    assert found == []


def test_emitters_leave_the_machine_as_they_found_it() -> None:
    machine = glance()
    before = dict(getattr(machine, "_cache", {}))
    emit_rst(machine, source_name="image-statuses.toml")
    emit_markdown(machine, source_name="image-statuses.toml")
    assert dict(getattr(machine, "_cache", {})) == before
    anchors = status_anchors(machine)
    assert anchors is status_anchors(glance())  # cached by what they depend on
    assert anchors["pending_delete"] == "image-status-pending-delete"


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent is a module, not a package
        return False


def _statusdoc_modules(tree: ast.Module) -> set[str]:
    """Local names bound to statusdoc modules by ``from statusdoc... import module``."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
        and (node.module or "").startswith("statusdoc")
        for alias in node.names
        if _is_module(f"{node.module}.{alias.name}")
    }


def _private(attr: str) -> bool:
    return attr.startswith("_") and not attr.startswith("__")


def test_no_module_reads_a_private_name_of_another() -> None:
    found = []
    for name, tree in _sources().items():
        modules = _statusdoc_modules(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in modules and _private(node.attr)):
                found.append(f"{name}:{node.lineno} {node.value.id}.{node.attr}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "getattr" and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Name) and node.args[0].id in modules
                    and isinstance(node.args[1], ast.Constant)
                    and _private(str(node.args[1].value))):
                found.append(f"{name}:{node.lineno} getattr({node.args[0].id}, ...)")
    assert found == []
