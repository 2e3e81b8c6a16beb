# Backward hooks: functions autograd calls with a gradient on its way back.
#
#   t.register_hook(fn)                     fn(grad) when t's gradient is known; a
#                                           returned tensor replaces the gradient
#   t.register_post_accumulate_grad_hook(fn)  fn(t) after a leaf's .grad was updated
#   t.grad_fn.register_prehook(fn)          fn(grad_outputs) before the node runs
#   t.grad_fn.register_hook(fn)             fn(grad_inputs, grad_outputs) after it
#
# Each registration returns a handle; handle.remove() takes the hook out again.
import torch

w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
x = torch.tensor([0.5, 0.25, 2.0])

y = w * x
loss = (y ** 2).sum()


def show(name):
    def hook(grad):
        print(name, "gradient:", grad)
    return hook


# Print the gradient reaching y, then halve it before it flows on to w.
y.register_hook(show("y"))
halve = y.register_hook(lambda g: g / 2)
w.register_hook(show("w"))
w.register_post_accumulate_grad_hook(lambda t: print("w.grad is now", t.grad))
y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: print("MulBackward0 gave", grad_inputs))
loss.backward(retain_graph=True)
print(w.grad)

# Without the halving hook the gradient is twice as large.
halve.remove()
w.grad = None
loss.backward()
print(w.grad)

# Gradient clipping with a hook: every component of the gradient in [-1, 1].
v = torch.tensor([3.0, -0.5, 0.1], requires_grad=True)
v.register_hook(lambda g: g.clamp(-1.0, 1.0))
(v ** 3).sum().backward()
print(v.grad)
