"""Tutorial programs, round 18: numpy's out= keyword as the PyTorch tensors tutorial's
numpy bridge writes it (`np.add(n, 1, out=n)`, then the tensor torch.from_numpy made of n
shows the change), and the methods' out= (`a.sum(axis=0, out=m)`).

Each case is a program valid under both gd and PyTorch; with torch installed the test
compares gd's output with PyTorch's (and numpy's), byte for byte (tests/pyrun.py).
"""

from __future__ import annotations

import pytest
from pyrun import gd_output, torch_output

PRELUDE = ("import numpy as np\nimport torch\n"
           "def tryit(f):\n    try:\n        print('ok', f())\n"
           "    except Exception as e:\n        print(type(e).__name__, e)\n")

CASES = {
    "bridge": "n = np.ones(5)\nt = torch.from_numpy(n)\nr = np.add(n, 1, out=n)\n"
              "print(r is n, n, t)\nnp.multiply(n, n, out=n)\nprint(t)\n",
    "tensor-numpy-view": "t = torch.arange(4.0)\nn = t.numpy()\nnp.exp(n, out=n)\nprint(t)\n"
                         "np.subtract(n, 1.5, out=n)\nprint(t, n.dtype)\n",
    "method-out": "a = np.arange(6.0).reshape(2, 3)\nm = np.zeros(3)\n"
                  "print(a.sum(axis=0, out=m) is m, m)\nc = np.zeros((2, 1))\n"
                  "print(a.max(axis=1, keepdims=True, out=c), c)\n"
                  "print(a.cumsum(out=np.zeros(6)))\nd = np.zeros((2, 3))\n"
                  "print(a.clip(1, 4, out=d) is d, d)\n",
    "function-out": "a = np.linspace(0, 1, 5)\nb = np.zeros(5)\nnp.sqrt(a, out=b)\nprint(b)\n"
                    "np.clip(b, 0.2, 0.8, out=b)\nprint(b)\nnp.maximum(a, b, out=a)\nprint(a)\n"
                    "q, r = np.zeros(3), np.zeros(3)\n"
                    "print(np.add(np.ones(3), 2, out=(q,))[0] is q, q)\n",
    "out-errors": "i = np.arange(3)\ntryit(lambda: np.add(i, 1, out=[1, 2, 3]))\n"
                  "tryit(lambda: np.ones(2).sum(out=torch.ones(1)))\n"
                  "tryit(lambda: np.add(np.ones(2), 1, out=np.zeros(3)))\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gd_prints_what_pytorch_prints(name: str) -> None:
    text = PRELUDE + CASES[name]
    assert gd_output(text) == torch_output(text)


def _torch(x):
    torch = pytest.importorskip("torch")
    import numpy as np

    return torch.from_numpy(np.ascontiguousarray(x)).clone()


# nn.Linear(k, n < 12)'s forward x @ Wᵀ on batches past 2^16 products (MNIST's 784 inputs
# by 10 classes from a batch of 32: mkl_gemm.lane_columns, which had a cap of 2^16), and
# one-row / one-column products past 2^15 (gemv on W: a single sample through
# nn.Linear(784, 64), a batch through nn.Linear(784, 1)).
LINEAR = [(32, 10, 784), (64, 10, 784), (256, 10, 784), (32, 8, 300), (100, 11, 1000),
          (3, 64, 784), (2, 500, 784), (1, 64, 784), (1, 128, 1000), (256, 1, 784),
          (1000, 1, 200)]


@pytest.mark.parametrize("case", LINEAR, ids=[str(c) for c in LINEAR])
def test_linear_forward_is_pytorchs(case: tuple[int, int, int]) -> None:
    import numpy as np

    torch = pytest.importorskip("torch")
    from gradcli.ad.kernels import linalg as KL

    m, n, k = case
    rng = np.random.default_rng(m * 7 + n * 131 + k)
    x = rng.standard_normal((m, k)).astype(np.float32)
    w = rng.standard_normal((n, k)).astype(np.float32)
    want = torch.nn.functional.linear(_torch(x), _torch(w)).numpy()
    assert KL.product(x, w.T).tobytes() == want.tobytes()
    assert KL.product(x, w.T).tobytes() == torch.mm(_torch(x), _torch(w).t()).numpy().tobytes()


MNIST_LOGISTIC = """
import torch
from torch import nn
torch.manual_seed(0)
X = torch.randn(32, 784)
y = torch.randint(0, 10, (32,))
lin = nn.Linear(784, 10)
out = lin(X)
print(out[:2])
l = nn.CrossEntropyLoss()(out, y)
l.backward()
print(l.item(), lin.weight.grad.sum().item(), lin.bias.grad)
print(lin(X[:1]), nn.Linear(784, 64)(X[:1]).sum().item(), nn.Linear(784, 1)(X).sum().item())
"""


def test_mnist_shaped_linear_prints_what_pytorch_prints() -> None:
    assert gd_output(MNIST_LOGISTIC) == torch_output(MNIST_LOGISTIC)


# oneDNN's float32 convolution on an AVX-512 CPU: blocks of 16 input channels, each summed
# from +0, the bias added to the first block's sum (kernels/onednn_conv.py); on AVX2 the
# one running sum from the bias. Channels across one, two and three blocks of either.
CONV = """
import torch
import torch.nn.functional as F
torch.manual_seed(0)
for cin, cout, k, stride, pad, dil, n, size, bias in [
        (1, 6, 5, 1, 0, 1, 1, 32, True), (3, 4, 3, 1, 1, 1, 2, 10, True),
        (6, 16, 5, 1, 0, 1, 1, 14, True), (8, 4, 3, 2, 1, 1, 2, 9, False),
        (12, 4, 3, 1, 0, 2, 2, 11, True), (16, 8, 3, 1, 1, 1, 2, 8, True),
        (17, 4, 3, 1, 0, 1, 2, 8, True), (24, 6, 2, 2, 0, 1, 2, 9, True),
        (33, 3, 3, 1, 1, 1, 1, 7, False), (40, 2, 3, 1, 0, 1, 2, 6, True)]:
    x = torch.randn(n, cin, size, size)
    w = torch.randn(cout, cin, k, k)
    b = torch.randn(cout) if bias else None
    y = F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dil)
    print(cin, y.sum().item(), y.flatten()[:3].tolist(), y.flatten()[-1].item())
net = torch.nn.Conv2d(1, 6, 5)
print(net(torch.randn(1, 1, 32, 32))[0, :, 0, :4])
"""


def test_onednn_convolution_prints_what_pytorch_prints() -> None:
    assert gd_output(CONV) == torch_output(CONV)
