# Full-batch L-BFGS with strong Wolfe line search on an MLP fit in float64 (the closure
# counting its calls, the optimizer's state), then Adam followed by L-BFGS on a linear model.
import torch
import torch.nn as nn

torch.manual_seed(0)
# fit an MLP to sin with L-BFGS, full batch, as in PINN and scientific ML code
x = torch.linspace(-3, 3, 100, dtype=torch.float64).unsqueeze(1)
y = torch.sin(x) + 0.05 * torch.randn_like(x)
model = nn.Sequential(nn.Linear(1, 20), nn.Tanh(), nn.Linear(20, 1)).double()
opt = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=20, tolerance_grad=1e-9, tolerance_change=1e-12, history_size=50, line_search_fn="strong_wolfe")
calls = 0
def closure():
    global calls
    calls += 1
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    return loss
for epoch in range(5):
    loss = opt.step(closure)
    print(f"epoch {epoch} loss {loss.item():.10f} calls {calls}")
with torch.no_grad():
    print(model(torch.tensor([[0.0], [1.5]], dtype=torch.float64)))
print(opt.state_dict()["param_groups"][0]["lr"], len(opt.state_dict()["state"]))
st = opt.state[model[0].weight]
print(sorted(st.keys()))
print(st["n_iter"], st["func_evals"], len(st["old_dirs"]))
# Adam then L-BFGS
m2 = nn.Linear(3, 1)
X = torch.randn(50, 3); Y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
adam = torch.optim.Adam(m2.parameters(), lr=0.1)
for _ in range(20):
    adam.zero_grad(); l = nn.functional.mse_loss(m2(X), Y); l.backward(); adam.step()
print("adam", l.item())
lb = torch.optim.LBFGS(m2.parameters(), line_search_fn="strong_wolfe")
def c2():
    lb.zero_grad(); l = nn.functional.mse_loss(m2(X), Y); l.backward(); return l
lb.step(c2)
print("lbfgs", c2().item(), m2.weight.data, m2.bias.data)
