"""The host-dependent list (tests/host_kernels.py): which tests it marks, and why."""

from __future__ import annotations

import host_kernels
import pytest


@pytest.mark.parametrize("kind", range(len(host_kernels.KINDS)))
def test_only_listed_tests_are_marked_and_only_on_another_host(kind: int) -> None:
    tests, probe = host_kernels.KINDS[kind]
    listed = next(p for p in tests if all(p not in t for t, _ in host_kernels.KINDS
                                          if t is not tests))
    assert host_kernels.reason("tests/test_cli.py::test_anything") is None
    why = probe()
    # (a listed id with its own parameters may hold a `*` wildcard: any value there)
    marked = host_kernels.reason(listed.replace("*", "x") if "[" in listed else listed + "[x]")
    if why is None:
        assert marked is None
    else:
        assert marked is not None and why in marked and "not modelled" in marked


def test_every_entry_names_a_test_file_that_exists() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for prefix, kernels in [e for tests, _ in host_kernels.KINDS for e in tests.items()]:
        file, _, name = prefix.partition("::")
        assert (root / file).is_file(), prefix
        assert name.startswith("test_") and kernels
        assert name.split("[")[0] in (root / file).read_text(), prefix


@pytest.mark.parametrize(("value", "vector_bytes"), [
    ("avx2", 32), ("default", 32), ("avx512", 64), ("AVX2", None), ("bogus", None), ("", None)])
def test_aten_cpu_capability_is_read_as_pytorch_reads_it(
        monkeypatch: pytest.MonkeyPatch, value: str, vector_bytes: int | None) -> None:
    """ATEN_CPU_CAPABILITY picks gradcli's vector width exactly where it picks PyTorch's
    kernels: its three spellings taken at their word (even avx512 without AVX-512: PyTorch
    then dies of an illegal instruction, gradcli models AVX-512's kernels), any other value
    ignored (PyTorch warns and detects the CPU, as gradcli does)."""
    from gradcli.ad.kernels import vecmath

    monkeypatch.delenv("ATEN_CPU_CAPABILITY", raising=False)
    detected = vecmath._vector_bytes()
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", value)
    assert vecmath._vector_bytes() == (detected if vector_bytes is None else vector_bytes)
