"""The shape of the package: modules of one job, and imports that keep the layers.

The layers themselves (and the absence of cycles) are import-linter's contracts
in pyproject.toml, which ``make test`` runs; what it cannot see is checked here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "koembed"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 100


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


NAMES = {_name(path) for path in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_over_450_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines; split it by job"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_function_is_over_100_lines(path):
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(_tree(path))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_name(path)}: {', '.join(long)}; split into named steps"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_private_name_of_another_module_is_imported(path):
    """``from koembed.x import _helper`` couples to what ``x`` keeps to itself
    (a private submodule of one's own package, such as ``trainers._gensim``
    for ``trainers.word2vec``, is the package's own business and allowed)."""
    importer = _name(path)
    wrong = []
    for node in ast.walk(_tree(path)):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("koembed"):
            continue
        for alias in node.names:
            name = alias.name
            if not name.startswith("_") or name.startswith("__"):
                continue
            submodule = f"{node.module}.{name}"
            own_package = importer.rsplit(".", 1)[0] if "." in importer else importer
            if submodule in NAMES and node.module in (own_package, importer):
                continue
            wrong.append(f"{name} from {node.module}")
    assert not wrong, f"{importer} imports private names: {', '.join(wrong)}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_nothing_inside_imports_the_package_root(path):
    """``import koembed`` inside the package would import every layer at once
    (the root re-exports the public API): import the module that holds the name."""
    if path == PACKAGE / "__init__.py":
        return
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module == "koembed":
            modules = [f"koembed.{alias.name}" for alias in node.names]
            assert all(m in NAMES for m in modules), f"{_name(path)}: from koembed import ..."
        if isinstance(node, ast.Import):
            assert all(alias.name != "koembed" for alias in node.names), _name(path)
