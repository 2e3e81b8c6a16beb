"""Fuzzing the whole command line (issue 6): gradcli never crashes, hangs or leaks.

Two generators (tests/fuzz/strategies.py):
- a grammar-aware one: random well-formed gd programs over the whole language
  (statements, blocks, functions, every operator, built-ins with right and wrong
  arities, attributes, indexing, f-strings, imports, huge numbers, escape attempts);
- byte-level mutations of the example programs (flips, cuts, duplications, insertions
  of tricky tokens and invalid bytes, splices).

Each program runs through the real console script in an isolated child
(tests/fuzz/runner.py) under a step cap, a memory cap, an address-space cap and a
time cap, with `run` and, for some, `eval --wrt x`, `grad`, `graph`, `explain` or
`check`. The invariants: the exit status is a documented one other than 70 (0, 1,
2, 3, 4), there is no Python traceback and no internal error, a failure has an error
message, the run finishes well within the caps, no file appears in the working
directory, and the output carries no colour codes (stdout is not a terminal).
A third test reruns programs in every format and demands identical bytes; a fourth
evaluates programs that draw random numbers alone and as several `--batch` lines (one
process, `--jobs` 1 and 2) and demands the same result every time: no state (the random
generator was one) leaks from one evaluation to the next.

CI runs a bounded, derandomized set; GRADCLI_FUZZ_EXAMPLES=N runs N random cases per
generator instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz.runner import Outcome, Zygote, clean_failure_text, files_under
from fuzz.strategies import fuzz_settings, gd_programs, mutated_examples
from hypothesis import given
from hypothesis import strategies as st

LIMITS = ["--max-steps", "20000", "--max-memory", "512M", "--max-elements", "2000000"]
COMMANDS = [
    ["run"],
    ["eval", "--wrt", "x"],
    ["grad", "--wrt", "x", "--order", "2"],
    ["graph"],
    ["explain", "--wrt", "x"],
    ["check", "--wrt", "x"],
    ["jvp", "--wrt", "x", "--tangent", "ones(3)"],
    ["vjp", "--wrt", "x", "--cotangent", "1.0"],
    ["jacobian", "--wrt", "x"],
    ["run", "--detect-anomaly"],
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    z = Zygote(tmp_path_factory.mktemp("zygote"))
    yield z
    z.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("work")


def fuzz_once(zygote: Zygote, work: Path, program: bytes, command: list[str]) -> Outcome:
    """Run one program and check every invariant."""
    for stale in work.iterdir():
        stale.unlink()
    (work / "prog.gd").write_bytes(program)
    out = zygote.run([*command[:1], "prog.gd", *command[1:], *LIMITS], cwd=work,
                     env={"HOME": str(zygote.scratch)}, seconds=30)
    context = f"\n{out.describe()}\n--- program ---\n{program.decode('utf-8', 'replace')}"
    problem = clean_failure_text(out)
    assert problem is None, problem + context
    assert out.elapsed < 20, "too slow" + context
    assert out.maxrss < 900 << 20, "too much memory" + context
    assert files_under(work) == {"prog.gd"}, f"files appeared: {files_under(work)}" + context
    if b"\x1b" not in program:
        assert not ANSI.search(out.stdout + out.stderr), "colour codes in a pipe" + context
    if out.rc in (3, 4) and "--format" not in command:
        assert re.match(r"prog\.gd(:\d+:\d+)?: error: ", out.stderr), "error shape" + context
    return out


@fuzz_settings(60)
@given(program=gd_programs(), command=st.sampled_from(COMMANDS))
def test_random_programs_never_crash(zygote: Zygote, workdir: Path, program: str,
                                     command: list[str]) -> None:
    fuzz_once(zygote, workdir, program.encode(), command)


@fuzz_settings(100)
@given(program=mutated_examples(),
       command=st.sampled_from([["run"], ["run"], ["run"], ["eval"], ["graph"],
                                ["run", "--format", "json"]]))
def test_mutated_examples_never_crash(zygote: Zygote, workdir: Path, program: bytes,
                                      command: list[str]) -> None:
    fuzz_once(zygote, workdir, program, command)


@pytest.fixture(scope="module")
def other_zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    """A second zygote with another str-hash seed: a separate process in every way that
    could make output differ between two runs of the same command."""
    z = Zygote(tmp_path_factory.mktemp("zygote2"), hash_seed=12345)
    yield z
    z.close()


DETERMINISM_COMMANDS = [
    ["eval", "--format", "table"], ["eval", "--format", "json"], ["eval", "--format", "plain"],
    ["eval", "--wrt", "x", "--format", "json"], ["graph", "--format", "tree"],
    ["graph", "--format", "dot"], ["graph", "--format", "mermaid"],
    ["graph", "--format", "json", "--values"], ["explain", "--wrt", "x", "--format", "plain"],
    ["run"],
]


@fuzz_settings(12)
@given(program=gd_programs(), command=st.sampled_from(DETERMINISM_COMMANDS))
def test_output_is_byte_identical_run_to_run(zygote: Zygote, other_zygote: Zygote,
                                             workdir: Path, program: str,
                                             command: list[str]) -> None:
    """The same command twice, in two processes, gives identical bytes (SPEC 2.2)."""
    first = fuzz_once(zygote, workdir, program.encode(), command)
    second = fuzz_once(other_zygote, workdir, program.encode(), command)
    assert (first.rc, first.stdout_bytes, first.stderr_bytes) == \
        (second.rc, second.stdout_bytes, second.stderr_bytes), program


GRAPH_PROGRAM = (b"x = tensor([0.5, -1.5, 2.0], requires_grad=True)\nw = ones(3, 3) * 0.1\n"
                 b"h = tanh(w @ x)\ny = (h * h).sum() + sin(x).mean()\nprint(y, h.grad_fn)\ny\n")


@pytest.mark.parametrize("command", [*DETERMINISM_COMMANDS, ["check", "--wrt", "x"]])
def test_a_whole_graph_prints_identically_in_two_processes(zygote: Zygote,
                                                           other_zygote: Zygote,
                                                           workdir: Path,
                                                           command: list[str]) -> None:
    first = fuzz_once(zygote, workdir, GRAPH_PROGRAM, command)
    second = fuzz_once(other_zygote, workdir, GRAPH_PROGRAM, command)
    assert first.rc == 0, first.describe()
    assert first.stdout_bytes == second.stdout_bytes and first.stdout_bytes


def test_no_colour_with_no_color_even_when_forced(zygote: Zygote, workdir: Path) -> None:
    program = b"x = tensor([1.0, 2.0], requires_grad=True)\ny = (x * x).sum()\nz = q\n"
    for env in ({"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1", "TERM": "xterm"},
                {"TERM": "xterm-256color"}):
        (workdir / "prog.gd").write_bytes(program)
        for args in (["eval", "prog.gd"], ["graph", "prog.gd"]):
            out = zygote.run(args, cwd=workdir, env={"HOME": str(zygote.scratch), **env})
            assert "\x1b" not in out.stdout + out.stderr, (env, out.describe())


RANDOM_DRAWS = ["randn(3)", "torch.rand(3)", "torch.randint(0, 5, (3,))", "x * randn(3)",
                "torch.nn.functional.dropout(x, 0.5)", "bernoulli(torch.full((3,), 0.3))",
                "randperm(3)", "torch.normal(x, 1.0)", "torch.rand_like(x)"]


@fuzz_settings(10)
@given(program=gd_programs(),
       draws=st.lists(st.sampled_from(RANDOM_DRAWS), min_size=1, max_size=3),
       jobs=st.sampled_from(["1", "2"]))
def test_batch_lines_draw_what_a_fresh_process_draws(zygote: Zygote, workdir: Path,
                                                     program: str, draws: list[str],
                                                     jobs: str) -> None:
    """Class of the bug where --batch lines, plot points and check's reruns drew on from the
    previous evaluation's random state: every evaluation in one process starts where a new
    process starts, so each batch line equals a lone `eval` (and the lines each other)."""
    text = (program + "r = " + " + ".join(draws) + "\nr\n").encode()
    alone = fuzz_once(zygote, workdir, text, ["eval", "--format", "json"])
    (workdir / "prog.gd").write_bytes(text)
    batch = zygote.run(["eval", "prog.gd", "--batch", "-", "--jobs", jobs, *LIMITS],
                       cwd=workdir, stdin=b"{}\n" * 3, env={"HOME": str(zygote.scratch)},
                       seconds=30)
    lines = batch.stdout.splitlines()
    assert len(lines) == 3, batch.describe()
    if alone.rc == 0:
        assert [json.loads(line) for line in lines] == [json.loads(alone.stdout)] * 3, text
    else:
        assert batch.rc == 4 and all('"error"' in line for line in lines), batch.describe()
