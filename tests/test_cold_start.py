"""Cold start (issue 12, W0): a command imports only what its program uses.

`gradcli eval` of a program that names no torch.nn, torch.optim, torch.utils,
torch.distributions or `random` imports none of their gd modules (each family is built the
first time a program looks a name up in it), no check/graph/plot code, and builds the
argument parsers of only the torch functions it calls. Checked on the modules a fresh
process holds, so a regression fails here rather than as a slower benchmark; the families
built on first use are checked to be what they were (the same namespaces, reached by
every path)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pyrun import gd_output, torch_output

ROOT = Path(__file__).resolve().parents[1]

#: Modules a W0 run must not import (a prefix ends in '.').
LAZY = (
    "rich", "gradcli.interp.nn_layers", "gradcli.interp.nn_activations",
    "gradcli.interp.nn_init", "gradcli.interp.nn_parametrize", "gradcli.interp.nn_rnn",
    "gradcli.interp.optim", "gradcli.interp.optim_base", "gradcli.interp.lr_",
    "gradcli.interp.distributions", "gradcli.interp.data", "gradcli.interp.checkpoint",
    "gradcli.app.checking", "gradcli.app.graphing", "gradcli.app.plotting",
    "gradcli.ad.check", "ctypes.util", "gradcli.interp.pyrandom",
)

HARNESS = """
import contextlib, io, json, sys
from gradcli import cli
from gradcli.interp import argcheck

built = []
init = argcheck.Parser.__init__
def counted(self, texts):
    built.append(texts)
    init(self, texts)
argcheck.Parser.__init__ = counted
lazy = tuple(json.loads(sys.argv[2]))
sys.argv = ["gradcli", *json.loads(sys.argv[1])]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        cli.entry()
    except SystemExit as e:
        assert e.code == 0, (e.code, out.getvalue())
print(json.dumps({"output": out.getvalue(), "parsers": len(built),
                  "loaded": sorted(m for m in sys.modules if m.startswith(lazy))}))
"""


def _fresh_process(args: list[str]) -> dict[str, object]:
    """The command line run in a new process: its output, the parsers it built, and the
    LAZY modules it imported."""
    proc = subprocess.run([sys.executable, "-c", HARNESS, json.dumps(args), json.dumps(LAZY)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_eval_imports_none_of_the_families_it_does_not_use() -> None:
    got = _fresh_process(["eval", "-e", "x = arange(4.0)\ny = 2 * dot(x, x)", "--wrt", "x",
                          "--format", "json"])
    assert json.loads(str(got["output"]))["grads"]["x"]["value"] == [0.0, 4.0, 8.0, 12.0]
    assert got["loaded"] == []
    # arange's, dot's, and a few built with their wrappers (~1,200 when all were built)
    assert isinstance(got["parsers"], int) and got["parsers"] <= 10


def test_a_family_loads_when_a_program_names_it() -> None:
    program = ("import torch\nimport torch.nn as nn\nlin = nn.Linear(2, 1)\n"
               "print(type(lin).__name__)\n")
    got = _fresh_process(["run", "-e", program])
    assert got["output"] == "Linear\n"
    loaded = set(got["loaded"])  # type: ignore[arg-type]
    assert {"gradcli.interp.nn_layers", "gradcli.interp.nn_rnn"} <= loaded
    assert not loaded & {"gradcli.interp.optim", "gradcli.interp.distributions"}


# Each family's first use by a submodule import, in a fresh process (in this one, earlier
# tests have built them all already).
FIRST_IMPORTS = """\
import torch
import torch.nn.utils.rnn as rnn
from torch.optim.lr_scheduler import StepLR
import torch.distributions.normal as normal
from torch.utils.data import TensorDataset
import torch.nn.init
import torch.nn as nn
print(rnn.pad_sequence.__name__, StepLR.__name__, normal.Normal.__name__,
      TensorDataset.__name__)
print(nn is torch.nn, torch.nn.utils.rnn is rnn, torch.distributions.normal is normal)
print(torch.nn.init.zeros_.__name__, torch.utils.data.TensorDataset is TensorDataset)
"""


def test_families_built_by_a_submodule_import_are_pytorchs() -> None:
    got = _fresh_process(["run", "-e", FIRST_IMPORTS])
    assert got["output"] == torch_output(FIRST_IMPORTS)
    assert got["output"] == gd_output(FIRST_IMPORTS)



STARTUP_GC = """
import gc, sys
from gradcli import __main__ as entry, cli

seen = []
done = cli.startup_done
def spied():
    seen.append(gc.get_threshold()[0])  # raised while start-up imports
    done()
    seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
cli.startup_done = spied
sys.argv = ["gradcli", "eval", "-e", "x = arange(4.0)\\ny = 2 * dot(x, x)", "--wrt", "x",
            "--format", "json"]
entry._flush_and_exit = lambda status: (sys.stderr.write(repr(seen)), sys.exit(status))
entry.run()
"""


def test_start_up_imports_with_a_high_collector_threshold_then_restores_it() -> None:
    """__main__ raises the collector's first threshold while start-up imports (the young
    collections rescanned its ~280 modules' objects); before the program runs it is
    Python's 700 again and what start-up made is frozen, so a program's own garbage cycles
    are collected as before (Program.run pauses the collector and collects by itself)."""
    from gradcli.__main__ import STARTUP_GC_THRESHOLD

    env = {"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"}  # no re-execution
    proc = subprocess.run([sys.executable, "-P", "-c", STARTUP_GC], capture_output=True,
                          text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["grads"]["x"]["value"] == [0.0, 4.0, 8.0, 12.0]
    assert proc.stderr == repr([STARTUP_GC_THRESHOLD, (700, True)])
