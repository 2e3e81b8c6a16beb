"""--batch FILE: one JSON line out per JSON line in, in order; bad lines fail alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gradcli.app.batch import line_sets
from gradcli.cli import main
from gradcli.errors import UsageError

PROG = "x = tensor(1.0)\nw = tensor([1.0, 2.0])\nprint('hi')\ny = (w * x ** 2).sum()\n"
LINES = '{"x": 1.5}\n{"x": 2, "w": [3, 4]}\n\nnot json\n{"q": 1}\n{"x": -1}\n'


def cli(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env={"NO_COLOR": "1"},
                              catch_exceptions=False, prog_name="gradcli")


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "p.gd").write_text(PROG)
    (tmp_path / "in.jsonl").write_text(LINES)
    return str(tmp_path / "p.gd"), str(tmp_path / "in.jsonl")


def test_lines_in_order_with_bad_lines_among_good(files: tuple[str, str]) -> None:
    prog, lines = files
    r = cli("eval", prog, "--wrt", "x", "--batch", lines)
    assert r.exit_code == 4  # some line failed
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(out) == 5  # the blank line is skipped
    assert out[0]["result"]["value"] == 6.75 and out[0]["grads"]["x"]["value"] == 9.0
    assert out[1]["result"]["value"] == 28.0 and out[1]["grads"]["x"]["value"] == 28.0
    assert out[0]["output"] == "hi\n"
    assert out[2] == {"input_line": 4, "error": {
        "kind": "usage", "message": "not JSON: Expecting value at column 1",
        "file": prog, "line": None, "column": None}}
    assert out[3]["input_line"] == 5
    assert "--set q: the program never assigns 'q'" in out[3]["error"]["message"]
    assert out[4]["grads"]["x"]["value"] == -6.0  # the good line after the bad ones ran


def test_each_line_is_the_commands_usual_json(files: tuple[str, str], tmp_path: Path) -> None:
    prog, _ = files
    one = tmp_path / "one.jsonl"
    one.write_text('{"x": 1.5}\n')
    batch = json.loads(cli("grad", prog, "--wrt", "x", "--order", "2", "--batch",
                           str(one)).stdout)
    single = json.loads(cli("grad", prog, "--wrt", "x", "--order", "2", "--set", "x=1.5",
                            "--format", "json").stdout)
    assert batch == single


def test_stdin_and_every_command(files: tuple[str, str]) -> None:
    prog, _ = files
    for args in (["jvp", "--tangent", "1"], ["vjp", "--cotangent", "1"], ["jacobian"],
                 ["check"]):
        r = cli(args[0], prog, "--wrt", "x", *args[1:], "--batch", "-",
                input='{"x": 0.5}\n{"x": 2.0}\n')
        assert r.exit_code == 0, r.output
        assert len(r.stdout.splitlines()) == 2


def test_jobs_give_the_same_bytes(files: tuple[str, str], tmp_path: Path) -> None:
    prog, _ = files
    many = tmp_path / "many.jsonl"
    many.write_text("".join(f'{{"x": {i / 10}}}\n' for i in range(40)) + "oops\n")
    runs = [subprocess.run([sys.executable, "-m", "gradcli", "eval", prog, "--wrt", "x",
                            "--batch", str(many), "--jobs", str(jobs)],
                           capture_output=True, check=False) for jobs in (1, 2)]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].returncode == runs[1].returncode == 4
    assert len(runs[0].stdout.splitlines()) == 41


@pytest.mark.parametrize(("text", "sets"), [
    ('{"x": 1.5, "w": [1, 2]}', ["x=1.5", "w=[1, 2]"]),
    ('{"v": "randn(3)", "flag": true}', ["v=randn(3)", "flag=True"]),
])
def test_line_sets(text: str, sets: list[str]) -> None:
    assert line_sets(text) == sets


@pytest.mark.parametrize("text", ["[1, 2]", "3", "{bad"])
def test_a_line_that_is_not_an_object_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        line_sets(text)


def test_missing_batch_file_is_a_usage_error(files: tuple[str, str]) -> None:
    prog, _ = files
    r = cli("eval", prog, "--wrt", "x", "--batch", "/nonexistent.jsonl")
    assert r.exit_code == 2
    assert "--batch /nonexistent.jsonl: No such file or directory" in r.stderr
