"""Training-loop programs (tests/programs/optim_*.txt: schedulers, samplers, nn.init,
nn.utils, torch.save/load), each with what PyTorch 2.13 prints: gd must print the same,
and (where torch is installed) PyTorch must still print the text held there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyrun import gd_output, torch_output

PROGRAMS = Path(__file__).resolve().parent / "programs"


def _cases() -> list[tuple[str, str, str]]:
    out = []
    for path in sorted(PROGRAMS.glob("optim_*.txt")):
        for part in path.read_text(encoding="utf-8").split("\n#---\n"):
            lines = part.splitlines()
            name = next(line[len("# case: "):] for line in lines if line.startswith("# case: "))
            program = "".join(line + "\n" for line in lines
                              if not line.startswith(("#>", "# ")))
            expected = "".join(line[3:] + "\n" if line.startswith("#> ") else "\n"
                               for line in lines if line.startswith("#>"))
            out.append((f"{path.stem}:{name}", program, expected))
    return out


CASES = _cases()


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_gd_prints_what_pytorch_prints(name: str, program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize(("name", "program", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_expected_text_is_pytorchs(name: str, program: str, expected: str,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # torch.save writes real files: in a scratch directory
    assert torch_output(program) == expected


def test_the_tables_are_all_there() -> None:
    assert len(CASES) >= 10
    assert all(expected for _, _, expected in CASES)


SERIALIZATION_HOSTILE = [
    ('torch.load(3)', "'int' object has no attribute 'read'"),
    ('torch.save({}, 3)', "expected 'f' to be string"),
    ('torch.load("/etc/passwd")', "No such file or directory: '/etc/passwd'"),
    ('torch.save(torch.nn.Linear(1, 1), "m")\ntorch.load("m")', "Weights only load failed"),
    ('torch.save({"f": print}, "p")', "Can't pickle"),
    ('torch.save(open, "p")', ""),
]


@pytest.mark.parametrize(("program", "message"), SERIALIZATION_HOSTILE,
                         ids=[p for p, _ in SERIALIZATION_HOSTILE])
def test_save_and_load_touch_no_file(program: str, message: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = gd_output("import torch\n" + program + "\nprint('reached')\n")
    assert out.startswith("GdError ") and message in out, out
    assert list(tmp_path.iterdir()) == []


def test_a_saved_file_lives_for_one_run() -> None:
    program = ('import torch\ntry:\n    print(torch.load("a.pt"))\nexcept Exception as e:\n'
               '    print(e)\ntorch.save(torch.ones(1), "a.pt")\nprint(torch.load("a.pt"))\n')
    expected = "[Errno 2] No such file or directory: 'a.pt'\ntensor([1.])\n"
    assert gd_output(program) == expected
    assert gd_output(program) == expected  # the next run starts with no files
