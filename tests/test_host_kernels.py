"""The host-dependent list (tests/host_kernels.py): which tests it marks, and why."""

from __future__ import annotations

import host_kernels


def test_only_listed_tests_are_marked_and_only_on_another_host() -> None:
    listed = next(iter(host_kernels.HOST_DEPENDENT))
    assert host_kernels.reason("tests/test_cli.py::test_anything") is None
    why = host_kernels.host_difference()
    marked = host_kernels.reason(listed + "[x]")
    if why is None:
        assert marked is None
    else:
        assert marked is not None and why in marked and "not modelled" in marked


def test_every_entry_names_a_test_file_that_exists() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for prefix, kernels in host_kernels.HOST_DEPENDENT.items():
        file, _, name = prefix.partition("::")
        assert (root / file).is_file(), prefix
        assert name.startswith("test_") and kernels
        assert name.split("[")[0] in (root / file).read_text(), prefix
