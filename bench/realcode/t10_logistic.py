import torch
torch.manual_seed(0)
X = torch.randn(200, 2)
y = ((X[:, 0] - X[:, 1]) > 0).float().unsqueeze(1)
model = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Sigmoid())
opt = torch.optim.SGD(model.parameters(), lr=0.5)
loss_fn = torch.nn.BCELoss()
for epoch in range(20):
    opt.zero_grad()
    out = model(X)
    loss = loss_fn(out, y)
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        print(f"epoch {epoch}: loss={loss.item():.4f}")
acc = ((model(X) > 0.5).float() == y).float().mean()
print(f"accuracy: {acc.item():.3f}")
print(model[0].weight, model[0].bias)
