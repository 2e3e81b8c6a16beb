"""W0 cold start: a whole process that computes y = 2·dot(x, x) for x = arange(4.0) and
prints dy/dx = [0, 4, 8, 12]. Wall time from spawn to exit, `reps` processes after one
warm-up (so the OS file cache is warm, as for any repeated CLI use).

gradcli: `gradcli eval -e … --wrt x --format json`, twice: as installed in the dev venv
(editable, and PYTHONDONTWRITEBYTECODE=1 is set on these machines, so every start compiles
gradcli's modules) and with cached bytecode (PYTHONPYCACHEPREFIX, what a regular
`pip install .` gives). Peers: `python -c` with torch, jax, HIPS autograd; floors:
`python -c 'import numpy'` and `python -c pass`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.workloads.common import Config, Metrics, System, clock
from bench.workloads.common import main as _main

TITLE = "cold start, whole process"
METRICS = {"wall": "s"}
PROGRAM = "x = arange(4.0)\ny = 2 * dot(x, x)"
WANT = [0.0, 4.0, 8.0, 12.0]
PYCACHE = Path(tempfile.gettempdir()) / "gradcli-bench-pycache"

PEER_CODE = {
    "torch": "import torch\nx = torch.arange(4.0, requires_grad=True)\n"
             "y = 2 * torch.dot(x, x)\ny.backward()\nprint(x.grad.tolist())",
    "jax": "import jax, jax.numpy as jnp\n"
           "print(jax.grad(lambda x: 2 * jnp.dot(x, x))(jnp.arange(4.0)).tolist())",
    "autograd": "import autograd.numpy as np\nfrom autograd import grad\n"
                "print(grad(lambda x: 2 * np.dot(x, x))(np.arange(4.0)).tolist())",
    "numpy": "import numpy",
    "python": "pass",
}


def gradcli_command() -> list[str]:
    """The installed `gradcli` script next to this Python, else `python -m gradcli`."""
    script = Path(sys.executable).with_name("gradcli")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "gradcli"]
    return [*head, "eval", "-e", PROGRAM, "--wrt", "x", "--format", "json"]


def _check_gradcli(out: str) -> None:
    try:
        got = json.loads(out)["grads"]["x"]["value"]
    except (ValueError, KeyError, TypeError):
        got = None
    if got != WANT:
        raise SystemExit(f"gradcli W0: unexpected output {out[:300]!r}")


def _check_list(out: str) -> None:
    if [float(v) for v in json.loads(out.strip().splitlines()[-1])] != WANT:
        raise SystemExit(f"W0: unexpected output {out[:300]!r}")


def _time(cmd: list[str], env: dict[str, str], cfg: Config, check) -> Metrics:
    times = []
    for rep in range(cfg.nreps(10, 2) + 1):
        t0 = clock()
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=Path.home())
        t = clock() - t0
        if p.returncode != 0:
            raise SystemExit(f"W0 {cmd[:3]}: exit {p.returncode}: {p.stderr[-500:]}")
        if check is not None:
            check(p.stdout)
        if rep:
            times.append(t)
    return {"wall": times}


def gradcli_w0(cfg: Config, cached: bool) -> Metrics:
    """The CLI as a user starts it."""
    env = dict(os.environ)
    if cached:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return _time(gradcli_command(), env, cfg, _check_gradcli)


def peer_w0(cfg: Config, name: str) -> Metrics:
    """`python -c CODE` for a peer or a floor."""
    check = _check_list if name not in ("numpy", "python") else None
    return _time([sys.executable, "-c", PEER_CODE[name]], dict(os.environ), cfg, check)


SYSTEMS = [
    System("gradcli", lambda c: gradcli_w0(c, True), kind="gradcli",
           note="bytecode cached, as a regular install"),
    System("gradcli editable", lambda c: gradcli_w0(c, False), kind="gradcli",
           note="dev venv: editable, PYTHONDONTWRITEBYTECODE=1, no .pyc"),
    System("python+torch", lambda c: peer_w0(c, "torch"), ("torch",)),
    System("python+jax", lambda c: peer_w0(c, "jax"), ("jax",), note="jax.grad, no jit"),
    System("python+autograd", lambda c: peer_w0(c, "autograd"), ("autograd",)),
    System("import numpy", lambda c: peer_w0(c, "numpy"), kind="floor", note="the floor"),
    System("python -c pass", lambda c: peer_w0(c, "python"), kind="floor"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
