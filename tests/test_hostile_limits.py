"""Limits (SPEC §3, issue 6): each ends the run with a clear message and exit 4, each has
a documented default and a flag, and no RecursionError, MemoryError or hang reaches the
user; the process never gets close to the machine's memory.

| limit                          | flag               | default            |
|--------------------------------|--------------------|--------------------|
| loop iterations + calls        | --max-steps        | 2,000,000          |
| nested gd calls                | --max-depth        | 200                |
| elements of one tensor         | --max-elements     | 50,000,000         |
| memory the program holds       | --max-memory       | 2 GiB              |
| program text                   | --max-program-size | 1,000,000 bytes    |
| brackets / expression depth    | --max-nesting      | 200                |
| what the program prints        | --max-output       | 100,000,000 chars  |
| CPU time of a command          | --max-time         | 25 s               |
| Python strings, lists, tuples  | (fixed)            | 10,000,000 items   |
| Python integers                | (fixed)            | 100,000 bits       |

Every case runs the real console script in an isolated child (tests/fuzz/runner.py)
under a hard address-space cap of 2 GiB above the interpreter and a 60 s CPU cap, so a
limit that failed would fail the test, not the machine. Memory-hungry cases lower
--max-memory so that the limit under test is the one that fires.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz.runner import Outcome, Zygote, clean_failure_text

from gradcli.ad.tensor import State
from gradcli.interp import limits
from gradcli.limits import DEFAULT_LIMITS

MiB = 1 << 20


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    z = Zygote(tmp_path_factory.mktemp("zygote"))
    yield z
    z.close()


@pytest.fixture
def gd(zygote: Zygote, tmp_path: Path) -> object:
    def run(program: str | bytes, *flags: str, command: str = "run",
            stdin: bytes = b"") -> Outcome:
        path = tmp_path / "prog.gd"
        if isinstance(program, str):
            program = program.encode()
        path.write_bytes(program)
        return zygote.run([command, "prog.gd", *flags], cwd=tmp_path, stdin=stdin,
                          env={"HOME": str(zygote.scratch)})

    return run


def assert_limit(out: Outcome, message: str, *, line: int | None = None,
                 seconds: float = 90, peak_mib: float = 1200) -> None:
    """Exit 4 with the message at the program's line, in time, within memory.

    `seconds` guards against a hang (the limit must stop the program, not the test's
    timeout), not a speed claim: it is far above a quiet machine's few seconds, so a
    loaded CI box does not fail it. Speed is measured in bench/."""
    problem = clean_failure_text(out)
    assert problem is None, f"{problem}\n{out.describe()}"
    assert out.rc == 4, out.describe()
    assert re.search(message, out.stderr), out.describe()
    if line is not None:
        assert re.match(rf"prog\.gd:{line}:\d+: error: ", out.stderr), out.describe()
    assert out.elapsed < seconds, out.describe()
    assert out.maxrss < peak_mib * MiB, out.describe()


# ================================================================ documented defaults

def test_defaults_are_the_documented_ones() -> None:
    assert DEFAULT_LIMITS.max_steps == 2_000_000
    assert DEFAULT_LIMITS.max_depth == 200
    assert State.max_elements == 50_000_000
    assert DEFAULT_LIMITS.max_memory == State.max_memory == 2 << 30
    assert DEFAULT_LIMITS.max_program_size == 1_000_000
    assert DEFAULT_LIMITS.max_nesting == 200
    assert DEFAULT_LIMITS.max_output == 100_000_000
    assert DEFAULT_LIMITS.max_time == 25
    assert limits.MAX_SEQUENCE == 10_000_000 and limits.MAX_INT_BITS == 100_000


def test_every_limit_flag_is_in_the_help_with_its_default(gd: object, tmp_path: Path) -> None:
    out = gd("", "--help")  # type: ignore[operator]
    text = " ".join(out.stdout.split())
    for flag, default in [("--max-steps", "2,000,000"), ("--max-depth", "200"),
                          ("--max-elements", "50,000,000"), ("--max-memory", "2G"),
                          ("--max-program-size", "1,000,000"), ("--max-nesting", "200"),
                          ("--max-output", "100M"), ("--max-time", "25")]:
        assert flag in text, flag
        assert re.search(re.escape(flag) + r".*?\[default: " + re.escape(default), text), flag


# ================================================================ steps

def test_endless_loop_stops_at_the_default_step_limit(gd: object) -> None:
    out = gd("x = 0\nwhile True:\n    pass")  # type: ignore[operator]
    assert_limit(out, r"step limit reached: more than 2,000,000 loop iterations and calls",
                 line=2, seconds=30)
    assert "--max-steps" in out.stderr


@pytest.mark.parametrize("program,line", [
    ("for i in range(10**9):\n    pass", 1),
    ("i = 0\nwhile i >= 0:\n    i += 1", 2),
    ("def f(n):\n    return n + 1\nwhile True:\n    f(1)", 2),
    ("x = ones(10, requires_grad=True)\ny = x\nwhile True:\n    y = y * 1.0", 3),
])
def test_step_limit_flag(gd: object, program: str, line: int) -> None:
    out = gd(program, "--max-steps", "5000")  # type: ignore[operator]
    assert_limit(out, r"step limit reached: more than 5,000 loop iterations and calls")


def test_step_limit_counts_calls_not_only_loops(gd: object) -> None:
    program = "def f(n):\n    if n == 0:\n        return 0\n    return f(n - 1) + 1\nf(150)"
    assert gd(program, "--max-steps", "1000").rc == 0  # type: ignore[operator]
    out = gd(program, "--max-steps", "100")  # type: ignore[operator]
    assert_limit(out, r"step limit reached: more than 100 ")


# ================================================================ recursion depth

@pytest.mark.parametrize("program", [
    "def f(n):\n    return f(n + 1)\nf(0)",
    "def f(n):\n    return g(n)\ndef g(n):\n    return f(n)\nf(0)",
    "f = lambda n: f(n + 1)\nf(0)",
    "def f(x):\n    return f(x * 2) + 1\nf(ones(2, requires_grad=True))",
])
def test_infinite_recursion_stops_at_the_default_depth(gd: object, program: str) -> None:
    out = gd(program)  # type: ignore[operator]
    assert_limit(out, r"maximum recursion depth \(200\) exceeded in [\w<>]+\(\)")
    assert "--max-depth" in out.stderr


def test_depth_flag(gd: object) -> None:
    program = "def f(n):\n    if n == 0:\n        return 0\n    return f(n - 1) + 1\nf(100)"
    assert gd(program).rc == 0  # type: ignore[operator]
    assert_limit(gd(program, "--max-depth", "50"),  # type: ignore[operator]
                 r"maximum recursion depth \(50\) exceeded in f\(\)", line=4)


def test_deep_recursion_with_the_highest_depth_flag_is_still_a_clean_limit(gd: object) -> None:
    """Beyond what the host interpreter can nest, the error is the same limit, not a
    RecursionError traceback or a crashed process."""
    out = gd("def f(n):\n    return f(n + 1) + 1\nf(0)", "--max-depth", "10000")  # type: ignore
    assert_limit(out, r"maximum recursion depth")


@pytest.mark.parametrize("use", ["print(x)", "y = tensor(x)", "y = str(x)", "y = len(str(x))",
                                 "y = x == [x]", "y = f'{x}'"])
def test_deeply_nested_values_are_a_limit(gd: object, use: str) -> None:
    out = gd(f"x = []\nfor i in range(100000):\n    x = [x]\n{use}")  # type: ignore[operator]
    assert_limit(out, r"maximum recursion depth exceeded", line=4)


@pytest.mark.parametrize("use", ["print(x)", "y = tensor(x)", "y = str(x)"])
def test_self_containing_list_is_a_limit(gd: object, use: str) -> None:
    out = gd(f"x = [1]\nx.append(x)\n{use}")  # type: ignore[operator]
    assert out.rc in (0, 4), out.describe()
    assert clean_failure_text(out) is None, out.describe()


# ================================================================ elements per allocation

@pytest.mark.parametrize("program,elements", [
    ("x = ones(100000, 100000)", "10,000,000,000"),
    ("x = zeros(10**5, 10**5, requires_grad=True)", "10,000,000,000"),
    ("x = randn(10**9)", "1,000,000,000"),
    ("x = arange(0.0, 1e12, 1.0)", "1,000,000,000,000"),
    ("x = eye(10**9)", "1,000,000,000,000,000,000"),
    ("x = full((10**5, 10**5), 1.0)", "10,000,000,000"),
    ("x = ones(1, 10**5) * ones(10**5, 1)", "10,000,000,000"),
    ("x = outer(ones(10**5), ones(10**5))", "10,000,000,000"),
    ("x = broadcast_to(ones(1), (10**5, 10**5))", "10,000,000,000"),
    ("x = ones(1, 10**5).expand(10**5, 10**5).sum()", "10,000,000,000"),
    ("x = where(ones(10**5, 1) > 0, ones(1, 10**5), 0.0)", "10,000,000,000"),
    ("x = diag(ones(10**5))", "10,000,000,000"),
    ("x = ones(10**4, 1, 1, 3) @ ones(1, 10**4, 3, 1)", "100,000,000"),
    ("x = tensor([[1.0] * 10**4] * 10**4)", "100,000,000"),
    ("x = ones(30_000_000)\ny = cat([x, x])", "60,000,000"),
])
def test_element_cap_per_allocation(gd: object, program: str, elements: str) -> None:
    out = gd(program, "--max-memory", "1G")  # type: ignore[operator]
    assert_limit(out, rf"tensor of {elements} elements exceeds the limit of 50,000,000 "
                 r"elements", line=program.count("\n") + 1, peak_mib=900)
    assert "--max-elements" in out.stderr


def test_element_cap_flag(gd: object) -> None:
    assert gd("x = ones(1000)", "--max-elements", "1000").rc == 0  # type: ignore[operator]
    out = gd("x = ones(1000)\ny = x.reshape(10, 100) + ones(3, 1, 1)",  # type: ignore[operator]
             "--max-elements", "1000")
    assert_limit(out, r"tensor of 3,000 elements exceeds the limit of 1,000 elements", line=2)


def test_repeated_tensor_doubling_hits_the_element_cap(gd: object) -> None:
    out = gd("x = ones(1)\nwhile True:\n    x = cat([x, x])")  # type: ignore[operator]
    assert_limit(out, r"tensor of 67,108,864 elements exceeds the limit", line=3)


# ================================================================ Python values

@pytest.mark.parametrize("program,message", [
    ("x = 10**10**10", r"integer too large"),
    ("x = 9**9**9", r"integer too large"),
    ("x = 2**1_000_000", r"integer too large"),
    ("x = 3\nwhile True:\n    x = x * x", r"integer too large"),
    ("import math\nx = math.factorial(10**7)", r"math.factorial\(10000000\) is an integer"),
    ("import math\nx = math.comb(10**7, 5 * 10**6)", r"math.comb\(10000000, 5000000\)"),
    ("s = 'ab'\nwhile True:\n    s = s + s", r"sequence of 16,777,216 items exceeds"),
    ("l = [0]\nwhile True:\n    l = l + l", r"sequence of 16,777,216 items exceeds"),
    ("l = [0]\nwhile True:\n    l.extend(l)", r"list of 16,777,216 items exceeds"),
    ("l = [0]\nwhile True:\n    l += l", r"16,777,216 items exceeds"),
    ("x = 'a' * 10**8", r"sequence of 100,000,000 items exceeds"),
    ("x = list(range(10**9))", r"list\(\) of 1,000,000,000 items"),
    ("x = sum(range(10**12))", r"sum\(\) of 1,000,000,000,000 items"),
    ("x = max(range(10**12))", r"max\(\) of 1,000,000,000,000 items"),
    ("x = enumerate(range(10**9))", r"enumerate\(\) of"),
    ("x = zip(range(10**9), range(10**9))", r"zip\(\) of"),
    ("x = 'a'.ljust(10**9)", r"string of 1,000,000,000 characters"),
    ("x = 'a'.center(10**9)", r"string of 1,000,000,000 characters"),
    ("x = ('ab' * 10**6).replace('a', 'ab' * 10**6)", r"exceeds the limit"),
    ("x = ''.join(['a' * 10**6] * 100)", r"string of 100,000,000 characters"),
    ("x = f'{1:>999999999}'", r"format width or precision 999999999 exceeds"),
    ("x = f'{1.0:.999999999f}'", r"format width or precision 999999999 exceeds"),
    ("x = '{:>{}}'.format(1, 10**9)", r"format width or precision 1000000000 exceeds"),
    ("x = '%*d' % (10**9, 1)", r"format width 1,000,000,000 exceeds"),
    ("x = ones(20_000_000).tolist()", r"tolist\(\) of 20,000,000 items"),
    ("x = list(ones(5_000_000))", r"would make 5,000,000 tensors"),
    ("a, b = range(10**12)", r"too many values to unpack \(expected 2\)"),
])
def test_python_values_are_capped_before_the_work(gd: object, program: str,
                                                  message: str) -> None:
    out = gd(program, "--max-memory", "1G")  # type: ignore[operator]
    if "unpack" in message:  # a plain runtime error: the cap is on materializing it
        assert out.rc == 4 and re.search(message, out.stderr), out.describe()
        return
    assert_limit(out, message, seconds=10, peak_mib=900)


def test_iterating_a_huge_tensor_is_lazy(gd: object) -> None:
    """`for row in t` takes rows as it goes: bounded by the step limit, not by first
    building 50M tensors."""
    out = gd("n = 0\nfor v in ones(50_000_000):\n    n += 1", "--max-steps",  # type: ignore
             "20000")
    assert_limit(out, r"step limit reached", peak_mib=600)


# ================================================================ total memory

@pytest.mark.parametrize("program", [
    "l = []\nwhile True:\n    l.append(ones(1_000_000))",
    "x = ones(1000, requires_grad=True)\ny = x\nwhile True:\n    y = y * 1.0",
    "l = []\nwhile True:\n    l.append([0] * 1_000_000)",
    "l = []\nwhile True:\n    l.append('x' * 5_000_000 + str(len(l)))",
    "x = ones(1000, 1000)\nl = []\nfor i in range(1000):\n    l.append(x @ x)",
    "x = ones(10_000_000)\nl = []\nwhile True:\n    l.append(x.tolist())",
])
def test_memory_limit_flag(gd: object, program: str) -> None:
    out = gd(program, "--max-memory", "300M")  # type: ignore[operator]
    assert_limit(out, r"memory limit reached: the program holds \d+ MiB, more than the "
                 r"limit of 300 MiB", peak_mib=300 + 200, seconds=30)
    assert "--max-memory" in out.stderr


def test_memory_limit_applies_to_every_command(gd: object) -> None:
    program = "x = ones(1000, requires_grad=True)\ny = x\nfor i in range(10**6):\n" \
              "    y = y * 1.0\ny.sum()"
    for command in ("eval", "grad", "graph", "jacobian"):
        out = gd(program, "--wrt", "x", "--max-memory", "200M",  # type: ignore[operator]
                 command=command)
        assert_limit(out, r"memory limit reached", peak_mib=400, seconds=30)


def test_memory_flag_values(gd: object) -> None:
    for bad in ("abc", "0", "12Q", "-5G", "100"):
        out = gd("x = 1", "--max-memory", bad)  # type: ignore[operator]
        assert out.rc == 2 and "--max-memory" in out.stderr, out.describe()
    for good in ("64M", "1.5G", "1073741824", "512MiB"):
        assert gd("x = ones(10)", "--max-memory", good).rc == 0  # type: ignore[operator]


# ================================================================ program size and nesting

def test_ten_thousand_deep_parentheses(gd: object) -> None:
    out = gd("x = " + "(" * 10_000 + "1" + ")" * 10_000)  # type: ignore[operator]
    assert_limit(out, r"too deeply nested: more than 200 open brackets", line=1)
    assert re.match(r"prog\.gd:1:205: ", out.stderr)
    assert "--max-nesting" in out.stderr


@pytest.mark.parametrize("program", [
    "x = " + "-" * 10_000 + "1",
    "x = " + "not " * 10_000 + "1",
    "x = " + "+".join(["1"] * 50_000),
    "x = " + "**".join(["2"] * 10_000),
    "x = " + " if 1 else ".join(["1"] * 5_000),
    "x = " + "lambda: " * 5_000 + "1",
    "x = [1]\ny = x" + "[0]" * 20_000,
    "def f():\n    return f\nx = f" + "()" * 20_000,
    "if 0:\n    pass\n" + "elif 0:\n    pass\n" * 5_000,
])
def test_deep_expressions_and_statements(gd: object, program: str) -> None:
    out = gd(program)  # type: ignore[operator]
    assert_limit(out, r"too deeply nested \(more than 200 levels\)")


def test_deep_indentation(gd: object) -> None:
    program = "".join(" " * i + "if 1:\n" for i in range(150)) + " " * 150 + "pass\n"
    assert_limit(gd(program), r"too deeply nested: more than 100 indented blocks",  # type: ignore
                 line=102)


def test_nesting_flag(gd: object) -> None:
    program = "x = " + "(" * 900 + "1" + ")" * 900 + "\nprint(x)"
    assert_limit(gd(program), r"more than 200 open brackets")  # type: ignore[operator]
    out = gd(program, "--max-nesting", "1000")  # type: ignore[operator]
    assert out.rc == 0 and out.stdout == "1\n", out.describe()
    out = gd("x = " + "-" * 990 + "1\nprint(x)", "--max-nesting", "1000")  # type: ignore
    assert out.rc == 0 and out.stdout == "1\n", out.describe()
    assert gd("x = ((1))", "--max-nesting", "5").rc == 2  # type: ignore[operator]
    out = gd("x = " + "(" * 20 + "1" + ")" * 20, "--max-nesting", "10")  # type: ignore
    assert_limit(out, r"more than 10 open brackets")


def test_multi_megabyte_one_line_program(gd: object) -> None:
    program = "x = " + "+".join(["1"] * 1_500_000)
    out = gd(program)  # type: ignore[operator]
    assert_limit(out, r"prog\.gd \(3,000,003 bytes\) is larger than the limit of 1,000,000 "
                 r"bytes", seconds=5, peak_mib=200)
    assert "--max-program-size" in out.stderr
    out = gd("x = '" + "a" * 2_500_000 + "'\nprint(len(x))",  # type: ignore[operator]
             "--max-program-size", "3M")
    assert out.rc == 0 and out.stdout == "2500000\n", out.describe()


# Big programs of the slowest shapes to parse (~40 µs per item): a fraction of the size
# limit in CI, just under the full megabyte with GRADCLI_FUZZ_EXAMPLES set.
_BIG = bool(os.environ.get("GRADCLI_FUZZ_EXAMPLES"))


@pytest.mark.parametrize("name,program", [
    ("list", "x = [" + ",".join(["1"] * (490_000 if _BIG else 60_000)) + "]"),
    ("fstring", "x = f'" + "{1}" * (330_000 if _BIG else 60_000) + "'"),
    ("statements", "x = 1\n" * (165_000 if _BIG else 20_000)),
])
def test_big_programs_parse(gd: object, name: str, program: str) -> None:
    """The worst shapes of a program near the size limit parse and run. Their cost per
    item at two sizes (flat: linear; the f-string one took 152 s for a megabyte when
    positions were found quadratically) is timed in bench: `python bench/micro.py parse`."""
    out = gd(program)  # type: ignore[operator]
    assert out.rc == 0 and out.stdout == "" and out.stderr == "", out.describe()


def test_endless_input_is_a_limit_not_a_hang(gd: object, zygote: Zygote,
                                             tmp_path: Path) -> None:
    out = zygote.run(["run", "/dev/zero"], cwd=tmp_path)
    assert_limit(out, r"/dev/zero is larger than the limit of 1,000,000 bytes", seconds=5)
    out = zygote.run(["run", "-"], cwd=tmp_path, stdin=b"x = 1\n" * 400_000)
    assert_limit(out, r"standard input is larger than the limit", seconds=5)
    out = zygote.run(["run", "-e", "x = 1" + " " * 2_000_000], cwd=tmp_path)
    assert_limit(out, r"the -e program is larger than the limit", seconds=5)
    out = zygote.run(["run", "-e", "x = 1", "--max-program-size", "3"], cwd=tmp_path)
    assert_limit(out, r"<expr>: error: the -e program is larger than the limit of 3 bytes")


# ================================================================ limits in every format

def test_a_limit_in_json_format(gd: object) -> None:
    import json

    out = gd("while True:\n    pass", "--max-steps", "10", "--format", "json",  # type: ignore
             command="eval")
    assert out.rc == 4, out.describe()
    error = json.loads(out.stdout)["error"]
    assert error["kind"] == "limit" and error["line"] == 1 and error["column"] == 1
    assert "step limit reached" in error["message"]


# ================================================================ work that multiplies

def test_check_is_bounded(gd: object) -> None:
    """check reruns the program twice per input element: bounded in count and steps."""
    out = gd("x = ones(200000)\n(x * x).sum()", "--wrt", "x", command="check")  # type: ignore
    assert_limit(out, r"check runs the program twice per element of x, which has 200,000 "
                 r"elements \(the limit is 100,000\)", seconds=5)
    out = gd("x = ones(20)\ny = x\nfor i in range(1000):\n    y = y + 0.0\n(y * y).sum()",
             "--wrt", "x", "--max-steps", "5000", command="check")  # type: ignore[operator]
    assert_limit(out, r"step limit reached: the 40 runs of finite differences for x", seconds=10)


@pytest.mark.parametrize("program", [
    "x = ones(100000)\nJ = jacobian(lambda v: v * 2, x)",
    "x = ones(100000)\nH = hessian(lambda v: (v * v).sum(), x)",
])
def test_functional_api_checks_the_result_size_first(gd: object, program: str) -> None:
    assert_limit(gd(program), r"tensor of 10,000,000,000 elements exceeds the limit",  # type: ignore
                 line=2, seconds=5, peak_mib=300)


def test_output_is_capped(gd: object) -> None:
    out = gd("s = 'x' * 10**7\nwhile True:\n    print(s)")  # type: ignore[operator]
    assert_limit(out, r"output limit reached: the program printed more than 100,000,000 "
                 r"characters", line=3, seconds=10)
    assert len(out.stdout_bytes) <= 100_000_000
    out = gd("for i in range(1000):\n    print(i)", "--max-output", "1K")  # type: ignore
    assert_limit(out, r"printed more than 1,024 characters", line=2)
    assert out.stdout.splitlines()[-1] == "282"  # everything up to the limit was printed


@pytest.mark.parametrize("program,line", [
    ("x = ones(1500, 1500)\nwhile True:\n    x = x @ x / 1500", 3),  # expensive steps
    ("while True:\n    pass", 1),
    ("x = ones(1000, requires_grad=True)\ny = (x * 2).sum()\nfor i in range(10**6):\n"
     "    y.backward(retain_graph=True)", 3),
])
def test_time_limit_flag(gd: object, program: str, line: int) -> None:
    out = gd(program, "--max-time", "1", "--max-steps", str(10**12))  # type: ignore[operator]
    assert_limit(out, r"time limit reached: the command ran for more than 1 s", line=line,
                 seconds=6)
    assert "--max-time" in out.stderr
    assert gd("while True:\n    pass", "--max-time", "0", "--max-steps", "1000").rc == 4  # type: ignore
