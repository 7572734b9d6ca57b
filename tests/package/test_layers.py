"""Issue 9: no import cycle anywhere in kompass/ (the floors themselves are import-linter's)."""

from __future__ import annotations

import grimp


def cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    modules = sorted(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) & set(modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_in_kompass() -> None:
    assert cycles(grimp.build_graph("kompass")) == []


def test_the_check_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    assert cycles(graph) == [{"a.x", "a.y"}]
