"""The sandbox through Python's reflective built-ins: getattr, hasattr, setattr, delattr,
format, str.format / format_map, slice, type, hash and id reach nothing the dot cannot.

- getattr(v, name) gives exactly what `v.name` gives, or fails with the same message, for
  every kind of value a program can hold (tests/test_hostile_sandbox.py's VALUES) and every
  dunder, implementation name and real attribute; hasattr is True exactly when getattr
  succeeds, False exactly on an AttributeError, and passes every other failure (a
  refusal, a limit) through; getattr's default stands in for an AttributeError only.
- setattr(v, name, x) succeeds or fails exactly as `v.name = x` does.
- Escape attempts through these built-ins, formatting and types are refused cleanly.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_hostile_sandbox import DUNDERS, INTERNALS, VALUES, in_process

from gradcli.errors import GdError, GdLimitError
from gradcli.interp.attributes import get_attribute, set_attribute
from gradcli.interp.builtins import registry
from gradcli.interp.exceptions import CLASSES, exception_of
from gradcli.interp.runstate import RunOptions
from gradcli.interp.runtime import Program, run_source
from gradcli.interp.values import to_repr
from gradcli.source import Source

# Real attributes of some value or other, besides the dunders and internal names.
REAL = ["shape", "grad", "grad_fn", "requires_grad", "sum", "T", "real", "imag", "upper",
        "append", "sort", "start", "stop", "indices", "union", "fromkeys", "keys", "args",
        "name", "next_functions", "variable", "values", "indices", "dtype", "numel",
        "is_floating_point", "maketrans", "float64", "sin", "functional", "pi", "nope"]
NAMES = DUNDERS + INTERNALS + REAL


def _value(setup: str, expr: str) -> Any:
    return run_source(f"{setup}\nv = {expr}".lstrip("\n")).variables["v"]


def _outcome(fn: Any, *args: Any) -> tuple[str, str]:
    """('ok', repr of the result) or (error class, message)."""
    try:
        return "ok", to_repr(fn(*args))
    except GdError as e:
        return type(e).__name__, e.message


def _is_attribute_error(message: str) -> bool:
    from gradcli.errors import GdRuntimeError

    exc = exception_of(GdRuntimeError(message))
    return exc is not None and exc.cls.is_subclass_of(CLASSES["AttributeError"])


BARE = registry().bare


@pytest.mark.parametrize("setup,expr", VALUES, ids=[e for _, e in VALUES])
def test_getattr_and_hasattr_read_exactly_what_the_dot_reads(setup: str, expr: str) -> None:
    v = _value(setup, expr)
    wrong = []
    for name in NAMES:
        dot = _outcome(get_attribute, v, name)
        if _outcome(BARE["getattr"], v, name) != dot:
            wrong.append(f"getattr(v, {name!r}) differs from v.{name}: {dot}")
        has = _outcome(BARE["hasattr"], v, name)
        default = _outcome(BARE["getattr"], v, name, "DEFAULT")
        if dot[0] == "ok":
            expected_has, expected_default = ("ok", "True"), dot
        elif dot[0] == "GdRuntimeError" and _is_attribute_error(dot[1]):
            expected_has, expected_default = ("ok", "False"), ("ok", "'DEFAULT'")
        else:  # a refusal: not an AttributeError, so neither hasattr nor default hides it
            assert not re.search(r"has no attribute", dot[1]), dot
            expected_has = expected_default = dot
        if has != expected_has:
            wrong.append(f"hasattr(v, {name!r}) = {has}, v.{name}: {dot}")
        if default != expected_default:
            wrong.append(f"getattr(v, {name!r}, 'DEFAULT') = {default}, v.{name}: {dot}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("setup,expr", VALUES, ids=[e for _, e in VALUES])
def test_setattr_writes_exactly_what_the_dot_writes(setup: str, expr: str) -> None:
    v = _value(setup, expr)
    for name in NAMES:
        dot = _outcome(set_attribute, v, name, None)
        assert _outcome(BARE["setattr"], v, name, None) == dot, name


def test_private_names_fail_through_getattr_as_after_a_dot() -> None:
    for program in ('getattr(1, "__dict__")', 'getattr(1, "__dict__", None)',
                    'hasattr(1, "__dict__")', 'getattr(torch, "_C", None)',
                    'hasattr(len, "__self__")', 'setattr(torch, "_C", 1)'):
        code, message, _ = in_process(program)
        assert code == 4 and "is not accessible in gd" in message, (program, message)


def test_a_refusal_is_not_an_attribute_error_hasattr_can_hide() -> None:
    """hasattr(torch, "sparse"): PyTorch has it, gd does not: the refusal, not False."""
    code, message, _ = in_process('print(hasattr(torch, "sparse"))')
    assert code == 4 and "'torch.sparse' is not supported by gradcli" in message
    code, message, out = in_process('try:\n    getattr(torch, "sparse")\n'
                                    'except AttributeError:\n    print("hidden")')
    assert code == 4 and out == "" and "not supported by gradcli" in message


def test_limit_errors_pass_through_hasattr() -> None:
    program = ("class P:\n    @property\n    def big(self):\n        return [0] * 10**9\n"
               "print(hasattr(P(), 'big'))")
    code, message, _ = in_process(program)
    assert code == 4 and "exceeds the limit" in message
    with pytest.raises(GdLimitError):
        run_source(program)


# Escape attempts through reflection, formatting, slices and types: each is refused with
# one of these messages (nothing reaches a host object, nothing prints an address).
ATTACKS: list[tuple[str, str]] = [
    ('getattr(getattr, "__self__")', "not accessible in gd"),
    ('getattr(str.upper, "__self__")', "not accessible in gd"),
    ('getattr(str, "__base__")', "not accessible in gd"),
    ('getattr(str, "mro")', "has no attribute"),
    ('getattr(type(1), "__subclasses__")', "not accessible in gd"),
    ('getattr(type(slice(1)), "__reduce__")', "not accessible in gd"),
    ('getattr(slice(1, 2), "__reduce_ex__")', "not accessible in gd"),
    ('getattr(frozenset([1]), "__class__").__dict__', "not accessible in gd"),
    ('getattr(ValueError, "__mro__")[-1].__subclasses__()', "not accessible in gd"),
    ('getattr(getattr(ValueError("a"), "__traceback__"), "tb_frame")', "has no attribute"),
    ('getattr(ValueError("a"), "error")', "has no attribute"),
    ('getattr(ValueError, "parent")', "has no attribute"),
    ('x = torch.ones(1, requires_grad=True)\ngetattr((x * 2).grad_fn, "__call__")',
     "not accessible in gd"),
    ('x = torch.ones(1, requires_grad=True)\ngetattr((x * 2).grad_fn, "rule")',
     "has no attribute"),
    ('x = torch.ones(1, requires_grad=True)\n'
     'getattr((x * 2).grad_fn.next_functions[0][0], "variable").array', "has no attribute"),
    ('getattr(torch.autograd, "__dict__")', "not accessible in gd"),
    ('getattr(torch, "from_file")', "not supported by gradcli"),
    ('getattr(torch.ones(2), "array")', "has no attribute"),
    ('getattr(torch.ones(2).numpy(), "ctypes")', "has no attribute|not accessible"),
    ('import math\ngetattr(math, "__loader__")', "not accessible in gd"),
    ('def f():\n    return 1\ngetattr(f, "__globals__")', "not accessible in gd"),
    ('def f():\n    return 1\ngetattr(f, "rt")', "has no attribute"),
    ('getattr(lambda: 0, "closure")', "has no attribute"),
    ('getattr(print, "fn")', "has no attribute"),
    ('getattr(id, "known")', "has no attribute"),
    ('getattr(dict.fromkeys, "fn")', "has no attribute"),
    ('getattr(no_grad(), "prev")', "has no attribute"),
    ('class A:\n    pass\ngetattr(A, "__dict__")', "not accessible in gd"),
    ('class A:\n    pass\ngetattr(A(), "__class__").__dict__', "not accessible in gd"),
    ('class A:\n    pass\ngetattr(getattr(A(), "__class__"), "__class__").__dict__',
     "not accessible in gd"),
    ('class A:\n    pass\nsetattr(A(), "__class__", int)', "not accessible in gd"),
    ('class A:\n    pass\nsetattr(A, "__init__", print)', "not accessible in gd"),
    ('setattr(str, "upper", 1)', "cannot set 'upper' attribute of immutable type 'str'"),
    ('setattr(torch, "sin", print)', "cannot set attribute"),
    ('setattr(torch.ones(1), "grad_fn", print)', "is not writable"),  # (t.array = 1 is its own)
    ('setattr(torch.ones(1), "shape", 1)', "is not writable"),
    ('setattr(ValueError, "parent", None)', "cannot set 'parent' attribute of immutable"),
    ('setattr(print, "fn", None)', "'builtin_function_or_method' object has no attribute"),
    ('setattr("a", "upper", None)', "'str' object attribute 'upper' is read-only"),
    ('delattr(torch, "sin")', "cannot delete attribute"),
    ('delattr(1, "real")', "cannot delete attribute"),
    ('print("{0.__class__.__dict__}".format(1))', "'__dict__' is not accessible"),
    ('print("{a.__class__.__dict__}".format_map({"a": 1}))', "'__dict__' is not accessible"),
    ('print("{a[0].__class__.__dict__}".format_map({"a": [1]}))',
     "'__dict__' is not accessible"),
    ('print("{0:{1.__globals__}}".format(1, print))', "'__globals__' is not accessible"),
    ('print("{a:{b.fn}}".format_map({"a": 1, "b": print}))', "has no attribute 'fn'"),
    ('print(format(1, ">999999999"))', "exceeds the limit"),
    ('print("{a:>999999999}".format_map({"a": 1}))', "exceeds the limit"),
    ('print(("a" * 1000000).translate({97: "b" * 100}))', "exceeds the limit"),
    ('print(type(slice(1)).__dict__)', "not accessible in gd"),
    ('print(type(getattr).__self__)', "not accessible in gd"),
    ('print(hash(torch.ones(1)))', "not supported by gradcli"),
    ('print(hash(print))', "not supported by gradcli"),
    ('print(dir(torch))', "not supported by gradcli"),
    ('print(vars(torch))', "not supported by gradcli"),
    ('print("x".encode("zlib_codec"))', "unknown encoding"),  # codecs: text ones only
    ('print(int.from_bytes([1], "big").__class__.__dict__)', "not accessible in gd"),
    ('print(b"x".decode.__self__)', "not accessible in gd"),
    # torch.Tensor's protocol methods are readable (torch.Tensor.__rdiv__(a, 2)); nothing
    # else of the class, nor of those methods
    ('print(torch.Tensor.__dict__)', "not accessible in gd"),
    ('print(torch.Tensor.__subclasses__())', "not accessible in gd"),
    ('print(torch.Tensor.__init__)', "not accessible in gd"),
    ('print(torch.Tensor.__reduce_ex__)', "not accessible in gd"),
    ('print(torch.Tensor.__add__.__globals__)', "not accessible in gd"),
    ('print(torch.Tensor.__add__.fn)', "has no attribute 'fn'"),
    ('print(torch.Tensor.__add__(print, 1))', "doesn't apply to a 'builtin_function_or_method'"),
]


@pytest.mark.parametrize(("program", "message"), ATTACKS, ids=[a for a, _ in ATTACKS])
def test_reflection_escape_is_refused(program: str, message: str) -> None:
    code, text, out = in_process(program)
    assert code == 4, f"{program!r} was not refused: {text or 'it ran'}"
    assert re.search(message, text), text
    assert "0x" not in out + text


def test_id_numbers_objects_the_same_way_every_run() -> None:
    # id() is the address an object prints with: 0x7f0000000000 + 16 per object asked.
    program = ("a = [1]\nb = a\nc = torch.ones(1)\n"
               "print(id(a), id(c), id(b), id(a) == id(b), id(a) == id([1]), id(print) > 0)")
    first = in_process(program)
    assert first == (0, "", "139637976727568 139637976727584 139637976727568 True False True\n")
    assert in_process(program) == first
    # A compiled program run twice starts numbering afresh each run.
    printed: list[str] = []
    compiled = Program.compile(Source("prog.gd", "print(id([]), id([]))"),
                               RunOptions(write=printed.append))
    compiled.run()
    compiled.run()
    assert "".join(printed) == "139637976727568 139637976727584\n139637976727568 139637976727584\n"


def test_hash_is_pythons_and_needs_no_address() -> None:
    # Numbers hash the same in every process; strings need PYTHONHASHSEED (the CLI fixes
    # it at 0), so compare with this process's own hash.
    code, _, out = in_process('print(hash(2.5), hash((1, "a")), hash("abc"), hash(-1))')
    assert code == 0 and out == f"{hash(2.5)} {hash((1, 'a'))} {hash('abc')} -2\n"
