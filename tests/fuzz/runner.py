"""Run `gradcli ARGS` in an isolated child process with hard memory and time limits.

A hostile program must not be able to hurt the test run, whatever it does: each case
runs in its own process, under an address-space cap (RLIMIT_AS) and a CPU-time cap,
with an alarm for wall-clock time, in a scratch working directory. Starting a fresh
interpreter per case costs ~1 s (imports), so a long-lived "zygote" process imports
gradcli once and forks a child per case: the child is a faithful CLI run (the
installed console-script function, real file descriptors 0/1/2, real exit status),
at a cost of a few milliseconds.

Each run reports the exit status (negative: killed by that signal), stdout and stderr
bytes, wall time, the child's peak resident memory, and whether it timed out.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Exit statuses the CLI documents (SPEC 2.3). 70 is documented too, but it means a bug in
# gradcli: the suites treat it as a failure.
DOCUMENTED_EXITS = frozenset((0, 1, 2, 3, 4, 70))
CLEAN_EXITS = frozenset((0, 1, 2, 3, 4))

# Hard caps on every child: no test may take more memory than this (the machine is
# shared), or more time.
CHILD_MEMORY = 2 << 30  # address space above what the zygote already maps
CHILD_SECONDS = 60

_ZYGOTE = r'''
import base64, io, json, os, resource, signal, sys, time, traceback

import gradcli.app, gradcli.cli, gradcli.interp, gradcli.render  # noqa: F401 - warm imports
from importlib.metadata import entry_points

(script,) = [e for e in entry_points(group="console_scripts") if e.name == "gradcli"]
console_main = script.load()
proto_in = os.fdopen(os.dup(0), "rb")
proto_out = os.fdopen(os.dup(1), "wb", buffering=0)
devnull = os.open(os.devnull, os.O_RDWR)
os.dup2(devnull, 0)
os.dup2(devnull, 1)
page = os.sysconf("SC_PAGE_SIZE")


def child(req, paths):
    os.chdir(req["cwd"])
    with open("/proc/self/statm", "rb") as f:
        mapped = int(f.read().split()[0]) * page
    mem = mapped + req["memory"]
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    secs = req["seconds"]
    resource.setrlimit(resource.RLIMIT_CPU, (secs + 1, secs + 2))
    signal.alarm(secs)
    for fd, (path, flags) in enumerate(((paths[0], os.O_RDONLY),
                                        (paths[1], os.O_WRONLY | os.O_TRUNC),
                                        (paths[2], os.O_WRONLY | os.O_TRUNC))):
        os.dup2(os.open(path, flags), fd)
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)))
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)))
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
                                  line_buffering=True)
    os.environ.clear()
    os.environ.update(req["env"])
    sys.argv = ["gradcli", *req["args"]]
    code = 0
    try:
        console_main()
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code & 0xFF)


while True:
    line = proto_in.readline()
    if not line:
        break
    req = json.loads(line)
    tmp = req["tmp"]
    paths = [os.path.join(tmp, n) for n in ("stdin", "stdout", "stderr")]
    with open(paths[0], "wb") as f:
        f.write(base64.b64decode(req["stdin"]))
    for p in paths[1:]:
        open(p, "wb").close()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            child(req, paths)
        finally:
            os._exit(99)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - t0
    if os.WIFSIGNALED(status):
        rc = -os.WTERMSIG(status)
    else:
        rc = os.WEXITSTATUS(status)
    out = {"rc": rc, "elapsed": elapsed, "maxrss": usage.ru_maxrss * 1024,
           "stdout": base64.b64encode(open(paths[1], "rb").read()).decode(),
           "stderr": base64.b64encode(open(paths[2], "rb").read()).decode()}
    proto_out.write((json.dumps(out) + "\n").encode())
'''


@dataclass
class Outcome:
    """What one isolated CLI run did."""

    args: list[str]
    rc: int  # exit status; negative: killed by that signal (SIGALRM/SIGXCPU: a hang)
    stdout_bytes: bytes
    stderr_bytes: bytes
    elapsed: float
    maxrss: int  # the child's peak resident memory, bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8", errors="replace")

    @property
    def timed_out(self) -> bool:
        return self.rc in (-14, -24, -9)  # SIGALRM, SIGXCPU, SIGKILL

    def describe(self) -> str:
        """A one-screen summary for assertion messages."""
        return (f"gradcli {' '.join(self.args)!r}\n  exit {self.rc} in {self.elapsed:.2f}s, "
                f"peak {self.maxrss / 2**20:.0f} MiB\n  stdout: {self.stdout[:800]!r}\n"
                f"  stderr: {self.stderr[:1500]!r}")


class Zygote:
    """A warm process that forks one isolated child per CLI run."""

    def __init__(self, scratch: Path, hash_seed: int = 0) -> None:
        self.scratch = scratch
        self.hash_seed = hash_seed  # two zygotes with different seeds catch output that
        # depends on str hashing (set/dict order), which forked children all share
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": str(self.hash_seed)}
        return subprocess.Popen([sys.executable, "-c", _ZYGOTE], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env)

    def run(self, args: Sequence[str], *, cwd: Path, stdin: bytes = b"",
            env: Mapping[str, str] | None = None, memory: int = CHILD_MEMORY,
            seconds: int = CHILD_SECONDS) -> Outcome:
        """Run the console script with args in cwd; env is the child's whole environment."""
        child_env = {"COLUMNS": "100", "TERM": "dumb", "PATH": os.environ.get("PATH", ""),
                     "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", **(env or {})}
        if "PYTHONPATH" in os.environ:  # the CLI re-executes itself: keep the tree under test
            child_env.setdefault("PYTHONPATH", os.environ["PYTHONPATH"])
        req = {"args": list(args), "cwd": str(cwd), "env": child_env, "memory": memory,
               "seconds": seconds, "tmp": str(self.scratch),
               "stdin": base64.b64encode(stdin).decode()}
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = self._start()
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write((json.dumps(req) + "\n").encode())
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the zygote process died")
        out: dict[str, Any] = json.loads(line)
        return Outcome(list(args), out["rc"], base64.b64decode(out["stdout"]),
                       base64.b64decode(out["stderr"]), out["elapsed"], out["maxrss"])

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


def files_under(path: Path) -> set[str]:
    """Every file and directory below path (relative names), to detect side effects."""
    return {str(p.relative_to(path)) for p in path.rglob("*")}


def clean_failure_text(o: Outcome) -> str | None:
    """Why an outcome breaks the never-crash invariants, or None when it is clean:
    a documented exit status other than 70, no Python traceback, no internal error,
    not killed, and an error message in the documented shape when it failed."""
    if o.timed_out:
        return "timed out (a hang)"
    if o.rc < 0:
        return f"killed by signal {-o.rc}"
    if o.rc not in CLEAN_EXITS:
        return f"exit status {o.rc}"
    if "Traceback (most recent call last)" in o.stderr or "Traceback" in o.stdout:
        return "a Python traceback"
    if "internal error" in o.stderr:
        return "an internal error"
    if o.rc in (3, 4) and "error:" not in o.stderr and '"error"' not in o.stdout:
        return "a failure without an error message"
    return None
