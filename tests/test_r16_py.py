"""Round 16: the Python of real PyTorch scripts (printf-style formatting's own errors,
nested functions' qualified names in messages, complex numbers, functools.singledispatch,
descriptors in gd classes, the reprs of built-in functions, ...): each program prints what
Python with PyTorch prints. The expected text is CPython's, held as a literal; it is also
compared live under torch.
"""

from __future__ import annotations

from pyrun import Case, literal_table

CASES: list[Case] = [
    ('percent_errors',
     'import torch\n'
     'for fmt, arg in [("%d", "x"), ("%f", "x"), ("%s %s", (1,)), ("%s", (1, 2)),\n'
     '                 ("%c", "ab"), ("%z", 1), ("%d", torch.zeros(2)), ("%x", 1.5)]:\n'
     '    try:\n'
     '        print(fmt % arg)\n'
     '    except Exception as e:\n'
     '        print(type(e).__name__, e)\n'
     ,
     'TypeError %d format: a real number is required, not str\n'
     'TypeError must be real number, not str\n'
     'TypeError not enough arguments for format string\n'
     'TypeError not all arguments converted during string formatting\n'
     'TypeError %c requires int or char\n'
     "ValueError unsupported format character 'z' (0x7a) at index 1\n"
     'ValueError only one element tensors can be converted to Python scalars\n'
     'TypeError %x format: an integer is required, not float\n'
     ),
    ('nested_qualnames',
     'def outer():\n'
     '    def inner(a):\n'
     '        return a\n'
     '    return inner\n'
     'class A:\n'
     '    def m(self, x):\n'
     '        return x\n'
     '    class B:\n'
     '        def n(self):\n'
     '            return 1\n'
     'def make():\n'
     '    class Local:\n'
     '        def f(self):\n'
     '            pass\n'
     '    return Local\n'
     'calls = [lambda: outer()(), lambda: A().m(), lambda: (lambda a: a)(), lambda: A.B().n(1)]\n'
     'for f in calls:\n'
     '    try:\n'
     '        f()\n'
     '    except TypeError as e:\n'
     '        print(e)\n'
     'print(outer().__qualname__, outer().__name__, A.B.n.__qualname__, make().f.__qualname__)\n'
     'print((lambda: 0).__qualname__, (lambda: lambda: 0)().__qualname__)\n'
     ,
     "outer.<locals>.inner() missing 1 required positional argument: 'a'\n"
     "A.m() missing 1 required positional argument: 'x'\n"
     "<lambda>.<locals>.<lambda>() missing 1 required positional argument: 'a'\n"
     'A.B.n() takes 1 positional argument but 2 were given\n'
     'outer.<locals>.inner inner A.B.n make.<locals>.Local.f\n'
     '<lambda> <lambda>.<locals>.<lambda>\n'
     ),
]

test_gd_prints_the_literal, test_the_literal_is_what_pytorch_prints = literal_table(CASES)
