# --- metrics
import torch

y_true = torch.tensor([1, 0, 1, 1, 0, 1, 0, 0, 1, 0])
scores = torch.tensor([0.9, 0.1, 0.8, 0.35, 0.4, 0.7, 0.2, 0.6, 0.55, 0.05])
y_pred = (scores >= 0.5).long()
tp = ((y_pred == 1) & (y_true == 1)).sum()
tn = ((y_pred == 0) & (y_true == 0)).sum()
fp = ((y_pred == 1) & (y_true == 0)).sum()
fn = ((y_pred == 0) & (y_true == 1)).sum()
print(tp, tn, fp, fn)
prec = tp / (tp + fp)
rec = tp / (tp + fn)
f1 = 2 * prec * rec / (prec + rec)
print(prec, rec, f1)
print(f"acc={(y_pred == y_true).float().mean():.3f} prec={prec:.3f} rec={rec:.3f} f1={f1:.4f}")
order = torch.argsort(scores, descending=True)
ys = y_true[order]
tpr = torch.cumsum(ys, 0) / ys.sum()
fpr = torch.cumsum(1 - ys, 0) / (1 - ys).sum()
print(tpr)
print(fpr)
auc = torch.trapezoid(torch.cat([torch.zeros(1), tpr]), torch.cat([torch.zeros(1), fpr]))
print("AUC", auc, auc.item())
yt = torch.tensor([3.0, -0.5, 2.0, 7.0]); yp = torch.tensor([2.5, 0.0, 2.0, 8.0])
mse = torch.nn.functional.mse_loss(yp, yt)
print(mse, torch.sqrt(mse), (yp - yt).abs().mean(), torch.nn.functional.l1_loss(yp, yt))
print(1 - ((yt - yp) ** 2).sum() / ((yt - yt.mean()) ** 2).sum())

# --- printing formats
import torch

x = torch.tensor([1.0, 2.5, -3.25, 1e-4])
print(x.tolist())
print([f"{v:.3f}" for v in x.tolist()])
print("{:>10.4f}|{:<8.2e}|{:^9}".format(x[0].item(), x[3].item(), "mid"))
print(f"{x[2].item():+.2f} {x.sum().item():.6g} {x.max().item()!r}")
for i, v in enumerate(x):
    print(f"{i:02d}: {v.item():10.5f} {v}")
print("%.3f %d %s" % (x[1].item(), int(x[1]), x[1]))
n = torch.tensor(7)
print(f"{n.item():3d} {n:3d}", int(n), float(n))
print(f"{x[1]:.2f}")
print(str(x.double()), repr(x.half()))
print(x.numpy(), x.numpy().dtype)
print(torch.tensor([[1, 2], [3, 4]]).tolist(), torch.tensor(3.5).tolist())
print(torch.tensor([True, False]).tolist(), torch.tensor([1.5]).item())
