"""The Python language surface of real PyTorch programs (tutorials, course notebooks, Q&A
answers): annotations and typing, assignment expressions, f-string `=` fields and nested
specs, positional-only parameters, user-written decorators, `__name__ == "__main__"`.

Each case is a program as people write it and the text PyTorch 2.13 prints for it (a
literal, so the test means something without torch); a slow test checks the literals
against PyTorch itself. Errors print as "error: <message>" on both sides.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from gradcli.app import AppOptions, run
from gradcli.errors import GdError
from gradcli.interp.builtins import registry
from gradcli.source import Source

CASES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- annotations
    ("annotated-variables", "x: float = 1.0\ny: int\nz: 'torch.Tensor' = torch.ones(2)\n"
     "print(x, z)", "1.0 tensor([1., 1.])\n"),
    ("annotated-def", "def f(x: torch.Tensor, k: int = 2) -> torch.Tensor:\n"
     "    return x * k\nprint(f(torch.tensor([1., 2.])))", "tensor([2., 4.])\n"),
    ("annotated-star-params", "def f(*args: float, scale: float = 1.0, **kw: int) -> float:\n"
     "    return scale * sum(args) + len(kw)\nprint(f(1.0, 2.0, scale=2.0, a=1))", "7.0\n"),
    ("typing-import", "from typing import List, Optional, Tuple, Dict\n"
     "def g(xs: List[float], s: Optional[int] = None) -> Tuple[float, int]:\n"
     "    return sum(xs), len(xs)\nprint(g([1.0, 2.0]))", "(3.0, 2)\n"),
    ("typing-module", "import typing\n"
     "def g(x: typing.Optional[torch.Tensor] = None) -> typing.Any:\n    return x\nprint(g())",
     "None\n"),
    ("typing-alias-prints", "from typing import List, Optional, Tuple, Union\n"
     "Pair = Tuple[float, float]\nprint(Pair, List[int], Optional[torch.Tensor], List)\n"
     "print(Union[int, None])",
     "typing.Tuple[float, float] typing.List[int] typing.Optional[torch.Tensor] typing.List\n"
     "typing.Optional[int]\n"),
    ("future-annotations", '"""Docstring."""\nfrom __future__ import annotations\n'
     "def f(x: Tensor) -> Tensor:\n    return x\nprint(f(1))", "1\n"),
    ("typing-cast", "from typing import cast\nprint(cast(int, 3) + 1)", "4\n"),
    ("annotated-class-fields", "class Config:\n    lr: float = 0.1\n    epochs: int = 3\n"
     "    name: str\nprint(Config.lr, Config().epochs)", "0.1 3\n"),
    ("annotated-attribute", "class M:\n    def __init__(self) -> None:\n"
     "        self.w: torch.Tensor = torch.zeros(2)\nprint(M().w)", "tensor([0., 0.])\n"),
    # -------------------------------------------------------- __name__ and main()
    ("main-guard", "def main():\n    x = torch.tensor(2.0, requires_grad=True)\n"
     "    (x ** 2).backward()\n    print(x.grad)\nif __name__ == \"__main__\":\n    main()",
     "tensor(4.)\n"),
    ("name-in-function", "def f():\n    return __name__\nprint(f(), type(__name__).__name__)",
     "__main__ str\n"),
    # ------------------------------------------------------ assignment expressions
    ("walrus-if", "if (n := 3) > 2:\n    print(n)", "3\n"),
    ("walrus-while", "data = [3, 2, 1]\nwhile (k := len(data)) > 1:\n    data.pop()\n"
     "print(k, data)", "1 [3]\n"),
    ("walrus-comprehension-leaks", "data = [1, -2, 3]\n"
     "pos = [y for x in data if (y := x * 2) > 0]\nprint(pos, y)", "[2, 6] 6\n"),
    ("walrus-in-function-comprehension", "def f():\n    vals = [(z := i) for i in range(3)]\n"
     "    return vals, z\nprint(f())", "([0, 1, 2], 2)\n"),
    ("walrus-argument", "print((t := torch.ones(2)).sum(), t)",
     "tensor(2.) tensor([1., 1.])\n"),
    ("walrus-displays-and-subscripts", "x = [10, 20, 30]\n"
     "print([y := 5, y ** 2], {z := 1, z + 1}, x[i := 1], i, [*x, (w := 4)], w)",
     "[5, 25] {1, 2} 20 1 [10, 20, 30, 4] 4\n"),
    ("walrus-lambda-own-scope", "g = lambda: (q := 5) + 1\nprint(g())", "6\n"),
    ("walrus-loss", "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
     "if (loss := (x ** 2).sum()) > 1:\n    loss.backward()\nprint(loss, x.grad)",
     "tensor(5., grad_fn=<SumBackward0>) tensor([2., 4.])\n"),
    # ------------------------------------------------------------------- f-strings
    ("fstring-self-documenting", "x = 2.5\nprint(f\"{x=}\", f\"{x = }\", f\"{x=:.3f}\", "
     "f\"{x=!s}\")", "x=2.5 x = 2.5 x=2.500 x=2.5\n"),
    ("fstring-self-documenting-tensor", "v = torch.tensor(2.5)\nlst = [torch.tensor(1.)]\n"
     "print(f\"{v=}\", f\"{v=:.2f}\", f\"{lst=}\")",
     "v=tensor(2.5000) v=2.50 lst=[tensor(1.)]\n"),
    ("fstring-expression-documenting", "a = 3\nprint(f\"{a * 2 = }\", f\"{'s'=}\")",
     "a * 2 = 6 's'='s'\n"),
    ("fstring-conversions", "x = 'q'\nprint(f\"{x!r} {x!s} {'é'!a} {x!r:>5}|\")",
     "'q' q '\\xe9'   'q'|\n"),
    ("fstring-nested-spec", "v, w, p = 3.14159, 8, 2\nprint(f\"{v:{w}.{p}f}|{v:>{w}}|\")",
     "    3.14| 3.14159|\n"),
    ("fstring-nested-spec-tensor", "t = torch.tensor(0.123456)\nprec = 3\n"
     "print(f\"loss {t:.{prec}f}\")", "loss 0.123\n"),
    # ----------------------------------------------------- positional-only parameters
    ("positional-only", "def f(a, /, b, *, c=2):\n    return a + b + c\n"
     "print(f(1, 2), f(1, b=3, c=4))", "5 8\n"),
    ("positional-only-by-keyword", "def f(a, b, /, c):\n    return a\nf(a=1, b=2, c=3)",
     "error: f() got some positional-only arguments passed as keyword arguments: 'a, b'\n"),
    ("positional-only-into-kwargs", "def g(a, /, **k):\n    return a, k\nprint(g(1, a=2))",
     "(1, {'a': 2})\n"),
    ("positional-only-defaults", "def h(a=1, /, b=2):\n    return a, b\nprint(h(), h(5, b=6))",
     "(1, 2) (5, 6)\n"),
    ("positional-only-lambda", "f = lambda a, /, b=1: a - b\nprint(f(5), f(5, b=2))", "4 3\n"),
    # --------------------------------------------------------------- decorators
    ("decorator-user", "def log_calls(func):\n    def wrapper(*args, **kwargs):\n"
     "        print(f\"Calling {func.__name__} with {args}\")\n"
     "        return func(*args, **kwargs)\n    return wrapper\n"
     "@log_calls\ndef add(a, b):\n    return a + b\nprint(add(2, 3), add.__name__)",
     "Calling add with (2, 3)\n5 wrapper\n"),
    ("decorator-with-arguments", "def repeat(k):\n    def deco(fn):\n"
     "        def wrapper(*args):\n            out = None\n"
     "            for _ in range(k):\n                out = fn(*args)\n            return out\n"
     "        return wrapper\n    return deco\n@repeat(2)\ndef hello(name):\n"
     "    print('hi', name)\n    return name\nprint(hello('x'))", "hi x\nhi x\nx\n"),
    ("decorator-stacked-closure", "def twice(fn):\n    def inner(x):\n        return fn(x) * 2\n"
     "    return inner\n@twice\n@twice\ndef sq(x):\n    return x * x\nprint(sq(torch.tensor(3.0)))",
     "tensor(36.)\n"),
    ("decorator-class-registry", "REG = {}\ndef register(cls):\n    REG[cls.__name__] = cls\n"
     "    return cls\n@register\nclass Model:\n    pass\nprint(list(REG), type(Model()).__name__)",
     "['Model'] Model\n"),
    ("decorator-callable-instance", "class Counted:\n    def __init__(self, fn):\n"
     "        self.fn = fn\n        self.calls = 0\n    def __call__(self, x):\n"
     "        self.calls += 1\n        return self.fn(x)\n@Counted\ndef double(x):\n"
     "    return 2 * x\nprint(double(4), double(5), double.calls)", "8 10 2\n"),
    ("decorator-grad-mode-still", "@torch.no_grad()\ndef f(x):\n    return x * 2\n"
     "print(f(torch.ones(1, requires_grad=True)).requires_grad)", "False\n"),
    ("function-names", "class A:\n    def m(self):\n        pass\n"
     "print(torch.sin.__name__, len.__name__, A.m.__name__, A().m.__name__, "
     "(lambda: 0).__name__)", "sin len m m <lambda>\n"),
    # ----------------------------------------------------------------- raise from
    ("raise-from", "try:\n    try:\n        {}['a']\n    except KeyError as e:\n"
     "        raise ValueError('wrapped') from e\nexcept ValueError as e:\n    print('caught', e)",
     "caught wrapped\n"),
    ("raise-from-none", "try:\n    raise RuntimeError('x') from None\n"
     "except RuntimeError as e:\n    print(e)", "x\n"),
    ("raise-from-not-exception", "raise KeyError('k') from 3",
     "error: exception causes must derive from BaseException\n"),
    # ------------------------------------------------------------------- math
    ("math-more", "import math\nprint(math.gcd(12, 18), math.isqrt(17), math.prod([1, 2, 3]), "
     "math.fsum([0.1] * 10), math.dist([0, 0], [3, 4]))", "6 4 6 1.0 5.0\n"),
    ("math-prod-of-shape", "import math\nx = torch.ones(2, 3, 4)\n"
     "print(math.prod(x.shape), math.prod([torch.tensor(2.), 3]))", "24 tensor(6.)\n"),
    ("math-more-floats", "import math\nprint(math.expm1(1e-5), math.modf(2.5), math.frexp(8.0), "
     "math.fmod(7, 3), math.atanh(0.5))",
     "1.0000050000166668e-05 (0.5, 2.0) (0.5, 4) 1.0 0.5493061443340548\n"),
]
IDS = [c[0] for c in CASES]


def gd(program: str) -> str:
    """What gd prints for a program, with "error: <message>" if it fails."""
    buf = io.StringIO()
    try:
        run(Source("prog.gd", program), AppOptions(write=buf.write))
    except GdError as e:
        buf.write(f"error: {e.message}\n")
    return buf.getvalue()


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=IDS)
def test_gd_prints_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert gd(program) == expected


_TORCH_RUNNER = r"""
import contextlib, io, json, sys
import torch

results = []
for program in json.load(sys.stdin):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(program, "prog.py", "exec"), {"__name__": "__main__", "torch": torch})
        except Exception as e:
            print(f"error: {e}")
    results.append(out.getvalue())
print(json.dumps(results))
"""


@pytest.mark.slow
def test_pytorch_prints_the_expected_text() -> None:
    """The literals above are PyTorch's own output (and so gd's equals PyTorch's)."""
    pytest.importorskip("torch")
    proc = subprocess.run([sys.executable, "-c", _TORCH_RUNNER],
                          input=json.dumps([p for _, p, _ in CASES]), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    printed = json.loads(proc.stdout)
    wrong = [(n, e, t) for (n, _, e), t in zip(CASES, printed, strict=True) if e != t]
    assert not wrong, "\n".join(f"{n}:\n  expected {e!r}\n  PyTorch  {t!r}" for n, e, t in wrong)


# Python's SyntaxError messages for misuse of the new forms (and gd's for what it lacks).
SYNTAX_ERRORS: list[tuple[str, str]] = [
    ("(a, b): int = 1, 2", "only single target (not tuple) can be annotated"),
    ("[a]: int = 1", "only single target (not list) can be annotated"),
    ("f(): int = 1", "illegal target for annotation"),
    ("def f(/, a): pass", "at least one argument must precede /"),
    ("def f(a, /, b, /): pass", "/ may appear only once"),
    ("def f(*a, b, /): pass", "/ must be ahead of *"),
    ("lambda x: int: x", "illegal target for annotation"),
    ("x = f'{a:{w:{p}}}'", "f-string: expressions nested too deeply"),
    ("x = 1\nfrom __future__ import annotations",
     "from __future__ imports must occur at the beginning of the file"),
    ("def f():\n    from __future__ import annotations",
     "from __future__ imports must occur at the beginning of the file"),
    ("from __future__ import nonsense", "future feature nonsense is not defined"),
]


@pytest.mark.parametrize(("program", "message"), SYNTAX_ERRORS)
def test_misused_forms_are_syntax_errors(program: str, message: str) -> None:
    assert gd(program) == f"error: {message}\n"


# ------------------------------------------------------------------------ sandbox

HOSTILE: list[tuple[str, str, str]] = [
    ("name-class", "__name__.__class__.__dict__", r"not accessible in gd"),
    ("name-is-plain-str", "print(type(__name__))", r"^<class 'str'>\n$"),
    ("typing-dunder", "import typing\ntyping.__dict__", r"not accessible in gd"),
    ("typing-form-class", "from typing import List\nList.__class__.__dict__",
     r"not accessible in gd"),
    ("typing-form-mro", "from typing import List\nList.__mro__", r"not accessible in gd"),
    ("typing-form-attr", "from typing import List\nList.copy_with", r"has no attribute"),
    ("typing-form-call", "from typing import List\nList(1)", r"not callable"),
    ("typing-form-set", "from typing import List\nList.x = 1", r"cannot set attribute"),
    ("typing-host-name", "from typing import _GenericAlias", r"cannot import name"),
    ("type-hints-values", "from typing import get_type_hints\ndef f(a: 'len') -> int:\n"
     "    pass\nprint(get_type_hints(f))\nget_type_hints(f)['a'].__self__",
     r"\{'a': <built-in function len>, 'return': <class 'int'>\}(.|\n)*not accessible"),
    ("type-hints-of-host", "import typing\ntyping.get_type_hints(typing)", r"not supported"),
    ("annotations-texts", "from __future__ import annotations\ndef f(a: b.c[d]):\n    pass\n"
     "print(f.__annotations__)\nf.__annotations__['a'].__class__", r"'b.c\[d\]'"),
    ("generic-alias-call", "list[int].__args__", r"not accessible in gd"),
    ("typing-host-module", "import typing\ntyping.sys", r"has no attribute"),
    ("future-feature-attr", "import __future__\n__future__.annotations.compiler_flag",
     r"has no attribute"),
    ("annotation-value-import", "x: int = __import__('os')", r"name '__import__' is not defined"),
    ("walrus-dunder-value", "(x := ().__class__.__dict__)", r"not accessible in gd"),
    ("decorator-lambda-globals", "@(lambda f: f.__globals__)\ndef f():\n    pass",
     r"not accessible in gd"),
    ("annotation-never-runs", "x: print('ran') = 1\nprint(x)", r"^1\n$"),
    ("fstring-doc-field-dunder", "x = 1\nprint(f'{x.__class__.__dict__=}')",
     r"not accessible in gd"),
    ("nested-spec-dunder", "print(f'{1:{(1).__class__.__dict__}}')", r"not accessible in gd"),
    ("nested-spec-huge-width", "w = 10 ** 9\nprint(f'{1:{w}}')", r"exceeds the limit"),
    ("decorator-builtin-print", "@print\ndef f():\n    pass", r"decorators are supported"),
    ("function-dunder", "def f():\n    pass\nf.__globals__", r"not accessible in gd"),
    ("function-code", "def f():\n    pass\nf.__code__", r"not accessible in gd"),
    ("walrus-dunder-target", "(__builtins__ := 1)\nprint(__builtins__)", r"^1\n$"),
]


@pytest.mark.parametrize(("name", "program", "pattern"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_new_forms_expose_nothing_of_the_host(name: str, program: str, pattern: str) -> None:
    out = gd(program)
    assert re.search(pattern, out), out
    assert "Traceback" not in out and "0x" not in out


def test_typing_namespace_holds_only_gd_values() -> None:
    from gradcli.interp.pynamedtuple import NamedTupleBase
    from gradcli.interp.pytyping import TypedDictBase, TypingForm
    from gradcli.interp.values import Builtin, Decorator

    typing_ns = registry().module("typing")
    assert typing_ns is not None
    for name, v in typing_ns.members.items():
        assert type(v) in (TypingForm, Builtin, Decorator, bool, NamedTupleBase,
                           TypedDictBase), name
    assert registry().bare["__name__"] == "__main__"
