# grad mode as decorators and nesting: @torch.no_grad() functions, enable_grad inside no_grad, set_grad_enabled(False), inference_mode decorator, is_grad_enabled
import torch
@torch.no_grad()
def evaluate(model, x):
    print('enabled inside:', torch.is_grad_enabled())
    return model(x)
@torch.inference_mode()
def infer(x):
    return x * 2
model = torch.nn.Linear(2, 1)
x = torch.ones(3, 2)
y = evaluate(model, x)
print(y.requires_grad, torch.is_grad_enabled())
with torch.no_grad():
    with torch.enable_grad():
        z = model(x)
    w = model(x)
print(z.requires_grad, w.requires_grad)
torch.set_grad_enabled(False)
print(model(x).requires_grad)
torch.set_grad_enabled(True)
print(model(x).requires_grad, infer(x).is_inference())
with torch.set_grad_enabled(False):
    print(torch.is_grad_enabled())
print(torch.is_grad_enabled(), torch.is_inference_mode_enabled())
@torch.enable_grad()
def needs_grad(t):
    return (t * 3).sum()
with torch.no_grad():
    a = torch.ones(2, requires_grad=True)
    s = needs_grad(a)
print(s.requires_grad, s.grad_fn.name())
