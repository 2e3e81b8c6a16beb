import io

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Squares(Dataset):
    def __init__(self, n: int):
        self.x = torch.arange(n, dtype=torch.float32).unsqueeze(1)
        self.y = self.x ** 2

    def __len__(self) -> int:
        return len(self.x)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


class Net(nn.Module):
    def __init__(self, hidden=8):
        super(Net, self).__init__()
        self.net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, x):
        return self.net(x)


class EarlyStopping:
    def __init__(self, patience=2):
        self.patience = patience
        self.best = float("inf")
        self.bad = 0

    def __call__(self, loss: float) -> bool:
        if loss < self.best - 1e-4:
            self.best, self.bad = loss, 0
        else:
            self.bad += 1
        return self.bad >= self.patience


def train(model, loader, epochs=3):
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.MSELoss()
    stopper = EarlyStopping()
    for epoch in range(epochs):
        running = 0.0
        for i, (xb, yb) in enumerate(loader):
            pred = model(xb)
            loss = loss_fn(pred, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            running += loss.item() * xb.size(0)
        epoch_loss = running / len(loader.dataset)
        print(f"Epoch [{epoch + 1:02d}/{epochs}] loss={epoch_loss:10.4f} batches={i + 1}")
        if stopper(epoch_loss):
            print("stop")
            break
    return model


def main():
    torch.manual_seed(42)
    ds = Squares(10)
    loader = DataLoader(ds, batch_size=4, shuffle=True)
    print(len(ds), len(loader), ds[3])
    model = train(Net(), loader)
    model.eval()
    with torch.inference_mode():
        out = model(torch.tensor([[2.0]]))
    print(out.shape, out.requires_grad)
    xb, yb = next(iter(loader))
    print(xb.shape, yb.dtype)
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    buffer.seek(0)
    sd = torch.load(buffer)
    print(sorted(sd.keys()))
    m2 = Net()
    print(m2.load_state_dict(sd))


if __name__ == "__main__":
    main()
