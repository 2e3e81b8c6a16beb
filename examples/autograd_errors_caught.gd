# The autograd errors a tutorial shows, caught and printed with try/except: str(e) is
# PyTorch's message, word for word.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()
y.backward()
try:
    y.backward()  # the graph was freed by the first backward
except RuntimeError as e:
    print("second backward:", str(e).split(".")[0])

try:
    x.add_(1)  # a leaf that requires grad cannot change in place
except RuntimeError as e:
    print("in-place on a leaf:", e)

z = x * 2
try:
    z.backward()  # not a scalar
except RuntimeError as e:
    print("non-scalar:", e)
else:
    print("no error?")
finally:
    print("x.grad after all that:", x.grad)

w = torch.ones(3)
try:
    torch.autograd.grad((w * 2).sum(), w)
except RuntimeError as e:
    print("no grad_fn:", e)

errors = []
for shape in [(3,), (2, 2)]:
    try:
        torch.ones(shape) @ torch.ones(3)
    except RuntimeError as e:
        errors.append(type(e).__name__)
print(errors)
