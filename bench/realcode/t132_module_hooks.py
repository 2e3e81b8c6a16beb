# hooks on modules: forward hook to capture activations, forward pre-hook modifying input, full backward hook, removing handles
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
activations = {}
def get_activation(name):
    def hook(model, input, output):
        activations[name] = output.detach()
    return hook
h1 = model[0].register_forward_hook(get_activation('fc1'))
h2 = model[1].register_forward_hook(get_activation('relu'))
def pre(module, inp):
    print('pre-hook input shape', inp[0].shape)
    return (inp[0] * 2,)
h3 = model[2].register_forward_pre_hook(pre)
grads = []
def bhook(module, grad_input, grad_output):
    grads.append((grad_input[0].shape, grad_output[0].shape))
h4 = model[2].register_full_backward_hook(bhook)
x = torch.randn(5, 3, requires_grad=True)
out = model(x)
out.sum().backward()
print(activations['fc1'].shape, (activations['relu'] >= 0).all())
print(grads)
for h in (h1, h2, h3, h4):
    h.remove()
out2 = model(x)
print(len(activations), torch.allclose(out2 * 1, out2), out.shape)
feats = []
handle = model.register_forward_hook(lambda m, i, o: feats.append(o.sum().item() != 0))
model(x)
handle.remove()
print(feats)
