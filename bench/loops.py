"""Small training loops, gradcli against PyTorch: µs of CPU per step.

    python bench/loops.py [--steps N] [--reps R] [--peers torch|none] [--tree DIR] [LOOP ...]

Each loop is one program text, valid both as a gd program and as PyTorch: a tiny net (or
a bare tensor) trained for `n` steps the way tutorials and scripts write it (zero_grad,
forward through nn modules, a loss, backward, an optimizer's step). gradcli compiles the
text once (bench/workloads/common.py's way: `n` and `mark` bound over the first
assignments, as `--set` would) and runs it in this process; torch runs the same text with
`exec` in this process too, right after gradcli's run of the same repetition, so both are
measured on the same machine state. The figure is CPU time (`time.thread_time`: the
machine is shared, and both run single-threaded here) between the program's two `mark()`
calls, divided by the steps, the minimum over the repetitions (GC off, as Program.run
does). Not part of the test suite; README's "Limits" explains why this matters: a script
of 10,000 steps has 25 s of CPU.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_HEAD = """import torch
import torch.nn as nn
import torch.nn.functional as F
n = 200
mark = lambda: None
torch.manual_seed(0)
"""

LOOPS: dict[str, str] = {
    "mlp_sgd_mse": """
X = torch.randn(64, 4)
Y = torch.randn(64, 1)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01)
mark()
for step in range(n):
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
mark()
print(loss.item())
""",
    "mlp_adam_class": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 8)
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        return torch.sigmoid(self.fc2(x))

X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
model = Net()
crit = nn.BCELoss()
opt = torch.optim.Adam(model.parameters(), lr=0.05)
mark()
for step in range(n):
    opt.zero_grad()
    loss = crit(model(X), Y)
    loss.backward()
    opt.step()
mark()
print(loss.item())
""",
    "logreg_bcelogits_momentum": """
X = torch.randn(128, 3)
Y = (X[:, :1] > 0).float()
lin = nn.Linear(3, 1)
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(lin.parameters(), lr=0.1, momentum=0.9)
mark()
for step in range(n):
    opt.zero_grad()
    loss = crit(lin(X), Y)
    loss.backward()
    opt.step()
mark()
print(loss.item())
""",
    "softmax_ce_sgd": """
X = torch.randn(96, 5)
y = torch.randint(0, 3, (96,))
lin = nn.Linear(5, 3)
crit = nn.CrossEntropyLoss()
opt = torch.optim.SGD(lin.parameters(), lr=0.1)
mark()
for step in range(n):
    opt.zero_grad()
    loss = crit(lin(X), y)
    loss.backward()
    opt.step()
mark()
print(loss.item())
""",
    "manual_nograd": """
x = torch.randn(100, 1)
y = 3 * x + 2 + 0.1 * torch.randn(100, 1)
w = torch.randn(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.05
mark()
for step in range(n):
    y_pred = x @ w + b
    loss = ((y_pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
mark()
print(loss.item())
""",
    "seq_tanh_sigmoid_bce": """
X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
Y = torch.tensor([[0.], [1.], [1.], [0.]])
model = nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 1), nn.Sigmoid())
crit = nn.BCELoss()
opt = torch.optim.SGD(model.parameters(), lr=1)
mark()
for step in range(n):
    opt.zero_grad()
    cost = crit(model(X), Y)
    cost.backward()
    opt.step()
mark()
print(cost.item())
""",
    "mlp_adamw": """
X = torch.randn(128, 8)
Y = torch.randn(128, 2)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
mark()
for step in range(n):
    opt.zero_grad()
    loss = F.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
mark()
print(loss.item())
""",
    "mlp_rmsprop": """
X = torch.randn(64, 8)
Y = torch.randn(64, 1)
model = nn.Sequential(nn.Linear(8, 16), nn.Sigmoid(), nn.Linear(16, 1))
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
loss_fn = nn.L1Loss()
mark()
for step in range(n):
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
mark()
print(loss.item())
""",
}


def _text(name: str) -> str:
    return _HEAD + LOOPS[name]


class _Marks:
    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self) -> None:
        self.times.append(time.thread_time())

    def span(self) -> float:
        a, b = self.times[-2:]
        return b - a


def gradcli_run(name: str, steps: int, marks: _Marks, out: list[str]):
    """Compile the loop's text as a gd program; returns a callable running it once."""
    from gradcli.interp import Program, RunOptions
    from gradcli.interp.values import Builtin
    from gradcli.source import Source

    ov = {"n": steps, "mark": Builtin("mark", marks, "record the time")}
    prog = Program.compile(Source(f"<loops:{name}>", _text(name)),
                           RunOptions(overrides=ov, write=out.append))
    return prog.run


def torch_run(name: str, steps: int, marks: _Marks, out: list[str]):
    """The same text under PyTorch (`n` and `mark` bound the same way)."""
    lines = [ln for ln in _text(name).splitlines()
             if not ln.startswith(("n = ", "mark = "))]
    code = compile("\n".join(lines), f"<loops:{name}>", "exec")

    def run() -> None:
        env = {"n": steps, "mark": marks,
               "print": lambda *a: out.append(" ".join(map(str, a)) + "\n")}
        exec(code, env)  # the bench's own program text

    return run


def main(argv: list[str]) -> int:
    """Run the chosen loops and print µs per step, gradcli and torch."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("loops", nargs="*", help=f"some of {', '.join(LOOPS)}")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--peers", choices=["torch", "none"], default="torch")
    ap.add_argument("--tree", help="import gradcli from this checkout (A/B two versions)")
    args = ap.parse_args(argv)
    if args.tree:
        sys.path.insert(0, str(Path(args.tree).resolve()))
    names = args.loops or list(LOOPS)
    for bad in set(names) - set(LOOPS):
        ap.error(f"unknown loop {bad}")
    have_torch = False
    if args.peers == "torch":
        try:
            import torch

            torch.set_num_threads(1)
            have_torch = True
        except ImportError:
            pass
    gc.disable()
    import gradcli

    print(f"gradcli from {Path(gradcli.__file__).parent}")
    print(f"{'loop':28s} {'gradcli':>10s} {'torch':>10s} {'ratio':>7s}   (µs/step, CPU, "
          f"min of {args.reps}, {args.steps} steps)")
    for name in names:
        marks = _Marks()
        outs: dict[str, list[str]] = {"gd": [], "torch": []}
        runners = {"gd": gradcli_run(name, args.steps, marks, outs["gd"])}
        if have_torch:
            runners["torch"] = torch_run(name, args.steps, marks, outs["torch"])
        best = {k: float("inf") for k in runners}
        for _ in range(args.reps + 1):  # the first repetition warms up
            for k, run in runners.items():
                outs[k].clear()
                run()
                best[k] = min(best[k], marks.span())
        us = {k: v / args.steps * 1e6 for k, v in best.items()}
        t = us.get("torch")
        tail = f"{t:10.1f} {us['gd'] / t:7.1f}" if t else f"{'-':>10s} {'-':>7s}"
        same = "" if not t or outs["gd"] == outs["torch"] else \
            f"   (prints differ: {''.join(outs['gd']).strip()} vs {''.join(outs['torch']).strip()})"
        print(f"{name:28s} {us['gd']:10.1f} {tail}{same}", flush=True)
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
