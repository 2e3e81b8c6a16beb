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
     'calls = [lambda: outer()(), lambda: A().m(), lambda: (lambda a: a)(), lambda: A.'
     'B().n(1)]\n'
     'for f in calls:\n'
     '    try:\n'
     '        f()\n'
     '    except TypeError as e:\n'
     '        print(e)\n'
     'print(outer().__qualname__, outer().__name__, A.B.n.__qualname__, make().f.__qua'
     'lname__)\n'
     'print((lambda: 0).__qualname__, (lambda: lambda: 0)().__qualname__)\n'
     ,
     "outer.<locals>.inner() missing 1 required positional argument: 'a'\n"
     "A.m() missing 1 required positional argument: 'x'\n"
     "<lambda>.<locals>.<lambda>() missing 1 required positional argument: 'a'\n"
     'A.B.n() takes 1 positional argument but 2 were given\n'
     'outer.<locals>.inner inner A.B.n make.<locals>.Local.f\n'
     '<lambda> <lambda>.<locals>.<lambda>\n'
     ),
    ('complex_numbers',
     'import cmath\n'
     'z = 1 + 2j\n'
     'w = complex(3, -4)\n'
     'print(z, w, z * w, z / w, abs(w), z.real, z.imag, z.conjugate())\n'
     'print(repr(z), type(z).__name__, complex("1+2j"), 1j ** 2, (1j) * (1j))\n'
     'print(f"{z}", f"{w:.2f}", str(3j), -1j, 0j, complex(1.5), z == 1+2j, hash(1+0j) '
     '== hash(1))\n'
     'print(cmath.sqrt(-1), cmath.exp(1j * cmath.pi).real, cmath.phase(-1), cmath.pola'
     'r(1j))\n'
     'print(z + 1, 1 - z, 2 * z, z ** 2, z - 0.5, abs(3+4j))\n'
     'try:\n'
     '    z < w\n'
     'except TypeError as e:\n'
     '    print(type(e).__name__, e)\n'
     'try:\n'
     '    int(z)\n'
     'except TypeError as e:\n'
     '    print(type(e).__name__, e)\n'
     "print(isinstance(z, complex), complex(2), [1j, 2+0j], (1+1j,), {'a': 1j})\n"
     'print(1e300j * 1e300j, complex(0, -0.0), 1.5e-7j, 12345678901234567j)\n'
     ,
     '(1+2j) (3-4j) (11+2j) (-0.2+0.4j) 5.0 1.0 2.0 (1-2j)\n'
     '(1+2j) complex (1+2j) (-1+0j) (-1+0j)\n'
     '(1+2j) 3.00-4.00j 3j (-0-1j) 0j (1.5+0j) True True\n'
     '1j -1.0 3.141592653589793 (1.0, 1.5707963267948966)\n'
     '(2+2j) -2j (2+4j) (-3+4j) (0.5+2j) 5.0\n'
     "TypeError '<' not supported between instances of 'complex' and 'complex'\n"
     'TypeError int() argument must be a string, a bytes-like object or a real number,'
     " not 'complex'\n"
     "True (2+0j) [1j, (2+0j)] ((1+1j),) {'a': 1j}\n"
     '(-inf+0j) -0j 1.5e-07j 1.2345678901234568e+16j\n'
     ),
    ('complex_tensor_scalars',
     'import math\n'
     'import torch\n'
     'z = torch.tensor([1 + 2j, 3j])\n'
     'print(z, z.dtype, z.real, z.imag, z.abs())\n'
     'theta = torch.linspace(0, math.pi, 3)\n'
     'print(torch.exp(1j * theta))\n'
     'print(theta * 1j, theta + (1 + 1j), (2 - 1j) * theta, theta - 1j, 1j / torch.one'
     's(2))\n'
     'print(z * 2j, z + 1j, z[0].item(), type(z[0].item()).__name__, complex(z[1]))\n'
     'print(torch.tensor(1j), torch.tensor(2 + 0j, dtype=torch.complex128), torch.full'
     '((2,), 1j))\n'
     'x64 = torch.ones(2, dtype=torch.float64)\n'
     'print((x64 * 1j).dtype, (torch.ones(2, dtype=torch.int32) * 1j).dtype, torch.one'
     's(2) == 1j)\n'
     'print(f"{z[0].item():.2f}", z.tolist(), torch.view_as_real(z), torch.ones(2).add'
     '(1j, alpha=2))\n'
     'for f in (lambda: torch.full((2,), 1j, dtype=torch.float32), lambda: torch.ones('
     '2).clamp(1j)):\n'
     '    try:\n'
     '        print(f())\n'
     '    except Exception as e:\n'
     '        print(type(e).__name__, e)\n'
     ,
     'tensor([1.+2.j, 0.+3.j]) torch.complex64 tensor([1., 0.]) tensor([2., 3.]) tenso'
     'r([2.2361, 3.0000])\n'
     'tensor([ 1.0000e+00+0.0000e+00j, -4.3711e-08+1.0000e+00j,\n'
     '        -1.0000e+00-8.7423e-08j])\n'
     'tensor([0.+0.0000j, 0.+1.5708j, 0.+3.1416j]) tensor([1.0000+1.j, 2.5708+1.j, 4.1'
     '416+1.j]) tensor([0.0000+0.0000j, 3.1416-1.5708j, 6.2832-3.1416j]) tensor([0.000'
     '0-1.j, 1.5708-1.j, 3.1416-1.j]) tensor([0.+1.j, 0.+1.j])\n'
     'tensor([-4.+2.j, -6.+0.j]) tensor([1.+3.j, 0.+4.j]) (1+2j) complex 3j\n'
     'tensor(0.+1.j) tensor(2.+0.j, dtype=torch.complex128) tensor([0.+1.j, 0.+1.j])\n'
     'torch.complex128 torch.complex64 tensor([False, False])\n'
     '1.00+2.00j [(1+2j), 3j] tensor([[1., 2.],\n'
     '        [0., 3.]]) tensor([1.+2.j, 1.+2.j])\n'
     'RuntimeError value cannot be converted to type float without overflow\n'
     'RuntimeError value cannot be converted to type double without overflow\n'
     ),
]

test_gd_prints_the_literal, test_the_literal_is_what_pytorch_prints = literal_table(CASES)
