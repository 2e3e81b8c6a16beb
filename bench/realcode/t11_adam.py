import torch
torch.manual_seed(0)
w = torch.tensor([0.0, 0.0], requires_grad=True)
target = torch.tensor([3.0, -2.0])
opt = torch.optim.Adam([w], lr=0.1)
for step in range(50):
    opt.zero_grad()
    loss = ((w - target) ** 2).sum()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(step, loss.item(), w.tolist())
print(w)
