"""Round 18's compiled-core experiment, reproducible: build a copy of this tree with its
W2 hot path compiled by Cython, to measure with bench/instructions.py or bench/micro.py.

    python bench/compiled_core/build.py DEST [--typed] [--all] [--cython CYTHON]

Copies gradcli/, bench/ and grammar/ to DEST and compiles, in place there (the extension
module beside the .py, which Python then imports instead):
- by default `gradcli/ad/record.py`, `engine.py` and `graph.py` as they are;
- with `--typed`, record.py and engine.py instead, with the .pxd files beside this script
  (`apply`'s new tensor and node, and the engine loop's node, typed as the C struct of
  their `__slots__`, so their fields are direct stores and loads);
- with `--all`, also the other modules W2's step runs through, as they are.
Then: `python bench/instructions.py --tree DEST` (and `--dtype float64`). Needs Cython 3
(`pip install cython` in any venv: pass its `cython` with --cython), gcc and Python's
headers; run it with the Python that will import the result. Not part of the product:
bench/README.md ("W2") has the numbers and why round 18 did not ship a compiled core.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CORE = ["gradcli/ad/record.py", "gradcli/ad/engine.py", "gradcli/ad/graph.py"]
TYPED = ["gradcli/ad/record.py", "gradcli/ad/engine.py"]
OTHERS = ["gradcli/interp/expressions.py", "gradcli/interp/compiler.py",
          "gradcli/ad/rules/base.py", "gradcli/ad/rules/linalg.py",
          "gradcli/ad/kernels/fused.py", "gradcli/ad/kernels/elementwise.py",
          "gradcli/ad/kernels/linalg.py", "gradcli/ad/ops/backward.py"]
# Tensor's and Node's slots in the order _layout.pxd's structs declare them.
LAYOUT = {
    "Tensor": ["_tangent", "_vc", "_view", "array", "grad", "grad_fn", "inference", "param",
               "requires_grad", "view_mode"],
    "Node": ["freed", "hooks", "inputs", "name", "out", "out_version", "params", "parents",
             "retained", "rule", "seq", "span", "versions"],
}


def slot_offset(descr: object) -> int:
    """A member descriptor's offset in its objects (PyMemberDescrObject.d_member->offset,
    CPython 3.11's layout)."""
    member = ctypes.c_void_p.from_address(id(descr) + 40).value
    assert member is not None
    return ctypes.c_ssize_t.from_address(member + 16).value


def check_layout() -> None:
    """Stop unless the slots sit where _layout.pxd's structs say (CPython sorts them)."""
    sys.path.insert(0, str(ROOT))
    from gradcli.ad.graph import Node, Tensor

    for cls in (Tensor, Node):
        found = [slot_offset(cls.__dict__[n]) for n in LAYOUT[cls.__name__]]
        want = [16 + 8 * i for i in range(len(found))]
        if found != want or cls.__basicsize__ != want[-1] + 8:
            raise SystemExit(f"{cls.__name__}'s slots moved: update _layout.pxd and LAYOUT")


def for_cpdef(source: str) -> str:
    """record.py with apply's two generator expressions as list comprehensions (a cpdef
    function may hold no closure): the same values."""
    edits = [("parents = tuple(\n", "parents = tuple([\n"),
             ("for a in args)\n                versions = (tuple(",
              "for a in args])\n                versions = (tuple(["),
             ("else 0 for a in args)\n", "else 0 for a in args])\n")]
    for old, new in edits:
        if source.count(old) != 1:
            raise SystemExit("record.py's apply changed: update for_cpdef")
        source = source.replace(old, new)
    return source


def compile_module(cython: str, dest: Path, rel: str) -> None:
    """DEST/rel compiled to an extension module beside it."""
    py = dest / rel
    c = py.with_suffix(".c")
    subprocess.run([cython, "-3", "--directive", "annotation_typing=False", str(py), "-o",
                    str(c)], check=True)
    text = c.read_text()
    # A fresh object's slots are NULL: the typed stores must release the old value with
    # XDECREF (Cython's own extension types start at None, so it emits DECREF).
    text = re.sub(r"__Pyx_DECREF_SET\((__pyx_v_(?:t|node|nxt)->)", r"__Pyx_XDECREF_SET(\1",
                  text)
    text = re.sub(r"__Pyx_GOTREF\((__pyx_v_(?:t|node|nxt)->)", r"__Pyx_XGOTREF(\1", text)
    c.write_text(text)
    so = py.with_suffix(sysconfig.get_config_var("EXT_SUFFIX"))
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-I", sysconfig.get_paths()["include"],
                    str(c), "-o", str(so)], check=True)
    print(f"compiled {rel}")


def main(argv: list[str]) -> None:
    """Copy, add the .pxd files if typed, compile."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--typed", action="store_true")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--cython", default="cython")
    args = parser.parse_args(argv)
    dest: Path = args.dest
    if args.typed:
        check_layout()
    ignore = shutil.ignore_patterns("__pycache__", "*.so", "*.c")
    for part in ("gradcli", "bench", "grammar"):
        shutil.copytree(ROOT / part, dest / part, ignore=ignore, dirs_exist_ok=True)
    modules = list(TYPED if args.typed else CORE)
    if args.typed:
        for pxd in ("_layout.pxd", "record.pxd", "engine.pxd"):
            shutil.copy(HERE / pxd, dest / "gradcli/ad" / pxd)
        record = dest / "gradcli/ad/record.py"
        record.write_text(for_cpdef(record.read_text()))
    if args.all:
        modules += OTHERS
    for rel in modules:
        compile_module(args.cython, dest, rel)


if __name__ == "__main__":
    main(sys.argv[1:])
