"""Every command takes the same common options (issue 13, item 6), and each one takes effect
under every command: --precision, --seed, --dtype and the --max-* limits, `test` and
`graph` included. The expected texts are PyTorch 2.13's (`torch.manual_seed(7);
print(torch.randn(2))`, `torch.set_printoptions(precision=2)`, ...), checked against
torch itself where it is installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gradcli.cli import commands, main
from gradcli.cli_options import COMMON_NAMES

PROG = ("x = tensor(0.5)\n"
        "print(randn(2), tensor(2.0) / 3, tensor(1.0).dtype)\n"
        "i = 0\n"
        "while i < 50:\n"
        "    i += 1\n"
        "x / 3\n")

#: What PROG prints by default, and under --seed 7, --precision 2, --dtype float64.
PRINTED = {
    (): "tensor([0.9773, 1.1569]) tensor(0.6667) torch.float32",
    ("--seed", "7"): "tensor([-0.1468,  0.7861]) tensor(0.6667) torch.float32",
    ("--precision", "2"): "tensor([0.98, 1.16]) tensor(0.67) torch.float32",
    ("--dtype", "float64"): "tensor([0.9773, 1.1569]) tensor(0.6667) torch.float64",
}

#: Each program command with what it needs besides PROG.
COMMANDS = {
    "run": [],
    "eval": ["--wrt", "x"],
    "grad": ["--wrt", "x"],
    "jvp": ["--wrt", "x", "--tangent", "1"],
    "vjp": ["--wrt", "x", "--cotangent", "1"],
    "jacobian": ["--wrt", "x"],
    "graph": ["--wrt", "x"],
    "check": ["--wrt", "x"],
    "explain": ["--wrt", "x"],
    "plot": ["--wrt", "x", "--from", "0", "--to", "1", "--points", "3"],
}


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"},
                              catch_exceptions=False, prog_name="gradcli")


def printed(command: str, *flags: str) -> str:
    """What the program printed, as the command shows it (JSON's "output")."""
    r = cli(command, "-e", PROG, *COMMANDS[command], *flags, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["output"]


@pytest.fixture
def golden_dir(tmp_path: Path) -> Path:
    (tmp_path / "p.gd").write_text(PROG)
    assert cli("test", str(tmp_path), "--update").exit_code == 0
    return tmp_path


def test_every_command_takes_every_common_option() -> None:
    assert set(commands()) == {*COMMANDS, "test"}
    for name, command in commands().items():
        options = {p.name for p in command.params}
        assert options >= COMMON_NAMES, (name, COMMON_NAMES - options)
        text = cli(name, "--help").stdout
        common = text.split("Common options")[1]
        for flag in ("--precision N", "--dtype", "--seed N", "--max-steps N", "--max-time",
                     "--no-color", "--debug"):
            assert flag in common, (name, flag)


@pytest.mark.parametrize("flags", list(PRINTED))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_seed_precision_and_dtype_reach_the_program_under_every_command(
        command: str, flags: tuple[str, ...]) -> None:
    assert printed(command, *flags) == PRINTED[flags] + "\n"


@pytest.mark.parametrize("flags", list(PRINTED))
def test_seed_precision_and_dtype_reach_the_programs_of_test(golden_dir: Path,
                                                             flags: tuple[str, ...]) -> None:
    r = cli("test", str(golden_dir), *flags, "--format", "json")
    case = json.loads(r.stdout)["cases"][0]
    if not flags:
        assert (r.exit_code, case["status"]) == (0, "pass")
        return
    assert (r.exit_code, case["status"]) == (1, "fail")
    assert "+" + PRINTED[flags] + "\n" in case["diff"]  # the program ran under the flag


def test_the_printed_texts_are_pytorchs() -> None:
    torch = pytest.importorskip("torch")
    import io
    from contextlib import redirect_stdout

    def run(seed: int | None, precision: int, dtype: Any) -> str:
        out = io.StringIO()
        torch.set_default_dtype(dtype)
        torch.set_printoptions(precision=precision)
        try:
            torch.manual_seed(67280421310721 if seed is None else seed)  # gd's unseeded start
            with redirect_stdout(out):
                print(torch.randn(2, dtype=torch.float32), torch.tensor(2.0) / 3,
                      torch.tensor(1.0).dtype)
        finally:
            torch.set_default_dtype(torch.float32)
            torch.set_printoptions(profile="default")
        return out.getvalue().rstrip("\n")

    assert run(None, 4, torch.float32) == PRINTED[()]
    assert run(7, 4, torch.float32) == PRINTED[("--seed", "7")]
    assert run(None, 2, torch.float32) == PRINTED[("--precision", "2")]
    assert run(None, 4, torch.float64).endswith("tensor(0.6667) torch.float64")


# check prints errors (always 3 significant digits), not values: --precision reaches it through
# the program's prints (above).
@pytest.mark.parametrize("command", [c for c in COMMANDS if c not in ("run", "explain",
                                                                      "check")])
def test_precision_sets_the_digits_of_the_values_gradcli_prints(command: str) -> None:
    extra = ["--values"] if command == "graph" else []
    args = [command, "-e", PROG, *COMMANDS[command], *extra, "--format", "plain"]
    default, two = cli(*args).stdout, cli(*args, "--precision", "2").stdout
    assert "0.1667" in default and "0.1667" not in two  # x / 3 at x = 0.5
    assert "0.17" in two
    exact = json.dumps(json.loads(cli(*args[:-2], "--format", "json").stdout).get("result"))
    assert exact == json.dumps(json.loads(cli(*args[:-2], "--format", "json", "--precision",
                                              "2").stdout).get("result"))  # JSON stays exact


def test_explain_precision() -> None:
    args = ["explain", "-e", PROG, "--wrt", "x", "--format", "plain"]
    assert "0.3333" in cli(*args).stdout  # d(x/3)/dx
    two = cli(*args, "--precision", "2").stdout
    assert "0.33" in two and "0.3333" not in two


@pytest.mark.parametrize("command", [*COMMANDS, "test"])
def test_max_steps_stops_a_long_program_with_exit_4(command: str, tmp_path: Path) -> None:
    if command == "test":
        (tmp_path / "p.gd").write_text(PROG)
        assert cli("test", str(tmp_path), "--update").exit_code == 0
        r = cli("test", str(tmp_path), "--max-steps", "10", "--format", "json")
        # the program's limit error is part of its output, so the golden test fails
        assert r.exit_code == 1
        assert "step limit reached: more than 10 loop iterations" in r.stdout
        return
    r = cli(command, "-e", PROG, *COMMANDS[command], "--max-steps", "10")
    assert r.exit_code == 4
    assert "error: step limit reached: more than 10 loop iterations and calls" in r.stderr
    assert "--max-steps" in r.stderr  # the hint names the flag


@pytest.mark.parametrize(("flag", "program", "message"), [
    ("--max-elements=10", "x = tensor(0.5); y = zeros(11); x * 2",
     "exceeds the limit of 10 elements"),
    ("--max-depth=5", "def f(n):\n    return f(n + 1)\nx = tensor(0.5); f(0); x",
     "maximum recursion depth (5) exceeded"),
    ("--max-output=5", "x = tensor(0.5); print('hello world'); x", "output limit"),
    ("--max-program-size=10", "x = tensor(0.5); x * 2", "larger than the limit"),
    ("--max-nesting=10", "x = tensor(0.5); " + "(" * 12 + "x" + ")" * 12,
     "too deeply nested"),
])
@pytest.mark.parametrize("command", ["run", "graph", "check", "plot"])
def test_each_limit_is_taken_by_every_command(command: str, flag: str, program: str,
                                              message: str) -> None:
    r = cli(command, "-e", program, *COMMANDS[command], flag)
    assert r.exit_code in (3, 4), r.output  # a limit: 4; nesting in the parser: 3
    assert message in r.stderr
    assert flag.split("=")[0] in r.stderr


def test_max_time_and_max_memory_are_taken_by_every_command() -> None:
    for command in [*COMMANDS, "test"]:
        args = ["examples"] if command == "test" else ["-e", PROG, *COMMANDS[command]]
        r = cli(command, *args, "--max-time", "100", "--max-memory", "1G", "--format", "json")
        assert r.exit_code == 0, (command, r.output)


def test_every_command_starts_from_the_same_random_state(tmp_path: Path) -> None:
    """Without --seed a command draws what a fresh process (torch's fresh generator) draws:
    a second command in the same process, each --batch line (whatever --jobs) and each
    point of a plot see the same numbers, so the output never depends on what ran before."""
    prog = "x = tensor(1.0)\nx * randn(())\n"
    first = 0.9772631525993347  # torch.manual_seed(67280421310721); torch.randn(())
    for _ in range(2):
        r = cli("eval", "-e", prog, "--wrt", "x", "--format", "json")
        assert json.loads(r.stdout)["result"]["value"] == first
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"x": 1}\n' * 4)
    for jobs in ("1", "2"):
        r = cli("eval", "-e", prog, "--wrt", "x", "--batch", str(lines), "--jobs", jobs)
        assert [json.loads(out)["result"]["value"] for out in r.stdout.splitlines()] == \
            [first] * 4
    r = cli("plot", "-e", prog, "--wrt", "x", "--from", "0", "--to", "1", "--points", "3",
            "--format", "json")
    assert json.loads(r.stdout)["series"]["dy/dx"] == [first] * 3  # a line, not noise


def test_check_reruns_draw_the_recorded_runs_random_numbers() -> None:
    """check's finite-difference reruns start from the recorded run's random state, so a
    program that draws random numbers is differentiated as the fixed function it was
    (before: x * randn(()) drew anew per rerun and failed with an error of 7.7e+05)."""
    for seed in ([], ["--seed", "3"]):
        r = cli("check", "-e", "x = tensor([1.0, 2.0], requires_grad=True)\n"
                "(x * randn(2) + x ** 2 * rand(())).sum()", "--wrt", "x", "--format", "json",
                *seed)
        data = json.loads(r.stdout)
        assert r.exit_code == 0 and data["ok"], r.stdout
        assert data["checks"][0]["max_abs_error"] < 1e-8


@pytest.mark.parametrize("command", [*COMMANDS, "test"])
def test_detect_anomaly_under_every_command(command: str, tmp_path: Path) -> None:
    prog = "x = tensor(0.5)\ny = torch.log(tensor(-0.5))\nx * 2\n"
    message = "error: anomaly detected: 'log' produced nan in the forward pass at line 2:5"
    if command == "test":
        (tmp_path / "p.gd").write_text(prog)
        assert cli("test", str(tmp_path), "--update").exit_code == 0
        assert cli("test", str(tmp_path)).exit_code == 0  # NaN alone is no error
        r = cli("test", str(tmp_path), "--detect-anomaly", "--format", "json")
        assert r.exit_code == 1 and message in r.stdout
        return
    args = [command, "-e", prog, *COMMANDS[command]]
    assert cli(*args).exit_code == 0
    r = cli(*args, "--detect-anomaly")
    assert r.exit_code == 4 and message in r.stderr
