# --- newton optimize nd
import torch

def booth(v):
    x, y = v
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2

v = torch.tensor([0.0, 0.0], requires_grad=True)
opt = torch.optim.LBFGS([v], lr=1, max_iter=20)
def closure():
    opt.zero_grad()
    loss = booth(v)
    loss.backward()
    return loss
for i in range(3):
    loss = opt.step(closure)
    print(i, loss.item(), v.data.tolist())
state = opt.state[v]
print(sorted(state.keys()))
print(state["n_iter"], state["func_evals"])
w = torch.tensor([3.0, -1.0], requires_grad=True)
opt2 = torch.optim.Rprop([w], lr=0.1)
for i in range(30):
    opt2.zero_grad()
    l = booth(w)
    l.backward()
    opt2.step()
print(w.data, booth(w).item())
