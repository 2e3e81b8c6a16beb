# forward hooks to capture activations, backward hooks for grad stats, gradient flow print
import torch
import torch.nn as nn
torch.manual_seed(27)
model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
activation = {}
def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook
h1 = model[0].register_forward_hook(get_activation('fc1'))
h2 = model[1].register_forward_hook(get_activation('relu'))
x = torch.randn(2, 4)
out = model(x)
print(activation['fc1'].shape, (activation['relu'] >= 0).all())
grads = {}
def bh(module, grad_input, grad_output):
    grads[module.__class__.__name__] = grad_output[0].norm().item()
h3 = model[2].register_full_backward_hook(bh)
out.sum().backward()
print(sorted(grads), {k: round(v, 4) for k, v in grads.items()})
for n, p in model.named_parameters():
    if p.requires_grad and ("bias" not in n):
        print(n, p.grad.abs().mean().item() > 0)
h1.remove(); h2.remove(); h3.remove()
activation.clear()
model(x)
print(activation)
def pre(m, inp):
    print('pre', type(m).__name__, inp[0].shape)
model[0].register_forward_pre_hook(pre)
model(x)
print(model._forward_hooks if False else 'ok')
