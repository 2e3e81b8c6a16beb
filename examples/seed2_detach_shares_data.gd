# Seed tutorial 2, note 4: detach() returns a new tensor that SHARES its data
# with the original but is cut from the graph (requires_grad=False).  Writing
# through the detached tensor changes the original too: w becomes 999.
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

y.backward()

w_detach = w.detach()
print(w_detach.requires_grad)
w_detach.data[0] = 999
# w was changed through its alias.
print(w)
