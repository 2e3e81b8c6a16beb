"""Round 25, autograd-heavy real code (PINN residuals, custom Functions, hooks, grad() of
part of a graph, gradient checks): the classes that sample found, each as a small program
of our own compared with what PyTorch prints."""

from __future__ import annotations

from pyrun import gd_output, torch_output

# grad() (and backward(inputs=...)) runs only the nodes with a path to an input, as
# PyTorch's engine does: another branch's tensor hooks, node hooks, retain_grad()s and
# custom Functions' backward never run, and what was not run is not freed.
_GRAD_RUNS_ONLY_NEEDED = """
import torch

class Loud(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        return t * 1.5

    @staticmethod
    def backward(ctx, g):
        print("Loud.backward ran with", g)
        return g * 1.5

p = torch.tensor([0.5, -1.0], requires_grad=True)
q = torch.tensor([2.0, 3.0], requires_grad=True)
left = Loud.apply(p.cos())
left.register_hook(lambda g: print("left hook", g))
left.retain_grad()
right = q * q
right.register_hook(lambda g: print("right hook", g))
right.retain_grad()
left.grad_fn.register_prehook(lambda go: print("left node prehook", go))
total = (left * right).sum() + right.sum()
print(torch.autograd.grad(total, q, retain_graph=True))
print(left.grad, right.grad, p.grad, q.grad)
print(torch.autograd.grad(total, [p, q], retain_graph=True))
print(left.grad, right.grad)
total.backward(inputs=[q], retain_graph=True)
print(left.grad, right.grad, p.grad, q.grad)
try:
    torch.autograd.grad(total, torch.tensor(1.0, requires_grad=True))
except RuntimeError as e:
    print("RuntimeError:", e)

a = torch.tensor([0.1, 0.2], requires_grad=True)
b = torch.tensor([0.3, 0.4], requires_grad=True)
s = (a.exp() + b.sin()).sum()
print(torch.autograd.grad(s, a))
print(torch.autograd.grad(s, b))
"""


def test_grad_runs_only_the_nodes_it_needs() -> None:
    assert gd_output(_GRAD_RUNS_ONLY_NEEDED) == torch_output(_GRAD_RUNS_ONLY_NEEDED)


# backward(inputs=[t]) for a non-leaf t: PyTorch calls t.retain_grad() and lets that hook
# add the gradient, once (retains_grad is True afterwards); with retain_grad() called
# before, still once.
_BACKWARD_INPUTS_NON_LEAF = """
import torch
w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
h = w.tanh()
loss = (h ** 2).sum() + h.sum()
print(h.retains_grad)
loss.backward(inputs=[h], retain_graph=True)
print(h.grad, h.retains_grad, w.grad)
loss.backward(inputs=[h], retain_graph=True)
print(h.grad)
loss.backward(inputs=[w, h], retain_graph=True)
print(h.grad, w.grad)
k = w * 4
k.retain_grad()
out = (k * h).sum()
out.backward(inputs=[k])
print(k.grad, h.grad, w.grad)
"""


def test_backward_inputs_non_leaf_accumulates_once() -> None:
    assert gd_output(_BACKWARD_INPUTS_NON_LEAF) == torch_output(_BACKWARD_INPUTS_NON_LEAF)


# ctx is the node PyTorch records: the old name saved_variables (a deprecated alias of
# saved_tensors), what forward marked (to_save, non_differentiable, dirty_tensors: None
# once the node is made), ctx.metadata shared with grad_fn.metadata, ctx.name(),
# requires_grad, and in backward the node's own next_functions.
_CTX_AS_NODE = """
import torch

class Pick(torch.autograd.Function):
    @staticmethod
    def forward(ctx, values, mask):
        print("before", ctx.to_save, ctx.non_differentiable, ctx.dirty_tensors)
        print(ctx.name(), ctx.requires_grad, ctx.metadata)
        kept = values * mask
        ctx.save_for_backward(values, mask)
        ctx.mark_non_differentiable(mask)
        ctx.metadata["scale"] = 0.5
        print("after", ctx.to_save, ctx.non_differentiable, ctx.saved_for_forward)
        return kept, mask

    @staticmethod
    def backward(ctx, g_kept, g_mask):
        values, mask = ctx.saved_variables
        print("backward", ctx.to_save, ctx.non_differentiable, ctx.metadata, ctx.name())
        print(len(ctx.next_functions), ctx.requires_grad)
        return g_kept * mask * ctx.metadata["scale"], None

v = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
m = torch.tensor([1.0, 0.0, 1.0])
kept, same = Pick.apply(v, m)
print(kept.grad_fn.metadata, same.requires_grad)
kept.sum().backward()
print(v.grad)
try:
    class Peek(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return ctx.materialize_grads
    Peek.apply(v)
except AttributeError as e:
    print("AttributeError:", e)
"""


def test_ctx_is_the_node() -> None:
    assert gd_output(_CTX_AS_NODE) == torch_output(_CTX_AS_NODE)


# A hook that changes the gradient's size or type is named in PyTorch's message by its
# __name__ (`<lambda>`, a method's own name), and a module's full backward (pre-)hook by
# 'hook': PyTorch checks what its wrapper, a tensor hook named hook, hands back.
_HOOK_NAMES_IN_MESSAGES = """
import torch

class Doubler:
    def widen(self, g):
        return g.double()

def run():
    w = torch.tensor([0.5, 1.5], requires_grad=True)
    for make in (lambda: (lambda g: torch.zeros(5)), lambda: Doubler().widen):
        y = w * 3
        y.register_hook(make())
        try:
            y.sum().backward()
        except RuntimeError as e:
            print(e)
    lin = torch.nn.Linear(2, 3)
    lin.register_full_backward_hook(lambda mod, gi, go: (torch.ones(4),))
    try:
        lin(w).sum().backward()
    except RuntimeError as e:
        print(e)
    lin2 = torch.nn.Linear(2, 3)
    lin2.register_full_backward_pre_hook(lambda mod, go: (go[0].double(),))
    try:
        lin2(w).sum().backward()
    except RuntimeError as e:
        print(e)

run()
"""


def test_hook_names_in_messages() -> None:
    assert gd_output(_HOOK_NAMES_IN_MESSAGES) == torch_output(_HOOK_NAMES_IN_MESSAGES)
