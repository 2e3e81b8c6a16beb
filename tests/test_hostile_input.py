"""Malformed input (issue 6): each case gets the right exit code and a message that
points at the place (FILE:LINE:COL where there is one), never a traceback.

Program text: binary garbage, invalid UTF-8, NUL bytes, a byte-order mark, mixed tabs
and spaces, unterminated strings, stray brackets, unknown names, wrong arity, bad
types, shape mismatches. Command line: bad --set / --tangent / --cotangent values,
unknown or non-leaf --wrt, --of an unknown name, a missing file, a directory as PROG,
PROG together with -e, --order 0/-1/abc, bad limit values. Errors in --format json are
one JSON object with the documented keys.

All through the installed console script, isolated (tests/fuzz/runner.py).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fuzz.runner import Outcome, Zygote, clean_failure_text


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    z = Zygote(tmp_path_factory.mktemp("zygote"))
    yield z
    z.close()


@pytest.fixture
def cli(zygote: Zygote, tmp_path: Path) -> object:
    def run(*args: str, stdin: bytes = b"") -> Outcome:
        return zygote.run(list(args), cwd=tmp_path, stdin=stdin,
                          env={"HOME": str(zygote.scratch)})

    return run


@pytest.fixture
def gd(cli: object, tmp_path: Path) -> object:
    """Write prog.gd (bytes or text) and run a command on it."""
    def run(program: str | bytes, *flags: str, command: str = "run") -> Outcome:
        data = program.encode() if isinstance(program, str) else program
        (tmp_path / "prog.gd").write_bytes(data)
        return cli(command, "prog.gd", *flags)  # type: ignore[operator]

    return run


def assert_error(out: Outcome, code: int, where: str, message: str) -> None:
    """Exit `code`; stderr starts with `where: error: ` and matches message."""
    problem = clean_failure_text(out)
    assert problem is None, f"{problem}\n{out.describe()}"
    assert out.rc == code, out.describe()
    assert out.stderr.startswith(f"{where}: error: "), out.describe()
    assert re.search(message, out.stderr), out.describe()
    assert out.stdout == "", out.describe()


# ================================================================ program text (exit 3)

@pytest.mark.parametrize("data,where,message", [
    (b"x = 1\ny = '\xff'\n", "prog.gd:2:6", r"invalid UTF-8 \(byte 0xff\)"),
    (b"\x80\x81\x82", "prog.gd:1:1", r"invalid UTF-8 \(byte 0x80\)"),
    (b"x = 1\n\xc3\x28 = 2\n", "prog.gd:2:1", r"invalid UTF-8 \(byte 0xc3\)"),
    (b"x = 'abc\xed\xa0\x80'\n", "prog.gd:1:9", r"invalid UTF-8"),  # a UTF-8 surrogate
    (b"x = 1\x00\n", "prog.gd:1:6", r"NUL byte; is this a binary file\?"),
    (b"\x00\x00\x00\x01ELF", "prog.gd:1:1", r"NUL byte"),
    (b"\x7fELF\x02\x01\x01\x00", "prog.gd:1:8", r"NUL byte"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "prog.gd:1:1", r"invalid UTF-8 \(byte 0x89\)"),
    (b"PK\x03\x04\x14\x00\x00\x00", "prog.gd:1:6", r"NUL byte"),
    (b"\xff\xfex\x00=\x001\x00", "prog.gd:1:1", r"invalid UTF-8 \(byte 0xff\)"),  # UTF-16
    (bytes(range(256)), "prog.gd:2:118", r"invalid UTF-8 \(byte 0x80\)"),
])
def test_binary_and_undecodable_input(gd: object, data: bytes, where: str, message: str) -> None:
    assert_error(gd(data), 3, where, message)  # type: ignore[operator]


def test_random_binary_garbage(gd: object) -> None:
    rng = np.random.default_rng(6)
    for _ in range(12):
        data = rng.integers(0, 256, int(rng.integers(1, 4000)), dtype=np.uint8).tobytes()
        out = gd(data)  # type: ignore[operator]
        assert out.rc == 3, out.describe()
        assert clean_failure_text(out) is None, out.describe()
        assert re.match(r"prog\.gd:\d+:\d+: error: ", out.stderr), out.describe()


def test_a_byte_order_mark_is_ignored_as_python_does(gd: object) -> None:
    out = gd(b"\xef\xbb\xbfprint(1)\n")  # type: ignore[operator]
    assert out.rc == 0 and out.stdout == "1\n", out.describe()


def test_control_characters_in_a_source_line_never_reach_the_terminal(gd: object) -> None:
    out = gd(b"x = '\x1b]0;pwned\x07\x1b[2J' + 1\n")  # type: ignore[operator]
    assert out.rc == 4, out.describe()
    assert "\x1b" not in out.stderr and "\x07" not in out.stderr, out.describe()
    assert "\ufffd]0;pwned\ufffd\ufffd[2J" in out.stderr  # one for one: the caret lines up
    out = gd("x = '\u202eevil' + 1\n")  # type: ignore[operator]  # a bidi override
    assert "\u202e" not in out.stderr, out.describe()


@pytest.mark.parametrize("program,where,message", [
    ("if True:\n\tx = 1\n        y = 2\n", "prog.gd:3:9", r"inconsistent use of tabs and spaces"),
    ("if True:\n        x = 1\n\ty = 2\n", "prog.gd:3:2", r"inconsistent use of tabs and spaces"),
    ("x = 'abc\n", "prog.gd:1:5", r"unterminated string"),
    ("x = 1\ny = \"abc\n", "prog.gd:2:5", r"unterminated string"),
    ("x = '''abc\n\n", "prog.gd:1:5", r"unterminated triple-quoted string"),
    ("x = f'{1 + }'\n", "prog.gd:1:", r"f-string|unexpected"),
    ("x = f'{'\n", "prog.gd:1:7", r"f-string: expecting '}'"),
    ("x = (1, 2\ny = 3\n", "prog.gd:", r"unclosed '\(' opened at 1:5|unexpected"),
    ("x = 1)\n", "prog.gd:1:6", r"unmatched '\)'"),
    ("x = [1, 2)\n", "prog.gd:1:10", r"closing '\)' does not match '\[' opened at 1:5"),
    ("  x = 1\n", "prog.gd:1:3", r"unexpected indent"),
    ("if x\n    pass\n", "prog.gd:1:5", r"expected ':'|unexpected"),
    ("x = 1 +\n", "prog.gd:1:8", r"unexpected end of line"),
    ("x = 09\n", "prog.gd:1:5", r"invalid number literal"),
    ("x = '\\N{NO SUCH NAME}'\n", "prog.gd:1:6", r"unknown Unicode character name"),
    ("x\u200b = 1\n", "prog.gd:1:2", r"non-printable character U\+200B"),
    ("def f(:\n    pass\n", "prog.gd:1:7", r"unexpected"),
    ("return 1\n", "prog.gd:1:1", r"'return' outside function"),
    ("break\n", "prog.gd:1:1", r"'break' outside loop"),
    ("x = " + "9" * 5000 + "\n", "prog.gd:1:5", r"integer literal too large"),
])
def test_syntax_errors_point_at_the_place(gd: object, program: str, where: str,
                                          message: str) -> None:
    out = gd(program)  # type: ignore[operator]
    if where.endswith(":"):  # the column is the parser's choice; the line is not
        assert out.rc == 3 and out.stderr.startswith(where), out.describe()
        assert clean_failure_text(out) is None and re.search(message, out.stderr)
    else:
        assert_error(out, 3, where, message)


# ================================================================ runtime errors (exit 4)

@pytest.mark.parametrize("program,where,message", [
    # unknown names, with a suggestion
    ("x = tensr([1.0])", "prog.gd:1:5", r"name 'tensr' is not defined\nx = tensr.*\n +\^~+\n"
     r"hint: did you mean 'tensor'\?"),
    ("y = 1\nprint(z)", "prog.gd:2:7", r"name 'z' is not defined"),
    ("x = ones(2)\nx.summ()", "prog.gd:2:3", r"'Tensor' object has no attribute 'summ'.*\n"
     r"(.*\n)*hint: did you mean 'sum'\?"),
    ("import math\nmath.sqroot(2)", "prog.gd:2:6", r"module 'math' has no attribute 'sqroot'"),
    # wrong arity
    ("x = sin(1, 2, 3)", "prog.gd:1:5", r"sin\(\) takes 1 positional argument but 3 were"),
    ("x = tensor()", "prog.gd:1:5", r'tensor\(\) missing 1 required positional arguments: "data"'),
    ("def f(a, b):\n    return a\nf(1)", "prog.gd:3:1",
     r"f\(\) missing 1 required positional argument: 'b'"),
    ("def f(a):\n    return a\nf(1, 2)", "prog.gd:3:1", r"f\(\) takes 1 positional argument "
     r"but 2 were given"),
    ("def f(a):\n    return a\nf(b=1)", "prog.gd:3:1", r"unexpected keyword argument 'b'"),
    ("x = ones(2).item(1)", "prog.gd:1:5", r"item\(\) takes 0 positional arguments but 1 was"),
    ("print(1, fil=None)", "prog.gd:1:1", r"print\(\) got an unexpected keyword argument 'fil'"),
    ("x = ones(2).sum(dim=0, keepdims=True, bogus=1)", "prog.gd:1:5", r"unexpected keyword"),
    # bad types
    ("x = 1 + 'a'", "prog.gd:1:5", r"unsupported operand type\(s\) for \+: 'int' and 'str'"),
    ("x = 'a' - 1", "prog.gd:1:5", r"unsupported operand type\(s\) for -: 'str' and 'int'"),
    ("x = sin('a')", "prog.gd:1:5", r"error: "),
    ("x = ones(2) + 'a'", "prog.gd:1:5", r"error: "),
    ("x = len(1)", "prog.gd:1:5", r"error: "),
    ("x = ones('a')", "prog.gd:1:5", r"error: "),
    ("x = ones(2)[1.5]", "prog.gd:1:5", r"only integers, slices"),
    ("x = tensor([1.0]).type_as('O')", "prog.gd:1:5", r"error: "),
    ("x = 1\nx()", "prog.gd:2:1", r"'int' object is not callable"),
    ("for i in 5:\n    pass", "prog.gd:1:10", r"'int' object is not iterable"),
    ("a, b = 1", "prog.gd:1:1", r"cannot unpack non-iterable int object"),
    ("a, b = [1, 2, 3]", "prog.gd:1:1", r"too many values to unpack \(expected 2\)"),
    ("x = tensor(1, requires_grad=True)", "prog.gd:1:5", r"floating point.*can require gradients"),
    ("if ones(3):\n    pass", "prog.gd:1:4", r"Boolean value of Tensor with more than one value "
     r"is ambiguous"),
    ("print('a', sep=1)", "prog.gd:1:1", r"sep must be None or a string, not int"),
    ("with 1:\n    pass", "prog.gd:1:6", r"does not support the context manager protocol"),
    ("x = 1 / 0", "prog.gd:1:5", r"division by zero"),
    ("x = [1][5]", "prog.gd:1:5", r"list index out of range"),
    # shape mismatches, in PyTorch's words
    ("x = ones(2) + ones(3)", "prog.gd:1:5", r"The size of tensor a \(2\) must match the size "
     r"of tensor b \(3\) at non-singleton dimension 0"),
    ("a = ones(2, 3)\nb = a @ a", "prog.gd:2:5", r"mat1 and mat2 shapes cannot be multiplied "
     r"\(2x3 and 2x3\)"),
    ("x = ones(6).view(4)", "prog.gd:1:5", r"shape '\[4\]' is invalid for input of size 6"),
    ("x = cat([ones(2), ones(2, 2)])", "prog.gd:1:5", r"error: "),
    ("x = stack([ones(2), ones(3)])", "prog.gd:1:5", r"stack expects each tensor to be equal "
     r"size"),
    ("x = ones(2, 3)[:, :, :]", "prog.gd:1:5", r"too many indices for tensor of dimension 2"),
    ("x = ones(2)\nx[0:2] = ones(3)", "prog.gd:2:1", r"error: "),
    ("x = dot(ones(2), ones(3))", "prog.gd:1:5", r"error: "),
    ("x = ones(2, requires_grad=True)\n(x * 2).backward()", "prog.gd:2:1",
     r"grad can be implicitly created only for scalar outputs"),
    ("x = ones(2, requires_grad=True)\nx.add_(1)", "prog.gd:2:1",
     r"a leaf Variable that requires grad is being used in an in-place operation"),
    ("x = ones(1, requires_grad=True)\ny = x * 2\ny.backward()\ny.backward()", "prog.gd:4:1",
     r"Trying to backward through the graph a second time"),
])
def test_runtime_errors_point_at_the_place(gd: object, program: str, where: str,
                                           message: str) -> None:
    assert_error(gd(program), 4, where, message)  # type: ignore[operator]


def test_a_failed_assert_is_exit_1(gd: object) -> None:
    assert_error(gd("x = 1\nassert x == 2, 'x should be 2'"), 1,  # type: ignore[operator]
                 "prog.gd:2:8", r"x should be 2")


# ================================================================ the command line (exit 2)

PROG = "x = arange(3.0)\ny = (x * x).sum()"


@pytest.mark.parametrize("flags,message", [
    (["--set", "x=[1,2"], r"--set x=\[1,2: unclosed '\[' opened at 1:1"),
    (["--set", "x"], r"--set expects NAME=VALUE, got 'x'"),
    (["--set", "1x=2"], r"--set expects NAME=VALUE, got '1x=2'"),
    (["--set", "x=@missing.json"], r"--set x: cannot read missing.json"),
    (["--set", "x=@bad.json"], r"--set x: bad.json is not valid"),
    (["--set", "x=@deep.json"], r"--set x: deep.json is nested too deeply"),
    (["--set", "x=@obj.npy"], r"--set x: obj.npy is not valid: (Object arrays cannot be "
     r"loaded|Array can't be memory-mapped: Python objects)"),  # never unpickled
    (["--set", "x=@/dev/zero"], r"--set x: /dev/zero is larger than 268,435,456 bytes"),
    (["--set", "x=@ragged.json"], r"--set x: expected sequence of length 2 at dim 1"),
    (["--set", "x=[[1,2],[3]]"], r"--set x: expected sequence of length 2 at dim 1 \(got 1\)"),
    (["--set", "x=nosuchname"], r"--set x=nosuchname: name 'nosuchname' is not defined"),
    (["--set", "x=open('f')"], r"No such file or directory: 'f'"),
    (["--set", "x=10**10**10"], r"integer too large"),
    (["--set", "x=ones(10**10)"], r"exceeds the limit of 50,000,000 elements"),
    (["--set", "x=while True: pass"], r"--set x=while True: pass: "),
    (["--set", "x='abc'"], r"prog.gd:1:1: error: --wrt x: x is a str, not a tensor"),
    (["--wrt", "q"], r"--wrt q: the program never assigns 'q'"),
    (["--wrt", "y"], r"prog.gd:2:1: error: --wrt y: y is not a leaf: it is computed by "
     r"SumBackward0"),
    (["--of", "nope"], r"--of nope: the program has no variable 'nope'"),
    (["--seed", "abc"], r"Invalid value for '--seed'"),
    (["--seed", str(2**70)], r"Invalid value for '--seed'"),
    (["--dtype", "float16"], r"Invalid value for '--dtype'"),
    (["--format", "yaml"], r"Invalid value for '--format'"),
    (["--precision", "99"], r"Invalid value for '--precision'"),
    (["--max-steps", "0"], r"Invalid value for '--max-steps'"),
    (["--max-steps", "abc"], r"Invalid value for '--max-steps'"),
    (["--max-depth", "-1"], r"Invalid value for '--max-depth'"),
    (["--max-elements", "1e3"], r"Invalid value for '--max-elements'"),
    (["--max-memory", "lots"], r"Invalid value for '--max-memory'"),
    (["--max-nesting", "5"], r"Invalid value for '--max-nesting'"),
    (["--max-program-size", "-1"], r"Invalid value for '--max-program-size'"),
    (["--bogus"], r"No such option.*--bogus"),
])
def test_bad_flags_are_usage_errors(gd: object, tmp_path: Path, flags: list[str],
                                    message: str) -> None:
    (tmp_path / "bad.json").write_text("{nope")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "ragged.json").write_text("[[1, 2], [3]]")
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    out = gd(PROG, "--wrt", "x", *flags, command="eval")  # type: ignore[operator]
    assert out.rc == 2, out.describe()
    assert clean_failure_text(out) is None, out.describe()
    assert re.search(message, out.stderr), out.describe()


@pytest.mark.parametrize("command,flags,message", [
    ("grad", ["--order", "0"], r"Invalid value for '--order': 0 is not in the range x>=1"),
    ("grad", ["--order", "-1"], r"Invalid value for '--order': -1 is not in the range"),
    ("grad", ["--order", "abc"], r"Invalid value for '--order': 'abc' is not a valid integer"),
    ("grad", [], r"Missing option '--wrt'"),
    ("jvp", ["--wrt", "x", "--tangent", "[1, 2]"], r"--tangent for x has shape \[2\] but x has "
     r"shape \[3\]"),
    ("jvp", ["--wrt", "x", "--tangent", "'abc'"], r"--tangent: expected a number, a list or a "
     r"tensor expression, got str"),
    ("jvp", ["--wrt", "x", "--tangent", "abc"], r"--tangent abc: name 'abc' is not defined"),
    ("jvp", ["--wrt", "x", "--tangent", "[1,2,3]", "--tangent", "[1,2,3]"],
     r"jvp needs one --tangent per --wrt \(1\), got 2"),
    ("jvp", ["--wrt", "x"], r"Missing option '--tangent'"),
    ("vjp", ["--wrt", "x", "--cotangent", "[1, 2]"], r"--cotangent has shape \[2\] but must "
     r"have shape \[\]"),
    ("vjp", ["--wrt", "x", "--cotangent", "[["], r"--cotangent \[\[: "),
    ("eval", ["--wrt", "x", "--wrt", "x"], r"error: "),
])
def test_bad_command_arguments(gd: object, command: str, flags: list[str], message: str) -> None:
    out = gd(PROG, *flags, command=command)  # type: ignore[operator]
    if out.rc == 0 and command == "eval":  # --wrt given twice may simply be accepted
        return
    assert out.rc == 2, out.describe()
    assert clean_failure_text(out) is None, out.describe()
    assert re.search(message, out.stderr), out.describe()


def test_order_beyond_the_element_cap_is_a_limit_not_a_hang(gd: object) -> None:
    out = gd("x = tensor([1.0, 2.0])\n(x ** 3).sum()", "--wrt", "x", "--order",  # type: ignore
             "30", command="grad")
    assert out.rc == 4 and out.elapsed < 10, out.describe()
    assert "the order-30 derivative would have 1,073,741,824 elements" in out.stderr


@pytest.mark.parametrize("args,message", [
    (["run", "missing.gd"], r"no such file: missing.gd"),
    (["run", "adir"], r"adir is a directory, not a program"),
    (["run", "prog.gd", "-e", "1"], r"give either PROG or -e EXPRESSION, not both"),
    (["run"], r"missing PROG"),
    (["eval", "missing.gd", "--wrt", "x"], r"no such file: missing.gd"),
    (["test", "missing_dir"], r"no such file or directory: missing_dir"),
    (["nosuchcommand"], r"No such command 'nosuchcommand'"),
])
def test_missing_files_and_directories(cli: object, tmp_path: Path, args: list[str],
                                       message: str) -> None:
    (tmp_path / "adir").mkdir()
    (tmp_path / "prog.gd").write_text("x = 1\n")
    out = cli(*args)  # type: ignore[operator]
    assert out.rc == 2, out.describe()
    assert clean_failure_text(out) is None, out.describe()
    assert re.search(message, out.stderr), out.describe()


# ================================================================ errors as JSON

@pytest.mark.parametrize("program,flags,kind,code,line", [
    ("x = 'abc", [], "syntax", 3, 1),
    ("x = 1\ny = z", [], "runtime", 4, 2),
    ("while True:\n    pass", ["--max-steps", "5"], "limit", 4, 1),
    ("x = 1\nassert x == 2", [], "assertion", 1, 2),
    (b"x = '\xff'", [], "syntax", 3, 1),
    ("x = arange(3.0)\n(x * x).sum()", ["--wrt", "q"], "usage", 2, None),
])
def test_errors_in_json_format(gd: object, program: str | bytes, flags: list[str], kind: str,
                               code: int, line: int | None) -> None:
    out = gd(program, *flags, "--format", "json", command="eval")  # type: ignore[operator]
    assert out.rc == code, out.describe()
    doc = json.loads(out.stdout)
    error = doc["error"]
    assert set(error) >= {"kind", "message", "file", "line", "column"}
    assert error["kind"] == kind and error["line"] == line, error
    assert error["file"] == "prog.gd"
    assert "Traceback" not in out.stderr


# ================================================================ numerical anomalies

@pytest.mark.parametrize("program,command,where,message", [
    ("x = tensor([1.0, 0.0])\ny = log(x)\nz = y * 2", "run", "prog.gd:2:5",
     r"anomaly detected: 'log' produced inf in the forward pass at line 2:5\n(.*\n)*hint: the "
     r"usual cause is log of zero"),
    ("x = tensor([0.0, 1.0], requires_grad=True)\ny = (x / x).sum()", "run", "prog.gd:2:5",
     r"'div' produced nan in the forward pass at line 2:5"),
    ("def f(v):\n    return exp(v * 100)\nx = tensor([1.0, 2.0])\ny = f(x)", "run", "prog.gd:2:12",
     r"'exp' produced inf in the forward pass at line 2:12"),
    ("x = tensor([1.0, 0.0], requires_grad=True)\ny = sqrt(x)\nz = y.sum()\nz.backward()",
     "run", "prog.gd:2:5", r"anomaly detected in the backward pass: Function 'SqrtBackward0' "
     r"returned inf values in its 0th output \(the gradient of 'sqrt' at line 2:5\)"),
    ("x = tensor(0.0)\ny = x * sqrt(x)\ny", "eval", "prog.gd:2:9",
     r"Function 'SqrtBackward0' returned nan values in its 0th output \(the gradient of "
     r"'sqrt' at line 2:9\)"),
    ("x = tensor([1.0, 0.0])\ny = sqrt(x).sum()", "jvp", "prog.gd:2:5",
     r"the forward-mode derivative \(tangent\) of 'sqrt' is inf at line 2:5"),
    ("x = tensor([1.0, 2.0])\nx", "eval-nan", "prog.gd:",
     r"produced nan in the forward pass at line \d+:\d+ \(an input already held nan or inf"),
])
def test_detect_anomaly_names_the_first_op_and_its_line(gd: object, program: str, command: str,
                                                        where: str, message: str) -> None:
    flags = ["--detect-anomaly"]
    if command in ("eval", "jvp"):
        flags += ["--wrt", "x"]
    if command == "jvp":
        flags += ["--tangent", "[1.0, 1.0]"]
    if command == "eval-nan":
        command, program = "eval", program.replace("\nx", "\ny = (x * 2).sum()\ny")
        flags += ["--set", "x=[1.0, float('nan')]"]
    out = gd(program, *flags, command=command)  # type: ignore[operator]
    assert out.rc == 4, out.describe()
    assert clean_failure_text(out) is None, out.describe()
    assert out.stderr.startswith(where), out.describe()
    assert re.search(message, out.stderr), out.describe()
    # Without the flag the same program runs, with nan and inf as PyTorch has them.
    plain = gd(program, *flags[1:], command=command)  # type: ignore[operator]
    assert plain.rc == 0, plain.describe()


def test_detect_anomaly_reports_the_first_of_several(gd: object) -> None:
    program = ("x = tensor([0.0, 1.0])\na = log(x)\nb = sqrt(x - 2)\nc = a + b")
    out = gd(program, "--detect-anomaly")  # type: ignore[operator]
    assert out.rc == 4 and out.stderr.startswith("prog.gd:2:5: error: "), out.describe()
    assert "'log' produced inf" in out.stderr


def test_detect_anomaly_backward_matches_pytorch_wording(gd: object) -> None:
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Anomaly Detection has been enabled", traceback
        with torch.autograd.detect_anomaly(check_nan=True):
            x = torch.tensor(0.0, requires_grad=True)
            y = x * torch.sqrt(x)
            with pytest.raises(RuntimeError) as info:
                y.backward()
    theirs = str(info.value).splitlines()[0].rstrip(".")
    out = gd("x = tensor(0.0, requires_grad=True)\ny = x * sqrt(x)\ny.backward()",  # type: ignore
             "--detect-anomaly")
    assert theirs in out.stderr, (theirs, out.describe())
