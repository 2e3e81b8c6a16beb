# d2l 12.10 Adam from scratch vs torch.optim.Adam on the same quadratic, bias correction states dict
import torch
def init_adam_states(feature_dim):
    v_w, v_b = torch.zeros((feature_dim, 1)), torch.zeros(1)
    s_w, s_b = torch.zeros((feature_dim, 1)), torch.zeros(1)
    return ((v_w, s_w), (v_b, s_b))
def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        with torch.no_grad():
            v[:] = beta1 * v + (1 - beta1) * p.grad
            s[:] = beta2 * s + (1 - beta2) * torch.square(p.grad)
            v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
            s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
            p[:] -= hyperparams['lr'] * v_bias_corr / (torch.sqrt(s_bias_corr) + eps)
        p.grad.data.zero_()
    hyperparams['t'] += 1
torch.manual_seed(0)
X = torch.randn(20, 3)
y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
states = init_adam_states(3)
hp = {'lr': 0.1, 't': 1}
for step in range(30):
    loss = ((X @ w + b - y) ** 2).mean()
    loss.backward()
    adam([w, b], states, hp)
print(loss.item(), hp['t'])
print(w.flatten(), b)
w2 = torch.zeros(3, 1, requires_grad=True)
b2 = torch.zeros(1, requires_grad=True)
opt = torch.optim.Adam([w2, b2], lr=0.1, eps=1e-6)
for step in range(30):
    opt.zero_grad()
    loss2 = ((X @ w2 + b2 - y) ** 2).mean()
    loss2.backward()
    opt.step()
print(loss2.item(), torch.allclose(w, w2, atol=1e-4))
print(sorted(opt.state[w2].keys()), opt.state[w2]['step'])
