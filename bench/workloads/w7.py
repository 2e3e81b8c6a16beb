"""W7 parser: parse + compile of a generated 10,000-line gd program, against CPython's
compile() of the same text as Python (the text is valid in both languages).

gradcli: `Program.compile(Source(name, text), RunOptions())` (parse, AST build, compile
to closures). Milliseconds per compile, fresh each time (no tree kept in memory or on
disk); "cache hit" is the same with the tree from the on-disk parse cache.
"""

from __future__ import annotations

from bench.workloads.common import Config, Metrics, System, clock
from bench.workloads.common import main as _main

TITLE = "parse+compile 10k lines"
METRICS = {"compile": "ms", "cache hit": "ms"}

BLOCK = '''\
# block {i}: a function, a loop, a branch and some arithmetic
def f_{i}(a, b=2.0):
    c = a * b + sin(a) - 0.5 * b ** 2
    if c.sum() > 0:
        return tanh(c)
    elif c.sum() < -10:
        return -c
    else:
        return c @ c
x_{i} = tensor([1.0, 2.0, 3.0], requires_grad=True)
w_{i} = [0.5, 1.5, {i}]
for j in range(3):
    x_{i} = x_{i} * 0.5 + f_{i}(x_{i}, b=w_{i}[j])
y_{i} = (x_{i} ** 2).sum() / len(w_{i})
z_{i} = lambda t: exp(-t) * 2 if t > 0 else t
'''


def program_text(lines: int) -> str:
    """About `lines` lines of gd that CPython also compiles."""
    per = BLOCK.count("\n")
    return "".join(BLOCK.format(i=i) for i in range(max(1, lines // per)))


def size(cfg: Config) -> int:
    """Lines (10,000; 200 under --quick)."""
    return cfg.pick(10_000, 200)


def gradcli_w7(cfg: Config) -> Metrics:
    """gradcli: parse + AST + compile to closures, cold (no tree kept in memory or on
    disk); and "cache hit": the same with the tree read from the on-disk parse cache, as
    a second run of an unchanged file does."""
    import os

    from gradcli.interp import Program, RunOptions, runtime
    from gradcli.source import Source

    text = program_text(size(cfg))
    times: dict[str, list[float]] = {"compile": [], "cache hit": []}
    for rep in range(cfg.nreps(5) + 1):
        for metric, cached in (("compile", False), ("cache hit", True)):
            runtime._PARSED.clear()
            if cached:
                os.environ.pop("GRADCLI_NO_CACHE", None)
            else:
                os.environ["GRADCLI_NO_CACHE"] = "1"
            t0 = clock()
            Program.compile(Source("w7.gd", text), RunOptions())
            if rep:
                times[metric].append((clock() - t0) * 1e3)
    os.environ.pop("GRADCLI_NO_CACHE", None)
    return times


def cpython_w7(cfg: Config) -> Metrics:
    """CPython's compile() of the same text (source → bytecode)."""
    text = program_text(size(cfg))
    times = []
    for rep in range(cfg.nreps(5) + 1):
        t0 = clock()
        compile(text, "w7.py", "exec")
        if rep:
            times.append((clock() - t0) * 1e3)
    return {"compile": times}


SYSTEMS = [
    System("gradcli", gradcli_w7, kind="gradcli", note="Program.compile"),
    System("CPython compile()", cpython_w7, kind="floor", note="same text as Python"),
]

if __name__ == "__main__":
    _main(SYSTEMS)
