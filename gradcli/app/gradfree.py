"""Whether a program can run without recording a graph and mean the same: check's
finite-difference reruns (and, when it prints nothing, its shown run) skip the graph
when the program's text cannot observe one.

The test is on the program's text and conservative: a name or attribute about
autograd (`grad`, `backward`, `is_leaf`, `hook`, `jacobian`, …), an in-place form
(`+=`, `x[i] = …`, `x.attr = …`, `add_`, `out=`, `inplace=`), text made from values
(f-strings, `str`, `repr`, `format`, `%` on a string) whose tensors would print
without their `grad_fn`, `is` (identity), `try` (a caught error), classes, and
reflection (`getattr`, …) each make the program record as usual. What remains sees
the same values, errors and warnings with or without a graph; the caller still
reruns with the graph on any error, so an error's text is the recorded run's.
"""

from __future__ import annotations

from gradcli.syntax import ast as A

#: Parts of names and attributes about autograd (`requires_grad`, `grad_fn`, `is_leaf`,
#: `torch.autograd.functional.jacobian`, `torch.func`, `register_hook`, …).
WORDS = ("grad", "backward", "leaf", "hook", "jac", "hess", "vjp", "jvp", "hvp", "vhp",
         "dual", "tangent", "numpy", "inference", "func", "version", "anomaly", "retain",
         "vmap")
#: Whole names that reflect on values or turn them into text.
NAMES = frozenset(("id", "getattr", "setattr", "hasattr", "delattr", "vars", "dir", "eval",
                   "exec", "globals", "locals", "str", "repr", "format", "ascii"))
#: Keywords that make an op write into a tensor.
INPLACE_KEYWORDS = frozenset(("out", "inplace"))


def records_nothing_observable(module: A.Module, *, prints: bool) -> bool:
    """Whether `module` means the same run under no_grad (see the module's docstring).
    `prints`: its prints are shown (then printing at all is observing: a tensor prints
    its grad_fn); else they are discarded and print is harmless."""
    names = NAMES | {"print"} if prints else NAMES
    for node in A.walk(module):
        kind = type(node)
        if kind is A.Name:
            if _flagged(node.id, names):
                return False
        elif kind is A.Attribute:
            if _flagged(node.attr, names):
                return False
        elif kind is A.Keyword:
            if node.name in INPLACE_KEYWORDS:
                return False
        elif kind in (A.Import, A.ImportFrom):
            if _flagged(node.module, names) or any(
                    _flagged(n.name, names) for n in getattr(node, "names", ())):
                return False
        elif kind is A.Assign or kind is A.Delete:
            if any(_writes_into(t) for t in node.targets):
                return False
        elif kind is A.For or kind is A.Comprehension:
            if _writes_into(node.target):
                return False
        elif kind is A.Compare:
            if "is" in node.ops or "is_not" in node.ops:
                return False
        elif kind is A.BinOp:
            if node.op == "remainder" and type(node.left) in (A.Constant, A.FString) and isinstance(
                    getattr(node.left, "value", ""), str):
                return False
        elif kind in (A.AugAssign, A.FString, A.Try, A.ClassDef, A.Global, A.Nonlocal):
            return False
    return True


def _flagged(name: str, names: frozenset[str]) -> bool:
    """A name about autograd, an in-place method (`add_`), reflection or text; a dotted
    module name by its parts."""
    for part in name.split("."):
        if part in names or (part.endswith("_") and not part.startswith("__")):
            return True
        low = part.lower()
        if any(w in low for w in WORDS):
            return True
    return False


def _writes_into(target: A.Expr) -> bool:
    """An assignment target that writes into an object (`x[i]`, `x.a`), not a name."""
    return any(type(n) in (A.Subscript, A.Attribute) for n in A.walk(target))
