"""Python-heavy PyTorch programs (tests/programs/pyprobe_*.gd), each found a class of
difference with CPython + PyTorch when it was written: exceptions' str/repr and args
(a missing key's KeyError), imports of modules gd does not have (a ModuleNotFoundError an
`except ImportError` catches), Python's exception classes, io.BytesIO with torch.save and
torch.load, scikit-learn's scalers and accuracy_score, f-string and %-formatting. Each is
run under gd and compared with what Python prints."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_language_forms import same_as_python

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = sorted(p.name for p in (ROOT / "tests" / "programs").glob("pyprobe_*.gd"))


def test_the_probes_are_there() -> None:
    assert len(PROGRAMS) >= 5


@pytest.mark.parametrize("name", PROGRAMS)
def test_probe_prints_what_python_prints(name: str) -> None:
    program = (ROOT / "tests" / "programs" / name).read_text(encoding="utf-8")
    got = same_as_python(program)
    assert got.count("\n") >= 4
