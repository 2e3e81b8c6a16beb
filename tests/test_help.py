"""Help for people (issue 13, item 6): `gradcli --help` lists every command on one line that
is not cut off (at COLUMNS=80 and in a pipe), three worked examples whose stated results are
true, and the exit codes once; each command's help is short, lists its own options apart
from the common ones, and prints no twenty-digit range."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gradcli.cli import commands, main

GOLDEN = Path(__file__).parent / "golden" / "help" / "gradcli_80.txt"


def cli(*args: str, columns: str = "80") -> Result:
    return CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": columns},
                              catch_exceptions=False, prog_name="gradcli")


def help_process(columns: str | None) -> str:
    """`gradcli --help` as a process prints it into a pipe (COLUMNS=columns, or unset)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns is not None:
        env["COLUMNS"] = columns
    proc = subprocess.run([sys.executable, "-m", "gradcli", "--help"], capture_output=True,
                          env={**env, "GRADCLI_PROG": "gradcli"}, timeout=60, check=True)
    return proc.stdout.decode()


def test_main_help_golden_at_80_columns() -> None:
    text = help_process("80")
    if os.environ.get("GRADCLI_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), \
        "gradcli --help changed (GRADCLI_UPDATE_GOLDEN=1 to accept it)"
    assert help_process(None) == text  # in a pipe without COLUMNS: the same 80 columns


@pytest.mark.parametrize("columns", ["80", "100", "200"])
def test_every_command_is_listed_whole_on_one_line(columns: str) -> None:
    text = cli("--help", columns=columns).stdout
    listed = text.split("\nCommands:\n", 1)[1].splitlines()
    assert len(listed) == len(commands())
    for line, (name, command) in zip(listed, sorted(commands().items()), strict=True):
        assert line.split(None, 1) == [name, command.short_help]
        assert len(line) <= int(columns) and "..." not in line
    assert all(len(line) <= int(columns) for line in text.splitlines())


def test_the_exit_codes_are_listed_once_and_each_command_points_there() -> None:
    assert cli("--help").stdout.count("0  success") == 1
    for name in commands():
        text = cli(name, "--help").stdout
        assert "Exit codes: see gradcli --help." in text and "0  success" not in text


def _examples() -> list[tuple[str, str]]:
    block = cli("--help").stdout.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
    lines = block.splitlines()
    return [(lines[i].strip(), lines[i + 1].strip()) for i in range(0, len(lines), 2)]


def test_three_worked_examples_say_what_they_compute() -> None:
    examples = _examples()
    assert len(examples) == 3
    results = []
    for command, said in examples:
        argv = shlex.split(command)
        assert argv[0] == "gradcli"
        r = CliRunner().invoke(main, [*argv[1:], "--format", "json"], catch_exceptions=False,
                               env={"COLUMNS": "80"})
        assert r.exit_code == 0, (command, r.output)
        results.append((json.loads(r.stdout), said))
    (ev, said_ev), (grad, said_grad), (plot, said_plot) = results
    assert said_ev == "y = 2·xᵀx at x = [0, 1, 2, 3] is 28; its gradient 4x is [0, 4, 8, 12]"
    assert ev["result"]["value"] == 28.0 and ev["grads"]["x"]["value"] == [0, 4, 8, 12]
    assert said_grad == "the third derivative of x³ (at x = 1): 6"
    assert grad["derivatives"]["x"]["value"] == 6.0
    assert said_plot == "a chart of tanh(x) and its derivative 1 - tanh²(x) for x in [-3, 3]"
    assert (plot["x"][0], plot["x"][-1]) == (-3.0, 3.0)
    for y, dy in zip(plot["series"]["y"], plot["series"]["dy/dx"], strict=True):
        assert dy == pytest.approx(1 - y * y, abs=1e-6)


@pytest.mark.parametrize("name", sorted(commands()))
def test_each_commands_help_is_short(name: str) -> None:
    text = cli(name, "--help").stdout
    assert len(text.splitlines()) <= 60
    assert all(len(line) <= 80 for line in text.splitlines())
    assert not re.search(r"\d{12,}", text), "no twenty-digit numbers (--seed's range)"
    assert not re.search(r"\[\S*x[<>]=", text), "ranges in words, not [x>=1]"
    assert "INTEGER RANGE" not in text
    own, common = text.split("\nCommon options")
    assert "--seed N" in common and "--seed" not in own
    assert "-2**63 to 2**64-1" in " ".join(common.split())
    assert "\n  Example:\n    gradcli " + name in text


@pytest.mark.parametrize("name", sorted(commands()))
def test_each_commands_example_runs(name: str) -> None:
    text = cli(name, "--help").stdout
    argv = shlex.split(text.split("\n  Example:\n", 1)[1].splitlines()[0])
    r = CliRunner().invoke(main, argv[1:], catch_exceptions=False, env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
