"""tqdm, matplotlib.pyplot and scikit-learn's data helpers in gd (gradcli/interp/
thirdparty.py, pysklearn.py): a script that shows progress bars or plots prints on
standard output what it prints under Python (the bars go to standard error there, the
plots to windows and files; gd draws neither), and make_moons / make_circles /
train_test_split give scikit-learn's own numbers. The expected texts are CPython 3.11's
with PyTorch 2.13, tqdm 4.67, matplotlib 3.11 and scikit-learn 1.9; each program also
runs live under them when they are installed."""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest
from pyrun import gd_output

CASES = [
    ("""\
import torch
from tqdm import tqdm, trange
x = torch.tensor(2.0, requires_grad=True)
losses = []
for epoch in trange(3, desc="epochs"):
    y = (x * epoch) ** 2
    losses.append(round(y.item(), 4))
print(losses)
pbar = tqdm(range(4), total=4)
for i in pbar:
    pbar.set_description(f"step {i}")
    pbar.set_postfix(loss=1.0)
print(pbar.n, pbar.total, len(pbar))
""", "[0.0, 4.0, 16.0]\n4 4 4\n"),
    ("""\
from tqdm.auto import tqdm
with tqdm(total=10, desc="work") as bar:
    for _ in range(3):
        bar.update(2)
    print(bar.n, bar.total)
tqdm.write("done")
for i, v in enumerate(tqdm([10, 20, 30], leave=False)):
    print(i, v)
""", "6 10\ndone\n0 10\n1 20\n2 30\n"),
    ("""\
import torch
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
xs = torch.linspace(0, 1, 5)
fig, ax = plt.subplots(figsize=(4, 3))
line, = ax.plot(xs.numpy(), (xs ** 2).numpy(), label="x²")
ax.set_xlabel("x")
ax.set_title("square")
ax.legend()
ax.grid(True)
ax.spines["top"].set_visible(False)
fig.tight_layout()
plt.close(fig)
fig, axes = plt.subplots(2, 3)
axes[0, 1].plot([1, 2])
axes[1][2].scatter([1], [2])
for a in axes.flat:
    a.set_xticks([])
print(axes.shape, len(axes), len(axes[0]), len(axes.flatten()))
fig, (a1, a2) = plt.subplots(1, 2)
print(plt.subplots(3, 1)[1].shape)
plt.figure()
plt.plot([3, 1, 2])
plt.xlabel("step")
plt.ylabel("loss")
plt.title("training")
plt.legend(["loss"])
plt.show()
print("plotted", xs.sum().item())
""", "(2, 3) 2 3 6\n(3,)\nplotted 2.5\n"),
]


SKLEARN = [
    ("""\
import torch
from sklearn.datasets import make_moons, make_circles
from sklearn.model_selection import train_test_split
X, y = make_moons(n_samples=200, noise=0.2, random_state=42)
print(X.shape, y.shape, X[:2], y[:10], X.dtype, y.dtype)
Xc, yc = make_circles(100, noise=0.05, factor=0.5, random_state=1)
print(Xc[:2], yc[:5])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
print(X_train.shape, X_test.shape, y_test[:8])
a, b, c, d = train_test_split(torch.tensor(X, dtype=torch.float32), torch.from_numpy(y),
                              test_size=0.3, random_state=7)
print(a.shape, b.shape, d[:5])
print(train_test_split(list(range(10)), random_state=3))
""",
     '(200, 2) (200,) [[-1.10689665  0.04229281]\n'
     ' [ 0.95679964  0.45675049]] [0 0 0 1 1 1 0 1 1 0] float64 int64\n'
     '[[-0.39910417 -0.24312948]\n'
     ' [-0.16490781 -0.45877868]] [1 1 0 1 1]\n'
     '(160, 2) (40, 2) [0 0 0 0 0 1 1 0]\n'
     'torch.Size([140, 2]) torch.Size([60, 2]) tensor([1, 0, 1, 1, 1])\n'
     '[[2, 9, 6, 7, 0, 3, 8], [5, 4, 1]]\n'),
    ("""\
import numpy as np
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
np.random.seed(0)
X, y = make_moons(50)
print(X.sum(), y.sum())
print(train_test_split(np.arange(10), shuffle=False, test_size=3))
""", None),
]


@pytest.mark.parametrize("program,expected", CASES)
def test_gd_prints_what_python_prints(program: str, expected: str) -> None:
    assert gd_output(program) == expected


@pytest.mark.parametrize("program,expected", CASES)
def test_the_expected_text_is_pythons(program: str, expected: str) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("tqdm")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(program, "p.py", "exec"), {})
    assert out.getvalue() == expected


@pytest.mark.parametrize("program,message", [
    ("from tqdm import tqdm\nfor i in tqdm(None):\n    pass",
     "'NoneType' object is not iterable"),
    ("from tqdm import tqdm\nb = tqdm()\nb.colour_map = 1", "'tqdm' object has no attribute"),
    ("from tqdm import tqdm\nlen(tqdm())", "'NoneType' object cannot be interpreted as an integer"),
    ("import matplotlib.pyplot as plt\nplt.figure().frobnicate()",
     "'Figure' object has no attribute 'frobnicate'"),
    ("import matplotlib.pyplot as plt\nplt.subplots(2, 2)[1]['a']",
     "only integers index the axes of plt.subplots"),
    ("import matplotlib.pyplot as plt\nplt.subplots(0, 2)",
     "Number of rows and columns must be positive integers"),
    ("import matplotlib.pyplot as plt\nplt.gca().x = 1", "cannot set 'x'"),
])
def test_misuse_is_a_clean_error(program: str, message: str) -> None:
    out = gd_output(program)
    assert "GdError" in out and message in out, out


@pytest.mark.parametrize("program,expected", SKLEARN)
def test_sklearn_data_helpers_give_sklearns_numbers(program: str, expected: str | None) -> None:
    ours = gd_output(program)
    if expected is not None:
        assert ours == expected
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(program, "p.py", "exec"), {})
    assert ours == out.getvalue()


@pytest.mark.parametrize("program,message", [
    ("from sklearn.model_selection import train_test_split\n"
     "train_test_split([1, 2, 3], [1, 2])", "inconsistent numbers of samples: [3, 2]"),
    ("from sklearn.model_selection import train_test_split\n"
     "train_test_split([1, 2, 3], test_size=1.5)", "test_size=1.5 should be either positive"),
    ("from sklearn.model_selection import train_test_split\n"
     "train_test_split([1, 2], [0, 1], stratify=[0, 1])", "stratify=...) is not supported"),
    ("from sklearn.datasets import make_moons\nmake_moons(10, random_state='x')",
     "cannot be used to seed"),
    ("from sklearn.datasets import make_moons\nmake_moons(10 ** 9)", "n_samples must be in"),
])
def test_sklearn_misuse_is_a_clean_error(program: str, message: str) -> None:
    out = gd_output(program)
    assert "GdError" in out and message in out, out
