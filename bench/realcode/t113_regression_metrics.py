# evaluation helpers people write: confusion matrix with bincount, precision/recall, R^2, MAE, top-k accuracy
import torch
torch.manual_seed(42)
y_true = torch.randint(0, 3, (30,))
logits = torch.randn(30, 3) + torch.nn.functional.one_hot(y_true, 3) * 1.5
y_pred = logits.argmax(1)
cm = torch.bincount(y_true * 3 + y_pred, minlength=9).reshape(3, 3)
print(cm)
tp = cm.diag().float()
precision = tp / cm.sum(0).clamp(min=1)
recall = tp / cm.sum(1).clamp(min=1)
f1 = 2 * precision * recall / (precision + recall)
print(precision, recall, f1, f1.mean())
top2 = logits.topk(2, dim=1).indices
print((top2 == y_true.unsqueeze(1)).any(1).float().mean())
yt = torch.randn(20); yp = yt + 0.3 * torch.randn(20)
ss_res = ((yt - yp) ** 2).sum(); ss_tot = ((yt - yt.mean()) ** 2).sum()
print(f"R2={1 - ss_res / ss_tot:.4f} MAE={(yt - yp).abs().mean():.4f} RMSE={torch.sqrt(torch.mean((yt - yp) ** 2)):.4f}")
print(torch.corrcoef(torch.stack([yt, yp]))[0, 1], torch.cov(torch.stack([yt, yp])))
print(torch.histc(yt, bins=4, min=-2, max=2), torch.quantile(yt, torch.tensor([0.25, 0.5, 0.75])))
