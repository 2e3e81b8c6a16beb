"""Which tests are `slow`: the inner loop is `pytest -m "not slow"`; plain `pytest` (and CI)
runs everything.

A test is slow when it spends its time outside gradcli's own code paths -- starting
processes, importing PyTorch, sweeping hypothesis examples -- or on one deliberately huge
input. The rules live here, in one table per kind, so the test files stay free of
markers and a new test falls under the rule of its kind automatically:

- SLOW_MODULES: whole files whose every test is one of the kinds below;
- SLOW_FIXTURES: a test using (directly or through another fixture) a fixture that
  starts a process: the fuzz runner's zygote (every CLI run is a forked, resource-capped
  child) or a PyTorch reference computed in a subprocess;
- SLOW_TESTS: single tests by module and name (subprocess runs of `python -m gradcli`,
  in-process PyTorch comparisons, the few huge inputs that take seconds);
- every hypothesis sweep (`@given` with more than SMALL_HYPOTHESIS examples: tens to
  hundreds of cases).

Measured with `pytest --durations=60` (2 shared cores): everything marked here takes
0.1-15 s per test; what stays in the inner loop takes milliseconds, a handful under a
second. On 2026-12-04 the inner loop was ~1,500 tests in ~13 s of CPU (~15 s on a quiet
machine), the whole suite ~3,200 tests in ~110 s of CPU (3-6 min wall, shared).

When the mark expression cannot select a slow test (`-m "not slow"`), the SLOW_MODULES
are not even imported (pytest_ignore_collect): two of them import torch at module level,
which costs seconds before the first test runs.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import host_kernels
import pytest

import gradcli  # noqa: F401  (first, before numpy: its loops as gradcli/__init__.py asks)

#: File name → why every test in it is slow.
SLOW_MODULES: dict[str, str] = {
    "test_ad_torch.py": "PyTorch differential: every op, its JVP and random programs "
                        "against torch (imports torch, hypothesis)",
    "test_fuzz.py": "hypothesis sweeps of the whole CLI, each case a forked child",
    "test_fuzz_torch.py": "hypothesis programs and second-backward cases run under "
                          "PyTorch too (imports torch)",
    "test_bench_smoke.py": "runs bench/run.py --quick in a subprocess (~15 s)",
    "test_r19_kernel_sweeps.py": "size sweeps of the softmax and normalisation kernels "
                                 "against PyTorch (imports torch, ~10 s)",
    "test_fuzz_trust.py": "the Trust classes: hypothesis programs under PyTorch too, and "
                          "every command in forked children (imports torch)",
}

#: Fixture name → why a test using it is slow.
SLOW_FIXTURES: dict[str, str] = {
    "zygote": "runs the CLI in a forked, resource-capped child (tests/fuzz/runner.py)",
    "other_zygote": "runs the CLI in a second forked child",
    "torch_outputs": "test_examples: every example under PyTorch, in a subprocess",
    "torch_says": "test_interp: the differential programs under PyTorch, in a subprocess",
    "torch_ref": "test_app: PyTorch reference numbers, in a subprocess",
    "torch_trust": "test_trust_towers: the tower/name/message programs under PyTorch, in "
                   "a subprocess",
    "python_printed": "test_trust_pybuiltins: the programs under Python + PyTorch, in a "
                      "subprocess",
    "torch_data": "test_data_loader: the torch.utils.data programs under PyTorch, in a "
                  "subprocess",
}

#: (file name, regular expression matched against the test function's name) → why.
SLOW_TESTS: dict[tuple[str, str], str] = {
    ("test_r20_avx512.py", r"test_kernels_are_pytorchs_under_each_capability"):
        "sweeps PyTorch's kernels in a process per ATen capability (imports torch, ~1 min)",
    ("test_cli.py", r"test_process_|test_colour_on_a_terminal"):
        "runs `python -m gradcli` as a subprocess (on a pseudo-terminal for colour)",
    ("test_readme.py", r"test_readme_outputs_are_real"):
        "re-runs every README command as a subprocess",
    ("test_render.py", r"test_json_and_plain_do_not_import_rich"):
        "a fresh interpreter, to see which modules get imported",
    ("test_torch_repr.py", r"_vs_torch$|test_format_value_vs_python_print"):
        "prints the same tensors with torch (imports torch)",
    ("test_rng.py", r"_torch$"): "draws the same numbers with torch (imports torch)",
    ("test_hostile_input.py", r"matches_pytorch_wording$"): "imports torch",
    ("test_r20_print.py", r"test_torch_prints_"): "runs the pins under PyTorch "
                                                  "(imports torch)",
    ("test_ad_semantics.py", r"test_million_op_chain"): "a million-node graph (~7 s)",
    ("test_long_tapes.py", r"_100k$"): "a 100,000-iteration loop under every view (~60 s)",
    ("test_syntax.py", r"test_ten_thousand_line_program_parses|"
                       r"test_error_too_deep_never_recursion|test_parser_cache_is_private"):
        "huge inputs, or the grammar analysed three times (1.5-4 s each)",
}

#: A hypothesis test with at most this many examples is a check, not a sweep: it stays in
#: the inner loop (test_ad_rules' node-recording check: 5 cases per rule).
SMALL_HYPOTHESIS = 10

_HYPOTHESIS = "a hypothesis sweep (more than SMALL_HYPOTHESIS examples)"


def slow_reason(item: pytest.Item) -> str | None:
    """Why `item` is slow, or None."""
    module = Path(str(item.fspath)).name
    if module in SLOW_MODULES:
        return SLOW_MODULES[module]
    for fixture in getattr(item, "fixturenames", ()):
        if fixture in SLOW_FIXTURES:
            return SLOW_FIXTURES[fixture]
    name = getattr(item, "originalname", None) or item.name
    for (file, pattern), reason in SLOW_TESTS.items():
        if module == file and re.search(pattern, name):
            return reason
    test = getattr(item, "obj", None)
    if getattr(test, "is_hypothesis_test", False) and _examples(test) > SMALL_HYPOTHESIS:
        return _HYPOTHESIS
    return None


def _examples(test: object) -> int:
    """How many examples a hypothesis test runs (its @settings, else the profile's)."""
    from hypothesis import settings

    chosen = getattr(test, "_hypothesis_internal_use_settings", None) or settings.default
    return int(getattr(chosen, "max_examples", settings.default.max_examples))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        reason = slow_reason(item)
        if reason is not None:
            item.add_marker(pytest.mark.slow(reason=reason))
        host = host_kernels.reason(item.nodeid)
        if host is not None:
            item.add_marker(pytest.mark.xfail(reason=host, strict=False))


def _never_selects_slow(config: pytest.Config) -> bool:
    """True when the -m expression is false for every test marked slow, whatever its
    other marks (e.g. "not slow", "not slow and not x"); False when unsure."""
    text = config.getoption("markexpr", "") or ""
    if not text.strip() or "(" in text:  # marker keyword matching: not worth the risk
        return False
    try:
        from _pytest.mark.expression import Expression

        expression = Expression.compile(text)
    except Exception:
        return False
    # pytest's identifier syntax, minus the operators: the other marks in the expression.
    words = sorted(set(re.findall(r"(?:\w|:|\+|-|\.|\[|\]|\\|/)+", text))
                   - {"and", "or", "not", "slow"})
    if len(words) > 8:
        return False
    for values in itertools.product((False, True), repeat=len(words)):
        marks = dict(zip(words, values, strict=True), slow=True)
        try:
            if expression.evaluate(lambda name, marks=marks: marks.get(name, False)):
                return False
        except Exception:
            return False
    return True


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path.name in SLOW_MODULES and _never_selects_slow(config):
        return True
    return None


_ORIGINAL_SETTINGS: dict[int, object] = {}


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each case of a parametrized hypothesis test starts from the test's own settings.

    hypothesis's pytest plugin (6.170) wraps such a test's settings in one more layer per
    case it runs; past ~950 cases (the PyTorch sweep) reading them overflows the recursion
    limit. The layer it adds is only a suppressed health check, which it adds again."""
    fn = getattr(getattr(item, "obj", None), "__func__", getattr(item, "obj", None))
    if not getattr(fn, "is_hypothesis_test", False) or item.get_closest_marker(
            "parametrize") is None:
        return
    key = id(fn)
    if key not in _ORIGINAL_SETTINGS:
        _ORIGINAL_SETTINGS[key] = fn._hypothesis_internal_use_settings  # type: ignore[union-attr]
    fn._hypothesis_internal_use_settings = _ORIGINAL_SETTINGS[key]  # type: ignore[union-attr]


@pytest.fixture
def avx512_host():
    """torch with PyTorch's default two threads, on an Intel AVX-512 host only (where MKL
    runs the AVX-512 kernels the MKL sweeps, tests/test_r2*_mkl.py, model); skips elsewhere."""
    from gradcli.ad.kernels import mkl_path

    torch = pytest.importorskip("torch")
    if not mkl_path.mkl_avx512():
        pytest.skip("MKL runs its AVX2 kernels here (not an Intel AVX-512 host)")
    torch.set_num_threads(2)  # measured with PyTorch's default two threads on that host
    return torch
