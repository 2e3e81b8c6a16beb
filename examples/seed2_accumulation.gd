# Seed tutorial 2, note 1 of "automatic differentiation": gradients are not
# zeroed automatically.  Each backward ADDS into the .grad of the leaves.
import torch

# Without zeroing: 5, 10, 15, 20.  (An optimizer's zero_grad() exists to
# prevent exactly this.)
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

for i in range(4):
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(w.grad)

# Zeroing after each step: 5 every time.
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)

for i in range(4):
    a = torch.add(w, x)
    b = torch.add(w, 1)
    y = torch.mul(a, b)

    y.backward()
    print(w.grad)
    # Clear the gradient once it has been used.
    w.grad.zero_()
