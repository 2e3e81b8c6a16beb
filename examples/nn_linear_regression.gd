# Linear regression with torch.nn: a Module subclass, nn.Linear, nn.MSELoss and a
# hand-written SGD step over model.parameters(). Valid PyTorch: it prints the same there.
import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.linspace(-1, 1, 8).unsqueeze(1)
y = 3 * x + 0.5 + 0.1 * torch.randn(8, 1)


class LinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


model = LinearRegression()
print(model)
for name, p in model.named_parameters():
    print(name, p)

loss_fn = nn.MSELoss()
lr = 0.1
for epoch in range(30):
    loss = loss_fn(model(x), y)
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    if epoch % 5 == 0:
        print(f"epoch {epoch:2d}  loss {loss.item():.6f}")

print("weight", model.linear.weight.item(), "bias", model.linear.bias.item())
print(loss.grad_fn, model(x).grad_fn)
