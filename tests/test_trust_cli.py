"""The "Trust" round of the command line (SPEC 2.1-2.3, 3): check with the program's own
backward(), --set keeping its binding's form, no silent zero gradients (--allow-unused),
result picking, repeated -e, run --format json, --precision where it means something,
JSON objects in --set files, and the limit defaults.

Each test drives `gradcli.cli.main` through click's CliRunner (stdout and stderr apart) and
asserts exit codes and exact text; PyTorch's own text is a literal here and, where cheap,
checked against torch 2.13 too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gradcli.cli import main
from gradcli.limits import DEFAULT_LIMITS

ENV = {"COLUMNS": "100", "NO_COLOR": None, "FORCE_COLOR": None, "TERM": "dumb"}
ROOT = Path(__file__).parent.parent

UNUSED = ("The differentiated Tensor at index 0 appears to not have been used in the graph. "
          "Set allow_unused=True if this is the desired behavior.")
NO_GRAD = "element 0 of tensors does not require grad and does not have a grad_fn"


def cli(*args: str, input: str | None = None) -> Result:
    """Invoke gradcli in-process; stdout and stderr stay separate."""
    return CliRunner().invoke(main, list(args), input=input, env=ENV, catch_exceptions=False,
                              prog_name="gradcli")


def e(*lines: str) -> list[str]:
    """A program as repeated -e pieces."""
    out: list[str] = []
    for line in lines:
        out += ["-e", line]
    return out


def torch_error(code: str) -> str:
    """The message PyTorch raises running `code` (torch 2.13)."""
    torch = pytest.importorskip("torch")
    try:
        exec(code, {"torch": torch})
    except RuntimeError as err:
        return str(err)
    raise AssertionError("torch raised nothing")


# -- 13: check on a program that calls backward() itself --------------------------------

BACKWARD_PROG = ("x = tensor([1.0, 2.0])", "y = (x * x).sum()", "y.backward()",
                 "print(x.grad)", "y")


@pytest.mark.parametrize("extra", [[], ["--set", "x=[3, 4]"]])
def test_check_with_the_programs_own_backward_prints_once(extra: list[str]) -> None:
    r = cli("check", *e(*BACKWARD_PROG), "--wrt", "x", "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] is True and out["checks"][0]["wrt"] == "x"
    # Only the program's own run prints, exactly as under `run` (SPEC 2.1: the same
    # program prints the same under every command); the float64 reruns print nothing.
    grad = "[6., 8.]" if extra else "[2., 4.]"
    assert out["output"] == f"tensor({grad})\n"
    evaluated = json.loads(cli("eval", *e(*BACKWARD_PROG), "--wrt", "x", "--format", "json",
                               *extra).stdout)
    assert out["output"] == evaluated["output"]
    assert r.stderr == ""


def test_check_with_backward_and_a_leaf_that_requires_grad_by_itself() -> None:
    r = cli("check", *e("x = torch.tensor(1.0, requires_grad=True)", "y = x * x",
                        "y.backward()", "y"), "--wrt", "x", "--set", "x=2", "--format", "plain")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.endswith("OK: 1 input and 1 node rule agree with finite differences\n")


# -- 14: --set replaces the value and keeps the form --------------------------------------

@pytest.mark.parametrize(("program", "value", "printed"), [
    # the program's tensor(…, requires_grad=True) stays a leaf requiring grad
    (("import torch", "x = torch.tensor(1.0, requires_grad=True)", "y = x * 3", "y.backward()",
      "print(x, x.grad)"), "2", "tensor(2., requires_grad=True) tensor(3.)\n"),
    # a float tensor stays float (the program's dtype) when given integers
    (("x = torch.tensor([1.0, 2.0])", "print(x)"), "[3, 4]", "tensor([3., 4.])\n"),
    (("x = torch.tensor([1.0], dtype=torch.float64)", "print(x)"), "[3, 4]",
     "tensor([3., 4.], dtype=torch.float64)\n"),
    # a Python float stays a float, an int an int, a list a list
    (("x = 1.5", "print(x)"), "2", "2.0\n"),
    (("n = 1", "print(n)"), "2", "2\n"),
    (("xs = [1, 2]", "xs.append(3)", "print(xs)"), "[5]", "[5, 3]\n"),
    # an integer tensor given a float is not truncated
    (("k = torch.tensor(1)", "print(k)"), "2.5", "tensor(2.5000)\n"),
])
def test_set_keeps_the_form_of_the_programs_binding(program: tuple[str, ...], value: str,
                                                    printed: str) -> None:
    name = program[1 if program[0] == "import torch" else 0].split(" = ")[0]
    r = cli("run", *e(*program), "--set", f"{name}={value}")
    assert (r.exit_code, r.stdout, r.stderr) == (0, printed, "")


def test_set_tensor_form_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")
    x = torch.tensor(2.0, requires_grad=True)
    (x * 3).backward()
    assert f"{x!s} {x.grad!s}\n" == "tensor(2., requires_grad=True) tensor(3.)\n"


def test_set_keeps_the_form_under_every_command() -> None:
    program = e("x = torch.tensor(1.0, requires_grad=True)", "y = x * x", "y.backward()", "y")
    r = cli("eval", *program, "--set", "x=2", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["result"]["value"] == 4.0
    r = cli("grad", *program, "--set", "x=2", "--wrt", "x", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["derivatives"]["x"]["value"] == 4.0


def test_set_does_not_disturb_the_random_stream() -> None:
    # As if the source said `x = [3, 4]`: the program's randn(2) is not drawn.
    r = cli("run", *e("x = randn(2)", "print(x, randn(1))"), "--set", "x=[3, 4]",
            "--seed", "0")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "tensor([3., 4.]) tensor([1.5410])\n"
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    assert str(torch.randn(1)) == "tensor([1.5410])"


def test_set_expression_of_the_binding_prints_nothing() -> None:
    r = cli("run", *e("x = print('hi') or 2", "print(x)"), "--set", "x=5")
    assert (r.exit_code, r.stdout) == (0, "5\n")


@pytest.mark.parametrize("command", ["run", "eval"])
def test_set_of_a_name_the_program_never_binds_is_a_usage_error(command: str) -> None:
    r = cli(command, *e("x = 1.5", "print(x)"), "--set", "xx=2")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == ("<expr>: error: --set xx: the program never assigns 'xx' (outside "
                        "functions)\nhint: did you mean 'x'?\n")


# -- 15: no silent zero gradients -----------------------------------------------------------

CUTS = [
    (("x = tensor(1.0)", "y = x.detach() * 2", "y"), NO_GRAD, "2:5",
     "the result does not require grad: .detach() at 2:5 cut the graph"),
    (("x = tensor(1.0)", "w = tensor(2.0, requires_grad=True)", "y = x.item() * w", "y"),
     UNUSED, "3:5", "the result is not connected to x through the graph: .item() at 3:5 cut "
     "the graph"),
    (("x = tensor(1.0)", "with torch.no_grad():", "    y = x * 2", "y"), NO_GRAD, "2:6",
     "the result does not require grad; with no_grad() at 2:6 records no graph"),
    (("x = tensor(1.0)", "y = tensor([x, x])", "y.sum()"), NO_GRAD, "2:5",
     "the result does not require grad: torch.tensor() at 2:5 cut the graph"),
    (("x = tensor(1.0)", "w = tensor(2.0, requires_grad=True)", "y = x.data * w", "y"),
     UNUSED, "3:5", "the result is not connected to x through the graph: .data at 3:5 cut "
     "the graph"),
    (("x = tensor(1.0)", "y = float(x) * 2", "y"), NO_GRAD, "2:5",
     "the result does not require grad: float() at 2:5 cut the graph"),
]


@pytest.mark.parametrize(("program", "message", "where", "hint"), CUTS)
@pytest.mark.parametrize("command", ["eval", "grad", "jacobian", "vjp", "jvp"])
def test_a_cut_graph_is_an_error_naming_the_cut(program: tuple[str, ...], message: str,
                                                where: str, hint: str, command: str) -> None:
    extra = {"vjp": ["--cotangent", "1"], "jvp": ["--tangent", "1"]}.get(command, [])
    r = cli(command, *e(*program), "--wrt", "x", *extra)
    assert r.exit_code == 4 and r.stdout == ""
    # (float(x) of a tensor requiring grad warns first, as PyTorch does)
    error = r.stderr[r.stderr.index(f"<expr>:{where}: error:"):]
    first, _, rest = error.partition("\n")
    assert first == f"<expr>:{where}: error: {message}"
    assert rest.endswith(f"hint: {hint}; --allow-unused reports zeros instead\n")


def test_pytorch_says_the_same() -> None:
    assert torch_error("x = torch.tensor(1.0, requires_grad=True)\n"
                       "torch.autograd.grad(x.detach() * 2, [x])") == NO_GRAD
    assert torch_error("x = torch.tensor(1.0, requires_grad=True)\n"
                       "w = torch.tensor(2.0, requires_grad=True)\n"
                       "torch.autograd.grad(x.item() * w, [x])") == UNUSED


def test_allow_unused_reports_marked_zeros() -> None:
    program = e("x = tensor(1.0)", "z = tensor(3.0)", "y = x.detach() * 2 + z * z", "y")
    r = cli("eval", *program, "--wrt", "x", "--wrt", "z", "--allow-unused", "--format", "json")
    assert r.exit_code == 0, r.stderr
    grads = json.loads(r.stdout)["grads"]
    assert grads == {"x": {"shape": [], "dtype": "float32", "value": 0.0, "unused": True},
                     "z": {"shape": [], "dtype": "float32", "value": 6.0}}
    r = cli("eval", *program, "--wrt", "x", "--wrt", "z", "--allow-unused", "--format", "plain")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "result  shape=[]  dtype=float32\n  11.\n\n"
        "gradient ∂out/∂x (not used)  shape=[]  dtype=float32\n  0.\n"
        "  (out.backward() leaves x.grad None)\n\n"
        "gradient ∂out/∂z  shape=[]  dtype=float32\n  6.\n"
        "  (what out.backward() leaves in z.grad)\n")


def test_allow_unused_when_the_result_does_not_require_grad() -> None:
    r = cli("jacobian", *e("x = tensor([1.0, 2.0])", "x.detach() * 2"), "--wrt", "x",
            "--allow-unused", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["jacobian"]["x"] == {
        "shape": [2, 2], "dtype": "float32", "value": [[0.0, 0.0], [0.0, 0.0]], "unused": True}


def test_higher_order_zeros_are_plain_zeros() -> None:
    r = cli("grad", *e("x = tensor(1.0)", "3 * x"), "--wrt", "x", "--order", "2",
            "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["derivatives"]["x"] == {"shape": [], "dtype": "float32",
                                                        "value": 0.0}


# -- 16: the result ---------------------------------------------------------------------------

def test_an_int_result_names_what_was_picked_and_suggests_of() -> None:
    r = cli("eval", *e("x = tensor(2.0)", "y = x * x", "i = 0", "while i < 3:",
                       "    i = i + 1", "i = i"), "--wrt", "x")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (
        "<expr>:6:1: error: the result i is an int, not a tensor or a float (picked as the "
        "last top-level assignment, line 6)\ni = i\n^~~~~\n"
        "hint: name the result with --of NAME (e.g. --of y)\n")


def test_a_bool_expression_result_is_refused() -> None:
    r = cli("eval", *e("x = tensor(2.0)", "1 > 0"))
    assert r.exit_code == 2
    assert r.stderr.startswith("<expr>:2:1: error: the result is a bool, not a tensor or a "
                               "float (picked as the last top-level expression, line 2)\n")


def test_the_last_expression_wins_over_a_later_assignment() -> None:
    r = cli("eval", *e("x = tensor(2.0)", "x * x", "n = x * 10"), "--wrt", "x",
            "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["result"]["value"] == 4.0 and out["grads"]["x"]["value"] == 4.0


def test_a_float_result_is_fine() -> None:
    r = cli("eval", *e("t = 2.5", "t"), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["result"]["value"] == 2.5


# -- 17: repeated -e ------------------------------------------------------------------------

def test_repeated_e_pieces_are_lines_in_order() -> None:
    assert cli("run", "-e", "x=1", "-e", "print(x)").stdout == "1\n"
    r = cli("run", "-e", "x = 2", "-e", "for i in range(3):", "-e", "    y = x * i",
            "-e", "    print(y)")
    assert (r.exit_code, r.stdout) == (0, "0\n2\n4\n")


# -- 18: run --format json, --precision -----------------------------------------------------

def test_run_json_is_one_object() -> None:
    r = cli("run", "-e", "print('hi')", "--format", "json")
    assert (r.exit_code, json.loads(r.stdout), r.stderr) == (0, {"output": "hi\n"}, "")
    r = cli("run", "-e", "print('hi')", "-e", "x + 1", "--format", "json")
    assert r.exit_code == 4 and r.stderr == ""
    assert json.loads(r.stdout) == {"output": "hi\n", "error": {
        "kind": "runtime", "message": "name 'x' is not defined", "file": "<expr>", "line": 2,
        "column": 1, "end_column": 2}}


def test_a_failing_command_keeps_what_the_program_printed() -> None:
    program = e("x = tensor(1.0)", "print('hi')", "x + y")
    r = cli("eval", *program, "--format", "json")
    assert r.exit_code == 4 and json.loads(r.stdout)["output"] == "hi\n"
    r = cli("eval", *program)
    # the "output" section, as on success (issue 13: never lost, in every format)
    assert r.exit_code == 4 and r.stdout == "output  ·  printed by the program\n  hi\n"
    assert r.stderr.startswith("<expr>:3:5: error: name 'y' is not defined\n")


def test_precision_where_it_means_something() -> None:
    r = cli("eval", "-e", "tensor(1.0) / 3", "--precision", "6", "--format", "plain")
    assert (r.exit_code, r.stdout) == (0, "result  shape=[]  dtype=float32\n  0.333333\n")
    r = cli("graph", "-e", "x = tensor(1.0, requires_grad=True) / 3", "--values",
            "--precision", "2", "--format", "plain")
    assert r.exit_code == 0 and "0.33" in r.stdout and "0.333" not in r.stdout


# -- 19: --set @file.json holding an object ------------------------------------------------

def test_set_file_holding_a_json_object_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    path.write_text('{"a": 1}')
    r = cli("run", "-e", "x = 1.0", "--set", f"x=@{path}")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (f"<expr>: error: --set x: {path} holds a JSON object, and gd has no "
                        "dict values here\nhint: give a number, a (nested) list of "
                        "numbers, true/false or a string\n")
    path.write_text('[[1, 2], [3, {"b": 2}]]')
    assert cli("run", "-e", "x = 1.0", "--set", f"x=@{path}").exit_code == 2


# -- 20: limits ----------------------------------------------------------------------------

def test_limit_defaults_are_the_measured_ones() -> None:
    # README "Limits": normal programs need ≤ 250,000 steps; runaways stop within ~15 s.
    assert DEFAULT_LIMITS.max_steps == 2_000_000
    assert DEFAULT_LIMITS.max_time == 25.0
    assert DEFAULT_LIMITS.max_memory == 2 << 30
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| loop iterations plus function calls | 2,000,000 | `--max-steps` |" in readme
    assert ("| CPU time of a command (the process's, all threads) | 25 s (`0`: none) "
            "| `--max-time` |") in readme


@pytest.mark.parametrize(("program", "limit"), [
    (("i = 0", "while True:", "    i = i + 1", "    j = i * 2"), "step limit reached"),
    (("def f(n):", "    if n > 150:", "        return 1", "    return f(n + 1) + f(n + 1)",
      "f(0)"), "step limit reached"),
    (("y = tensor(1.0, requires_grad=True)", "while True:", "    y = y * 1.0"),
     "step limit reached"),
])
def test_runaway_programs_end_with_a_limit_error(program: tuple[str, ...], limit: str) -> None:
    r = cli("run", *e(*program), "--max-steps", "20000")
    assert r.exit_code == 4 and r.stdout == ""
    assert f"error: {limit}: more than 20,000 loop iterations and calls" in r.stderr


def test_a_normal_program_meets_no_limit_at_the_defaults() -> None:
    r = cli("run", str(ROOT / "bench" / "gd" / "w1.gd"))
    assert (r.exit_code, r.stderr) == (0, "")


def test_command_list_descriptions_are_not_cut_off() -> None:
    # click shortens a command's help to 45 characters with "..." unless told otherwise
    r = cli("--help")
    assert r.exit_code == 0
    listing = r.stdout.split("Commands:", 1)[1]
    assert "..." not in listing
    # one line each, whole: every command's line ends its description
    rows = [line for line in listing.splitlines() if line.strip()]
    assert len(rows) == 11, rows
    assert "  check     Autograd against finite differences; exit 1 on a mismatch" in rows
    assert r.stdout.count("gradcli ") >= 3  # three worked examples
