# Activation functions of torch.nn.functional and their derivatives.
#
# Each activation is one node of the graph (SoftplusBackward0, GeluBackward0, ...),
# and its derivative is PyTorch's own backward function, itself a node: a derivative
# taken with create_graph=True can be differentiated again.
import torch
import torch.nn.functional as F

x = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0], requires_grad=True)


def report(name, y):
    (dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (d2y,) = torch.autograd.grad(dy.sum(), x)
    print(name)
    print("  y   ", y)
    print("  dy  ", dy)
    print("  d2y ", d2y)


report("softplus", F.softplus(x))
report("softplus(beta=2)", F.softplus(x, beta=2.0))
report("gelu", F.gelu(x))
report("gelu(tanh)", F.gelu(x, approximate="tanh"))
report("silu", F.silu(x))
report("mish", F.mish(x))
report("elu", F.elu(x, alpha=0.5))
report("selu", torch.selu(x))
report("logsigmoid", F.logsigmoid(x))
report("leaky_relu", F.leaky_relu(x, negative_slope=0.1))

# Piecewise-linear activations: the second derivative is zero.
print(F.hardtanh(x, min_val=-1.0, max_val=1.0))
print(F.relu6(x * 4))
print(F.hardswish(x * 2))

# gelu's two forms agree to about 1e-4 here (two digits: the last bits of float32 gelu
# depend on the CPU's kernels).
print(f"{(F.gelu(x) - F.gelu(x, approximate='tanh')).abs().max().item():.1e}")

# In-place forms change their input and record PyTorch's result-saving node.
h = x * 1
F.elu_(h)
print(h)
h.sum().backward()
print(x.grad)
