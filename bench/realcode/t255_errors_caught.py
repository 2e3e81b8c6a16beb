# Errors model code catches and prints: shape mismatch in Linear, conv channel mismatch, CE target out of bounds, view on non-contiguous
import torch
import torch.nn as nn
torch.manual_seed(63)
lin = nn.Linear(4, 2)
try:
    lin(torch.randn(3, 5))
except RuntimeError as e:
    print("RuntimeError:", e)
conv = nn.Conv2d(3, 4, 3)
try:
    conv(torch.randn(1, 2, 5, 5))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    nn.functional.cross_entropy(torch.randn(2, 3), torch.tensor([0, 3]))
except IndexError as e:
    print("IndexError:", e)
t = torch.randn(3, 4).t()
try:
    t.view(12)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.cat([torch.zeros(2, 3), torch.zeros(2, 4)])
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    nn.LSTM(3, 4)(torch.randn(2, 5))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.randn(2, 3) @ torch.randn(2, 3)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    nn.BatchNorm1d(3)(torch.randn(1, 3))
except ValueError as e:
    print("ValueError:", e)
try:
    nn.Embedding(5, 2)(torch.tensor([5]))
except IndexError as e:
    print("IndexError:", e)
try:
    nn.MSELoss()(torch.randn(3), torch.randn(3, 1))
except Exception as e:
    print(type(e).__name__, e)
