# Seed tutorial 2, note 5: `with torch.no_grad():` stops recording.
#
# Recording the graph costs memory and time.  During inference no gradient is
# needed, so wrap the computation in no_grad(): results get no grad_fn and
# requires_grad=False, even though w requires grad.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

with torch.no_grad():
    y = torch.mul(torch.add(w, x), torch.add(w, 1))
print(y, y.requires_grad, y.grad_fn)

# Outside the block, recording is back on.
y = torch.mul(torch.add(w, x), torch.add(w, 1))
print(y)
print(torch.is_grad_enabled())
