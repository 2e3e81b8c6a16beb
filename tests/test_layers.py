"""The layer plan (COMMON.md, README "Development"), checked on every import in gradcli/.

    source → syntax (AST) → interp (closures) → ad (tape) → results → render → cli

Every `import x` and `from x import y` of every module is read with `ast` -- at module
level, inside functions (a function-local import is still an arrow), under
`if TYPE_CHECKING:`, relative ones resolved, `importlib.import_module("...")` with a
literal name too -- and each arrow is checked against ALLOWED below. A second check
builds the graph of module-level imports (TYPE_CHECKING ones included: a type-only
circle is still a circle in the design) and reports every import cycle.

The table is the whole rule: to allow an arrow, add it to ALLOWED with a reason; a new
top-level module must be given a layer in LAYER_OF.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gradcli"

# -- the plan, as data --------------------------------------------------------------------

#: Module (or package) name → layer; the longest matching prefix wins. The package root
#: `gradcli` is matched exactly only, so an unknown top-level module has no layer.
LAYER_OF: Mapping[str, str] = {
    "gradcli": "package",
    "gradcli.errors": "neutral",
    "gradcli.source": "neutral",
    "gradcli.limits": "neutral",
    "gradcli.suggest": "neutral",  # did-you-mean, shared by syntax, interp and the face
    "gradcli.records": "neutral",  # dataclasses' behaviour without its start-up cost
    "gradcli.ad": "ad",
    "gradcli.syntax": "syntax",
    "gradcli.interp": "interp",
    "gradcli.results": "results",
    "gradcli.render": "render",
    "gradcli.app": "app",
    "gradcli.cli": "cli",
    "gradcli.cli_errors": "cli",  # errors worded with flags, source lines and call chains
    "gradcli.cli_batch": "cli",  # --batch and --jobs
    "gradcli.cli_options": "cli",  # the options, each defined once; the help layout
    "gradcli.__main__": "cli",
}

#: Layer → what it may import: layers, or single modules (a name with a dot).
ALLOWED: Mapping[str, frozenset[str]] = {
    "package": frozenset({"neutral"}),
    "neutral": frozenset({"neutral"}),
    "ad": frozenset({"ad", "neutral"}),
    "syntax": frozenset({"syntax", "neutral"}),
    "interp": frozenset({"interp", "syntax", "ad", "neutral"}),
    "results": frozenset({"results", "ad", "neutral"}),
    # The PyTorch-style tensor printing lives in the core; nothing else of it.
    "render": frozenset({"render", "results", "neutral", "gradcli.ad.tensor_str"}),
    "app": frozenset({"app", "interp", "syntax", "ad", "results", "render", "neutral",
                      "package"}),
    "cli": frozenset({"cli", "app", "interp", "syntax", "ad", "results", "render", "neutral",
                      "package"}),
}

#: Third-party packages a layer must not import: the terminal belongs to render and cli.
FORBIDDEN_EXTERNAL: Mapping[str, frozenset[str]] = {
    layer: frozenset({"rich", "click"})
    for layer in ("package", "neutral", "ad", "syntax", "interp", "results", "app")
} | {"render": frozenset({"click"})}

#: How a failure names the importing layer.
WHO: Mapping[str, str] = {
    "package": "the package root", "neutral": "a layer-neutral module", "ad": "the core",
    "syntax": "the syntax layer", "interp": "the interpreter", "results": "results",
    "render": "render", "app": "the app", "cli": "the cli",
}


# -- reading imports ------------------------------------------------------------------------

@dataclass(frozen=True)
class Import:
    path: str    # relative to the repository root, e.g. "gradcli/ad/tensor.py"
    line: int
    target: str  # the module imported, resolved: "gradcli.render.torch_repr", "rich.text"
    scope: str   # "module", "type-checking" or "function"

    @property
    def at_import_time(self) -> bool:
        return self.scope != "function"


def module_name(path: str) -> str:
    """'gradcli/ad/tensor.py' → 'gradcli.ad.tensor'; 'gradcli/ad/__init__.py' → 'gradcli.ad'."""
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _dynamic_import(node: ast.Call) -> str | None:
    """The literal name in `importlib.import_module("x")` / `import_module("x")` /
    `__import__("x")`, else None."""
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    if name in ("import_module", "__import__") and node.args:
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
    return None


def read_imports(path: str, text: str, known: Iterable[str] = ()) -> list[Import]:
    """Every import in one module's source. `known` are the package's module names: for
    `from p import x`, the target is `p.x` when that is a module, else `p`."""
    known = set(known)
    me = module_name(path)
    package = me if path.endswith("__init__.py") else me.rpartition(".")[0]
    found: list[Import] = []

    def resolve_from(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = package.split(".")
        if node.level > 1:
            base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, *([node.module] if node.module else [])])

    def visit(node: ast.AST, scope: str) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(path, node.lineno, alias.name, scope))
        elif isinstance(node, ast.ImportFrom):
            base = resolve_from(node)
            targets = {f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                       for a in node.names}
            for target in sorted(targets):
                found.append(Import(path, node.lineno, target, scope))
        elif isinstance(node, ast.Call) and (name := _dynamic_import(node)):
            found.append(Import(path, node.lineno, name, scope))
        if isinstance(node, ast.If) and _is_type_checking(node.test) and scope == "module":
            for child in node.body:
                visit(child, "type-checking")
            for child in node.orelse:
                visit(child, scope)
            visit(node.test, scope)
            return
        inner = "function" if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) else scope
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(text, filename=path), "module")
    return found


def package_sources(root: Path = ROOT) -> dict[str, str]:
    """'gradcli/x/y.py' → its text, for every module of the package."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((root / "gradcli").rglob("*.py"))}


def all_imports(sources: Mapping[str, str]) -> list[Import]:
    known = {module_name(p) for p in sources}
    return [imp for path, text in sources.items() for imp in read_imports(path, text, known)]


# -- the checks -----------------------------------------------------------------------------

def layer_of(module: str) -> str | None:
    if module == "gradcli":
        return LAYER_OF["gradcli"]
    best = max((prefix for prefix in LAYER_OF
                if prefix != "gradcli" and (module == prefix or module.startswith(prefix + "."))),
               key=len, default=None)
    return LAYER_OF[best] if best else None


def _allowed(source_layer: str, target: str, target_layer: str) -> bool:
    allowed = ALLOWED[source_layer]
    return target_layer in allowed or any(
        "." in entry and (target == entry or target.startswith(entry + "."))
        for entry in allowed)


def violations(imports: Iterable[Import]) -> list[str]:
    """One message per import against the plan, e.g.
    'gradcli/ad/tensor.py:275 imports gradcli.render.torch_repr: the core must not import
    render'."""
    problems: list[str] = []
    unlayered: set[str] = set()
    for imp in imports:
        me = module_name(imp.path)
        mine = layer_of(me)
        if mine is None:
            unlayered.add(imp.path)
            continue
        where = f"{imp.path}:{imp.line} imports {imp.target}"
        if imp.scope != "module":
            where += f" ({'function-local' if imp.scope == 'function' else 'TYPE_CHECKING'})"
        top = imp.target.split(".")[0]
        if top != "gradcli":
            if top in FORBIDDEN_EXTERNAL.get(mine, ()):
                problems.append(f"{where}: {WHO[mine]} must not import {top}")
            continue
        theirs = layer_of(imp.target)
        if theirs is None:
            problems.append(f"{where}: {imp.target} has no layer (add it to LAYER_OF in "
                            "tests/test_layers.py)")
        elif not _allowed(mine, imp.target, theirs):
            only = sorted(e for e in ALLOWED[mine] if "." in e and layer_of(e) == theirs)
            extra = f" (only {', '.join(only)})" if only else ""
            problems.append(f"{where}: {WHO[mine]} must not import {theirs}{extra}")
    problems.extend(f"{p}: not in the layer plan (add its module to LAYER_OF in "
                    "tests/test_layers.py)" for p in sorted(unlayered))
    return problems


def import_graph(imports: Iterable[Import]) -> dict[str, set[str]]:
    """Module → the gradcli modules it imports at import time (functions excluded)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        me = module_name(imp.path)
        graph.setdefault(me, set())
        if imp.at_import_time and imp.target.split(".")[0] == "gradcli" and imp.target != me:
            graph[me].add(imp.target)
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative),
    each sorted, the list sorted: every import cycle is inside one of them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    nodes = set(graph) | {t for ts in graph.values() for t in ts}

    def neighbours(v: str) -> Iterator[str]:
        yield from sorted(graph.get(v, ()))

    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, neighbours(root))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, neighbours(w)))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def describe_cycles(graph: Mapping[str, set[str]], imports: Iterable[Import]) -> list[str]:
    """Each cycle as its modules and the import lines that close it."""
    lines: dict[tuple[str, str], list[str]] = {}
    for imp in imports:
        if imp.at_import_time:
            lines.setdefault((module_name(imp.path), imp.target), []).append(
                f"{imp.path}:{imp.line}" + (" (TYPE_CHECKING)" if imp.scope != "module" else ""))
    out = []
    for component in cycles(graph):
        members = set(component)
        arrows = [f"    {a} → {b}: {', '.join(lines[a, b])}"
                  for a in component for b in sorted(graph.get(a, ())) if b in members]
        out.append("import cycle among " + ", ".join(component) + "\n" + "\n".join(arrows))
    return out


# -- the real tree ------------------------------------------------------------------------

# The arrows already follow the plan on this branch; the cycles (ops ↔ rules ↔ tensor,
# compiler ↔ runtime) are being removed by the core and interpreter refactors.


@pytest.fixture(scope="module")
def real_sources() -> dict[str, str]:
    return package_sources()


@pytest.fixture(scope="module")
def real_imports(real_sources: dict[str, str]) -> list[Import]:
    return all_imports(real_sources)


def test_every_module_parses_and_imports_are_found(real_sources: dict[str, str],
                                                   real_imports: list[Import]) -> None:
    assert len(real_sources) >= 20
    assert any(i.target == "numpy" for i in real_imports)
    assert any(i.scope == "function" for i in real_imports)


def test_no_import_goes_against_the_layer_plan(real_imports: list[Import]) -> None:
    problems = violations(real_imports)
    assert not problems, f"{len(problems)} imports against the layer plan:\n" + "\n".join(
        problems)


def test_no_import_cycles(real_imports: list[Import]) -> None:
    found = describe_cycles(import_graph(real_imports), real_imports)
    assert not found, "\n".join(found)


# -- the checker itself, on synthetic modules (must pass for real) -------------------------

#: Empty modules that exist in every synthetic tree, so `from gradcli.ad import tensor`
#: resolves to the submodule as it does in the real one.
KNOWN: Mapping[str, str] = {
    f"gradcli/{m}.py": "" for m in ("app", "cli", "ad/tensor", "ad/tensor_str",
                                     "interp/runtime", "syntax/ast", "render/table")}


def check(files: Mapping[str, str]) -> list[str]:
    return violations(all_imports({**KNOWN, **files}))


def test_a_function_local_import_of_render_in_the_core_is_reported() -> None:
    problems = check({"gradcli/ad/fake.py": "def f():\n    from gradcli.render import x\n"})
    assert problems == ["gradcli/ad/fake.py:2 imports gradcli.render (function-local): "
                        "the core must not import render"]


def test_the_message_names_the_submodule_and_the_line() -> None:
    files = {"gradcli/ad/tensor.py": "import numpy\n\n\nfrom gradcli.render import torch_repr\n",
             "gradcli/render/torch_repr.py": ""}
    assert check(files) == ["gradcli/ad/tensor.py:4 imports gradcli.render.torch_repr: "
                            "the core must not import render"]


@pytest.mark.parametrize("path,source,expected", [
    # relative imports, resolved against the importing package
    ("gradcli/ad/fake.py", "from ..render import x\n",
     "gradcli/ad/fake.py:1 imports gradcli.render: the core must not import render"),
    ("gradcli/ad/__init__.py", "from ..interp import x\n",
     "gradcli/ad/__init__.py:1 imports gradcli.interp: the core must not import interp"),
    ("gradcli/ad/fake.py", "from .. import app\n",
     "gradcli/ad/fake.py:1 imports gradcli.app: the core must not import app"),
    # TYPE_CHECKING, plain `import`, methods, lambdas, importlib
    ("gradcli/ad/fake.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
     "    from gradcli.syntax.ast import Node\n",
     "gradcli/ad/fake.py:3 imports gradcli.syntax.ast (TYPE_CHECKING): the core must not "
     "import syntax"),
    ("gradcli/syntax/fake.py", "import typing\nif typing.TYPE_CHECKING:\n"
     "    import gradcli.interp.runtime\n",
     "gradcli/syntax/fake.py:3 imports gradcli.interp.runtime (TYPE_CHECKING): the syntax "
     "layer must not import interp"),
    ("gradcli/interp/fake.py", "class C:\n    def m(self):\n        import gradcli.cli\n",
     "gradcli/interp/fake.py:3 imports gradcli.cli (function-local): the interpreter must "
     "not import cli"),
    ("gradcli/interp/fake.py", "import importlib\nf = lambda: importlib.import_module("
     "'gradcli.render.table')\n",
     "gradcli/interp/fake.py:2 imports gradcli.render.table (function-local): the "
     "interpreter must not import render"),
    # third-party terminal libraries
    ("gradcli/interp/fake.py", "from rich.text import Text\n",
     "gradcli/interp/fake.py:1 imports rich.text: the interpreter must not import rich"),
    ("gradcli/app.py", "def f():\n    import click\n",
     "gradcli/app.py:2 imports click (function-local): the app must not import click"),
    # render: results and the core's tensor printing only
    ("gradcli/render/fake.py", "from gradcli.ad.tensor import Tensor\n",
     "gradcli/render/fake.py:1 imports gradcli.ad.tensor: render must not import ad "
     "(only gradcli.ad.tensor_str)"),
    ("gradcli/render/fake.py", "from gradcli.app import AppOptions\n",
     "gradcli/render/fake.py:1 imports gradcli.app: render must not import app"),
    ("gradcli/render/fake.py", "from gradcli.syntax import parse\n",
     "gradcli/render/fake.py:1 imports gradcli.syntax: render must not import syntax"),
    ("gradcli/results.py", "from gradcli.render import x\n",
     "gradcli/results.py:1 imports gradcli.render: results must not import render"),
    ("gradcli/app.py", "from gradcli.cli import main\n",
     "gradcli/app.py:1 imports gradcli.cli: the app must not import cli"),
    ("gradcli/errors.py", "from gradcli.ad.tensor import Tensor\n",
     "gradcli/errors.py:1 imports gradcli.ad.tensor: a layer-neutral module must not "
     "import ad"),
    ("gradcli/suggest.py", "from gradcli.syntax import x\n",
     "gradcli/suggest.py:1 imports gradcli.syntax: a layer-neutral module must not "
     "import syntax"),
    ("gradcli/ad/fake.py", "from gradcli.nowhere import x\n",
     "gradcli/ad/fake.py:1 imports gradcli.nowhere: gradcli.nowhere has no layer (add it to "
     "LAYER_OF in tests/test_layers.py)"),
    ("gradcli/newthing.py", "import numpy\n",
     "gradcli/newthing.py: not in the layer plan (add its module to LAYER_OF in "
     "tests/test_layers.py)"),
])
def test_arrows_against_the_plan_are_reported(path: str, source: str, expected: str) -> None:
    assert check({path: source}) == [expected]


@pytest.mark.parametrize("path,source", [
    ("gradcli/ad/fake.py", "import numpy as np\nfrom gradcli.errors import GdError\n"
     "from gradcli.limits import Limits\nfrom gradcli.source import Span\n"
     "from . import tensor\nfrom .tensor import Tensor\n"),
    ("gradcli/syntax/fake.py", "from gradcli.suggest import did_you_mean\nimport lark\n"
     "from .ast import Node\n"),
    ("gradcli/interp/fake.py", "from gradcli.ad import Tensor\nfrom gradcli.syntax import "
     "ast\nfrom gradcli.suggest import did_you_mean\nfrom . import runtime\n"),
    ("gradcli/render/fake.py", "from gradcli.ad.tensor_str import format_tensor\n"
     "from gradcli.ad import tensor_str\nfrom gradcli.results import GraphResult\n"
     "from rich.table import Table\n"),
    ("gradcli/results.py", "import numpy as np\nfrom gradcli.errors import GdError\n"),
    ("gradcli/app.py", "from gradcli.render import render\nfrom gradcli.interp import x\n"
     "from gradcli.results import y\nfrom gradcli.ad.session import Session\n"),
    ("gradcli/cli.py", "import click\nimport rich\nfrom gradcli.app import run\n"
     "from gradcli.render.console import c\nfrom gradcli import __version__\n"),
    ("gradcli/__main__.py", "from gradcli.cli import entry\n"),
    ("gradcli/errors.py", "from gradcli.source import Span\nfrom gradcli.limits import L\n"),
])
def test_arrows_along_the_plan_pass(path: str, source: str) -> None:
    assert check({path: source}) == []


def test_cycles_are_found_with_the_lines_that_close_them() -> None:
    files = {
        "gradcli/ad/ops.py": "from gradcli.ad import rules\n",
        "gradcli/ad/rules.py": "from gradcli.ad.tensor import Tensor\n",
        "gradcli/ad/tensor.py": "def f():\n    from gradcli.ad import ops\n",
        "gradcli/interp/compiler.py": "from gradcli.interp.runtime import Runtime\n",
        "gradcli/interp/runtime.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                     "    from gradcli.interp.compiler import Program\n",
    }
    imports = all_imports(files)
    # tensor → ops is function-local: no cycle there; the type-only one counts.
    assert cycles(import_graph(imports)) == [
        ["gradcli.interp.compiler", "gradcli.interp.runtime"]]
    files["gradcli/ad/tensor.py"] = "from gradcli.ad import ops\n"
    imports = all_imports(files)
    graph = import_graph(imports)
    assert cycles(graph) == [["gradcli.ad.ops", "gradcli.ad.rules", "gradcli.ad.tensor"],
                             ["gradcli.interp.compiler", "gradcli.interp.runtime"]]
    text = describe_cycles(graph, imports)
    assert "    gradcli.interp.runtime → gradcli.interp.compiler: " \
           "gradcli/interp/runtime.py:3 (TYPE_CHECKING)" in text[1]
    assert "    gradcli.ad.tensor → gradcli.ad.ops: gradcli/ad/tensor.py:1" in text[0]


def test_self_loops_and_acyclic_graphs_have_no_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}) == []
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"c"}}) == [["a", "b"]]
