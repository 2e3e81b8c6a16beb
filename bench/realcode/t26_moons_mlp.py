# The two-moons classifier of many blog posts: scikit-learn makes and splits the data,
# a small MLP learns it with BCEWithLogitsLoss, accuracy on the held-out part.
import torch
import torch.nn as nn
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

torch.manual_seed(42)
X, y = make_moons(n_samples=500, noise=0.15, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train = torch.tensor(X_train, dtype=torch.float32)
X_test = torch.tensor(X_test, dtype=torch.float32)
y_train = torch.tensor(y_train, dtype=torch.float32).unsqueeze(1)
y_test = torch.tensor(y_test, dtype=torch.float32).unsqueeze(1)


class MoonNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16),
                                    nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.layers(x)


model = MoonNet()
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(X_train), y_train)
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 50 == 0:
        model.eval()
        with torch.no_grad():
            pred = (torch.sigmoid(model(X_test)) > 0.5).float()
            acc = (pred == y_test).float().mean()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {acc.item():.3f}")
print(model)
