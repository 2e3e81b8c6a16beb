# Modifying, in place, a tensor that the backward pass needs.
#
# exp saves its OUTPUT y for the backward pass (d exp(x)/dx = exp(x) = y).
# Every tensor carries a version counter that in-place operations bump;
# backward compares the saved version with the current one and refuses to use
# a changed value.  This program is expected to fail at `z.backward()`.
# (The fix: y = y + 1 -- a new tensor -- instead of y.add_(1).)
import torch

x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
y = torch.exp(x)
z = (y * 2).sum()       # mul by a constant: does not need y itself
print(z)
y.add_(1)               # allowed now (y is not a leaf), but ExpBackward0 needs y
z.backward()
