"""The floor plan stays acyclic: no import cycle between the modules of the Python package, nor
between the top-level modules of the Rust engine (``src/NAME.rs`` or ``src/NAME/``).

A cycle is a set of modules that all reach each other through their imports. The Python graph
has an edge A -> B for every relative import in A (module level, inside functions and under
``TYPE_CHECKING`` alike): ``from .B import x`` and ``from . import B`` when B is a module of the
package; ``from . import name`` of anything else imports the package's ``__init__``. The Rust
graph has an edge A -> B for every ``crate::B`` path in the files of A (comments left out; the
pyo3 layer ``src/python`` and the tests inside the files included), with ``use crate::{B, C}``
groups read as paths to each of their members. (``python3 ../shared/tools/module_cycles.py``
runs the same check from the command line.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Dict, List, Set

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "python" / "afweging"
SRC = ROOT / "src"

Graph = Dict[str, Set[str]]


def cycles(graph: Graph) -> List[List[str]]:
    """The strongly connected sets of more than one module: modules that reach each other.
    Reachability by breadth-first search from every module (the graphs have a few dozen nodes)."""
    nodes = set(graph) | {b for targets in graph.values() for b in targets}
    reach: Dict[str, Set[str]] = {}
    for start in nodes:
        seen: Set[str] = set()
        frontier = [start]
        while frontier:
            nxt = []
            for node in frontier:
                for target in graph.get(node, ()):
                    if target not in seen:
                        seen.add(target)
                        nxt.append(target)
            frontier = nxt
        reach[start] = seen
    found: List[List[str]] = []
    placed: Set[str] = set()
    for node in sorted(nodes):
        if node in placed:
            continue
        group = sorted({node} | {other for other in reach[node] if node in reach[other]})
        placed.update(group)
        if len(group) > 1:
            found.append(group)
    return found


def python_graph(package: Path) -> Graph:
    modules = {p.name.split(".")[0] for p in package.iterdir() if p.suffix in (".py", ".pyi", ".so", ".pyd")}
    graph: Graph = {}
    for path in sorted(package.glob("*.py")):
        me = path.stem
        targets = graph.setdefault(me, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ImportFrom) or node.level != 1:
                continue
            if node.module is not None:
                targets.add(node.module.split(".")[0])
            else:
                targets.update(a.name if a.name in modules else "__init__" for a in node.names)
        targets.discard(me)
    return graph


_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_PATH = re.compile(r"\bcrate::(\w+)")
_GROUP = re.compile(r"\bcrate::\{")


def _group_members(text: str, start: int) -> Set[str]:
    """The first names of the members of the ``{...}`` group that opens at ``start``."""
    depth, names, expect = 0, set(), True
    for token in re.finditer(r"[{},]|\w+|::|[^\s\w{},]", text[start:]):
        t = token.group()
        if t == "{":
            depth += 1
            expect = depth == 1
        elif t == "}":
            depth -= 1
            if depth == 0:
                break
        elif t == ",":
            expect = depth == 1
        elif depth == 1 and expect and re.fullmatch(r"\w+", t):
            names.add(t)
            expect = False
    return names


def rust_graph(src: Path) -> Graph:
    tops = {p.stem for p in src.glob("*.rs")} | {p.name for p in src.iterdir() if p.is_dir()}
    tops -= {"lib", "main"}
    graph: Graph = {top: set() for top in tops}
    for path in sorted(src.rglob("*.rs")):
        top = path.relative_to(src).parts[0].removesuffix(".rs")
        if top not in tops:
            continue
        text = _COMMENTS.sub("", path.read_text(encoding="utf-8"))
        used = set(_PATH.findall(text))
        for group in _GROUP.finditer(text):
            used |= _group_members(text, group.end() - 1)
        graph[top] |= (used & tops) - {top}
    return graph


def _report(cycles_found: List[List[str]]) -> str:
    return "; ".join(" <-> ".join(c) for c in cycles_found)


def test_the_graphs_see_the_imports():
    """The parsers find what is there (so an empty result means no cycle, not no edges)."""
    py = python_graph(PACKAGE)
    assert {"run", "plans", "_inputs"} <= py["model"]
    assert "decision" in py["assess"] and "_core" in py["__init__"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    text = "use crate::{decision::{tree, mcda}, error::Error as E};\n// crate::python\nfn f() { crate::run::go() }"
    assert _group_members(text, text.index("{")) == {"decision", "error"}
    if SRC.is_dir():
        rs = rust_graph(SRC)
        assert "error" in rs["decision"] and "python" in rs


def test_python_package_has_no_import_cycle():
    found = cycles(python_graph(PACKAGE))
    assert not found, f"import cycle between modules of python/afweging: {_report(found)}"


@pytest.mark.skipif(not SRC.is_dir(), reason="needs the Rust sources (a source checkout)")
def test_engine_top_level_modules_have_no_import_cycle():
    found = cycles(rust_graph(SRC))
    assert not found, f"import cycle between top-level modules of src/: {_report(found)}"
