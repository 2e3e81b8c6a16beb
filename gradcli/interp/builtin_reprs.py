"""What `print(torch.sin)`, `print(F.relu)`, `print(math.sqrt)` show: each built-in's repr
as PyTorch 2.13 on CPython 3.11 gives it (builtin_reprs.txt, generated from the real
objects and checked against them by tests/test_r17_py.py).

PyTorch's functions are of several kinds, and each prints its own way: ATen's
functions are methods of one hidden type object (`<built-in method sin of type object
at 0x…>`), torch.nn.functional's are mostly Python functions (`<function relu at
0x…>`), torch.linalg's are C functions under ATen's names (`<built-in function
linalg_norm>`), random's are bound methods of its hidden Random instance. A line of the
table is `spelling KIND [TEXT]`:

    M  <built-in method TEXT of type object at 0x…>
    D  <method 'LAST' of 'TEXT' objects>  (a type's method: torch.Tensor.add)
    F  <function TEXT at 0x…>
    B  <built-in function TEXT>
    =  TEXT as written (its `0x…`, if any, replaced by an address)

TEXT defaults to the spelling's last part. The table lists only the spellings whose
repr is not their module's usual kind (DEFAULTS: torch.X is ATen's, torch.linalg.X is
`linalg_X`, math's are C functions, a module written in Python has functions). The
address is gd's run-deterministic one (ad/identity): the built-in's own, or, for a
method (`… of type object at 0x…`), the one object its owner stands for, so torch.sin
and torch.cos print the same owner as PyTorch's do. Python's own built-ins (print, len:
no dot) are values.Builtin's.
"""

from __future__ import annotations

import os
from functools import cache

from gradcli.ad.identity import IDENTITIES

_HOLE = "0x…"


class _Owner:
    """The object a family of built-in methods is bound to (torch's hidden type object,
    random's Random instance), standing in for it in addresses."""

    __slots__ = ("what",)

    def __init__(self, what: str) -> None:
        self.what = what


_OWNERS: dict[str, _Owner] = {}

# The usual kind of a module's built-ins (prefix, kind, TEXT or the text before the last
# part); the first prefix that matches wins, and torch.X (no further dot) is ATen's.
DEFAULTS = (("torch.nn.functional.", "F", ""), ("torch.linalg.", "B", "linalg_"),
            ("torch.fft.", "B", "fft_"), ("torch.special.", "B", "special_"),
            ("torch.Tensor.", "D", "torch._C.TensorBase"),
            *((f"{m}.", "B", "") for m in ("math", "cmath", "operator", "time", "sys",
                                           "unicodedata", "pickle", "bisect")))
# The prefixes of spellings not in a module: a type's methods (torch.Tensor.add).
_TYPES = frozenset(("torch.Tensor",))


def default(name: str) -> tuple[str, str]:
    """The (kind, text) of a spelling the table lacks."""
    tail = name.rpartition(".")[2]
    for prefix, kind, text in DEFAULTS:
        if name.startswith(prefix):
            return kind, (text + tail if kind == "B" else text)
    if name.startswith("torch.") and name.count(".") == 1:
        return "M", ""
    return "F", ""


@cache
def _table() -> dict[str, tuple[str, str]]:
    rows: dict[str, tuple[str, str]] = {}
    # (os.path, not pathlib: pathlib with urllib.parse is ~1 ms of a start nothing else needs)
    with open(os.path.join(os.path.dirname(__file__), "builtin_reprs.txt"), encoding="utf-8") as f:
        text = f.read()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, rest = line.partition(" ")
        kind, _, arg = rest.partition(" ")
        rows[name] = (kind, arg)
    return rows


def address(owner: str | None, obj: object) -> str:
    """The run's address of obj, or (owner given) of the one object the owner's text
    (`type object`) stands for."""
    if owner is not None:
        obj = _OWNERS.setdefault(owner, _Owner(owner))
    return f"{IDENTITIES.address(obj):#x}"


def method_repr(name: str, owner: str, obj: object, class_level: bool = False) -> str:
    """Python's repr of a type's method read from the type (`str.upper`: <method 'upper'
    of 'str' objects>), or of a class-level one (`dict.fromkeys`: a built-in method of
    the type object)."""
    if class_level:
        return f"<built-in method {name} of type object at {address(f'type {owner}', obj)}>"
    return f"<method '{name}' of '{owner}' objects>"


def _known(prefix: str) -> bool:
    from gradcli.interp.builtins import registry

    return prefix in _TYPES or prefix in registry().modules


def _row(name: str) -> tuple[str, str] | None:
    row = _table().get(name)
    if row is None:
        prefix = name.rpartition(".")[0]
        if not prefix or not _known(prefix):
            return None  # Python's own built-ins (values.Builtin's repr), made-up names
        row = default(name)
    return row


# What type() of a built-in of each kind names (a `=` row: by how its text starts).
_TYPES_OF = {"M": "builtin_function_or_method", "B": "builtin_function_or_method",
             "F": "function", "D": "method_descriptor", "<class '": "type",
             "<bound method ": "method", "<built-in method ": "builtin_function_or_method",
             "<function ": "function", "<ufunc '": "numpy.ufunc"}


def builtin_type(name: str) -> str | None:
    """The name of the type of the built-in `name` in Python (`function` for F.relu,
    `builtin_function_or_method` for torch.sin), else None."""
    row = _row(name)
    if row is None:
        return None
    kind, text = row
    if kind != "=":
        return _TYPES_OF[kind]
    return next((t for head, t in _TYPES_OF.items() if text.startswith(head)), None)


def builtin_repr(name: str, obj: object) -> str | None:
    """PyTorch's (or Python's) repr of the built-in `name` (a dotted spelling of one of
    gd's modules), else None."""
    row = _row(name)
    if row is None:
        return None
    kind, text = row
    tail = name.rpartition(".")[2]
    if kind == "D":
        return method_repr(tail, text, obj)
    if kind == "M":
        return f"<built-in method {text or tail} of type object at " \
               f"{address('type object', obj)}>"
    if kind == "F":
        return f"<function {text or tail} at {address(None, obj)}>"
    if kind == "B":
        return f"<built-in function {text or tail}>"
    if _HOLE not in text:
        return text
    head, _, _ = text.partition(_HOLE)
    owner = head.rpartition(" of ")[2].removesuffix(" at ") if " of " in head else None
    return text.replace(_HOLE, address(owner, obj), 1)


def encode(name: str, shown: str) -> str | None:
    """The table's line for `name` whose repr (addresses written `0x…`) is `shown`, or
    None if its module's default gives it."""
    tail = name.rpartition(".")[2]
    for kind, head, end in (("M", "<built-in method ", " of type object at 0x…>"),
                            ("F", "<function ", " at 0x…>"), ("B", "<built-in function ", ">"),
                            ("D", "<method '", "' of 'torch._C.TensorBase' objects>")):
        if shown.startswith(head) and shown.endswith(end):
            inner = shown[len(head):len(shown) - len(end)]
            if " " not in inner and "<" not in inner:
                text = "" if inner == tail else inner
                if kind == "D":
                    if inner != tail:
                        break
                    text = "torch._C.TensorBase"
                return None if default(name) == (kind, text) else f"{name} {kind} {text}".rstrip()
    return f"{name} = {shown}"
