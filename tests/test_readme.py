"""The README's promises, checked.

- It begins with `## Quick start` whose first fenced block holds exactly two command lines.
- Every ```console block whose first line is `$ gradcli …` shows that command's real
  output (stdout, then stderr if any, then `[exit N]` when not 0), run from the repo
  root, not on a terminal, COLUMNS=100 unless the line sets it (`$ COLUMNS=72 gradcli
  plot …`: a chart at a fixed width). `GRADCLI_UPDATE_GOLDEN=1 pytest
  tests/test_readme.py` rewrites the blocks from the tool itself.
- The first contact after the quick start: the name, one sentence, the quick start's
  first command's table and a plot.
- The ```sh pipelines run as written (with jq) and give the output the text promises.
- The shell-completion lines are click's, and each produces its shell's script.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n(\$ (?:[A-Z]+=\S+ )*gradcli .*?)```", re.S)


def _split(body: str) -> tuple[str, str]:
    """(command, shown output): the command runs until its quotes close."""
    lines = body.splitlines(keepends=True)
    for n in range(1, len(lines) + 1):
        command = "".join(lines[:n])
        try:
            shlex.split(command[2:])
        except ValueError:
            continue
        return command.rstrip("\n"), "".join(lines[n:])
    raise AssertionError(f"unterminated command in README: {body[:60]!r}")


def _blocks() -> list[tuple[str, str]]:
    return [_split(m.group(1)) for m in BLOCK.finditer(README.read_text())]


def _run(command_line: str) -> str:
    argv = shlex.split(command_line[2:])
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    while "=" in argv[0]:  # NAME=VALUE before the command: its environment
        name, _, value = argv.pop(0).partition("=")
        env[name] = value
    stdin = None
    if "<" in argv:
        i = argv.index("<")
        stdin = (ROOT / argv[i + 1]).read_bytes()
        argv = argv[:i]
    proc = subprocess.run(
        [sys.executable, "-m", "gradcli", *argv[1:]], cwd=ROOT, env=env, input=stdin,
        capture_output=True, timeout=120, check=False)
    out = proc.stdout.decode() + proc.stderr.decode()
    if proc.returncode:
        out += f"[exit {proc.returncode}]\n"
    return out


def test_quick_start_is_two_commands() -> None:
    text = README.read_text()
    assert text.startswith("## Quick start\n")
    quick = text.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", quick, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert "pip install" in lines[0] and "gradcli" in lines[0]
    assert "pip install" in lines[1] and "pytest" in lines[1]


def test_readme_outputs_are_real() -> None:
    blocks = _blocks()
    assert len(blocks) >= 10, "the README shows every command with its output"
    if os.environ.get("GRADCLI_UPDATE_GOLDEN"):
        text = README.read_text()

        def fill(m: re.Match[str]) -> str:
            command, _ = _split(m.group(1))
            return f"```console\n{command}\n{_run(command)}```"

        README.write_text(BLOCK.sub(fill, text))
        pytest.skip("README outputs rewritten")
    for command, shown in blocks:
        assert _run(command) == shown, f"README output of `{command}` is stale"


# -- the supported-ops list, generated from the surface table -------------------------------

OPS_BLOCK = re.compile(r"(<!-- ops:begin.*?-->\n)(.*?)(<!-- ops:end -->)", re.S)

#: README order of the families (a family not listed here comes last, alphabetically).
FAMILY_ORDER = ("creation", "random", "elementwise", "comparison", "reductions", "shape",
                "indexing", "linalg", "nn")


def ops_list() -> str:
    """The README's list of supported ops, by family, from gradcli.ad.ops.surface."""
    from gradcli.ad.ops import FAMILY, SURFACE

    families = sorted(set(FAMILY.values()),
                      key=lambda f: (FAMILY_ORDER.index(f) if f in FAMILY_ORDER
                                     else len(FAMILY_ORDER), f))
    lines = []
    for family in families:
        spellings = [s for s in SURFACE if FAMILY[s] == family]
        parts = []
        for module, label in (("torch", "`torch.`"), ("torch.linalg", "`torch.linalg.`"),
                              ("torch.special", "`torch.special.`"),
                              ("torch.fft", "`torch.fft.`"), ("torch.nn.functional", "`F.`")):
            names = sorted(s[len(module) + 1:] for s in spellings
                           if s.rpartition(".")[0] == module)
            if names:
                parts.append(f"{label} {' '.join(names)}")
        methods = sorted(s[7:] for s in spellings
                         if s.startswith("Tensor.") and not s.endswith("_"))
        inplace = sorted(s[7:] for s in spellings
                         if s.startswith("Tensor.") and s.endswith("_"))
        if methods:
            parts.append(f"methods `x.` {' '.join(methods)}")
        if inplace:
            parts.append(f"in place `x.` {' '.join(inplace)}")
        lines.append(textwrap.fill(f"- **{family}** ({len(spellings)} spellings): "
                                   + "; ".join(parts), width=92, subsequent_indent="  ",
                                   break_on_hyphens=False))
    return "\n".join(lines) + "\n"


def test_readme_ops_list_is_generated_from_the_surface() -> None:
    text = README.read_text()
    m = OPS_BLOCK.search(text)
    assert m is not None, "README lacks the <!-- ops:begin --> … <!-- ops:end --> block"
    if os.environ.get("GRADCLI_UPDATE_GOLDEN"):
        README.write_text(text[:m.start(2)] + ops_list() + text[m.end(2):])
        pytest.skip("README ops list rewritten")
    assert m.group(2) == ops_list(), \
        "README's ops list is stale: GRADCLI_UPDATE_GOLDEN=1 pytest tests/test_readme.py"


# -- first contact, pipelines, shell completion -------------------------------------------

def test_first_contact_follows_the_quick_start() -> None:
    """The name, one sentence of what it is, the quick start's own table and a plot, all
    before the next heading (the house rule keeps `## Quick start` first)."""
    first = README.read_text().split("## Quick start\n", 1)[1].split("\n## ", 1)[0]
    after = first.split("```", 2)[2]  # past the two-command block
    assert after.lstrip("\n").startswith("**gradcli** ")
    commands = [command for command, _ in (_split(m.group(1)) for m in BLOCK.finditer(after))]
    assert commands[0] == "$ gradcli eval examples/quickstart.gd --wrt x"
    assert re.fullmatch(r"\$ COLUMNS=\d+ gradcli plot .*", commands[1])


def _shim(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH finds `gradcli` as this checkout's `python -m gradcli`."""
    shim = tmp_path / "gradcli"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gradcli "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT), "COLUMNS": "100", "NO_COLOR": "1"}


def test_shell_pipelines_print_what_the_readme_says(tmp_path: Path) -> None:
    import shutil

    pipelines = re.findall(r"```sh\n(.*?)```\n\n(?:(?!```).)*```text\n(.*?)```", README.read_text(),
                           re.S)
    assert pipelines, "the --batch section shows a pipeline and what it prints"
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    for command, shown in pipelines:
        proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT,
                              env=_shim(tmp_path), capture_output=True, timeout=120,
                              check=False)
        assert (proc.returncode, proc.stdout.decode()) == (0, shown), proc.stderr.decode()


def test_shell_completion_lines_work() -> None:
    lines = dict(re.findall(r"^\| (bash|zsh|fish) \| .*? \| `(.*)` \|$", README.read_text(),
                            re.M))
    assert set(lines) == {"bash", "zsh", "fish"}
    assert lines["bash"] == 'eval "$(_GRADCLI_COMPLETE=bash_source gradcli)"'
    assert lines["zsh"] == 'eval "$(_GRADCLI_COMPLETE=zsh_source gradcli)"'
    assert lines["fish"] == r"_GRADCLI_COMPLETE=fish_source gradcli \| source"
    script = Path(sys.executable).parent / "gradcli"
    if not script.exists():
        pytest.skip("the gradcli script is not installed beside this Python")
    env = {**os.environ, "PATH": f"{script.parent}{os.pathsep}{os.environ['PATH']}"}
    for shell, first in (("zsh", "#compdef gradcli"), ("fish", "function _gradcli_completion")):
        out = subprocess.run([str(script)], env={**env, "_GRADCLI_COMPLETE": f"{shell}_source"},
                             capture_output=True, check=True).stdout.decode()
        assert out.startswith(first), out[:80]
    # bash, for real: the startup line, then what Tab would offer
    probe = lines["bash"] + """
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
  _gradcli_completion gradcli; echo "${COMPREPLY[*]}"; }
complete_words gradcli ev
complete_words gradcli test --max-s
complete_words gradcli graph --format ''
"""
    out = subprocess.run(["bash", "-c", probe], env=env, capture_output=True, check=True)
    assert out.stdout.decode().splitlines() == ["eval", "--max-steps",
                                                "tree dot mermaid json plain"]
