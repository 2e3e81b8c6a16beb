# Seed tutorial 2, note 3: a leaf that requires grad cannot be modified in place.
#
# The backward pass needs the values of the leaves w and x (dy/dw depends on
# w and x).  Changing w in place would silently corrupt the gradients, so
# PyTorch refuses: this program is expected to fail at `w.add_(1)` with
# "a leaf Variable that requires grad is being used in an in-place operation."
# (To change a parameter's value, do it under `with torch.no_grad():`.)
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

w.add_(1)

y.backward()
