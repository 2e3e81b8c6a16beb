# LBFGS with closure and strong_wolfe line search fitting a small MLP; state inspection
import torch
import torch.nn as nn
torch.manual_seed(23)
x = torch.linspace(-1, 1, 20, dtype=torch.float64).unsqueeze(1)
y = torch.sin(3 * x)
model = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1)).double()
opt = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=20, history_size=5, line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss
for i in range(3):
    l = opt.step(closure)
    print(i, f"{l.item():.6e}")
st = opt.state_dict()['state'][0]
print(sorted(st.keys()))
print(st['func_evals'], st['n_iter'])
