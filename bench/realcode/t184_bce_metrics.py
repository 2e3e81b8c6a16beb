# binary classification metrics by hand: precision/recall/F1 from tensors, ROC-AUC via ranking, confusion matrix with bincount, threshold sweep
import torch
torch.manual_seed(0)
scores = torch.rand(20)
labels = (torch.rand(20) < scores).long()
preds = (scores > 0.5).long()
tp = ((preds == 1) & (labels == 1)).sum().item()
fp = ((preds == 1) & (labels == 0)).sum().item()
fn = ((preds == 0) & (labels == 1)).sum().item()
precision = tp / (tp + fp) if tp + fp else 0.0
recall = tp / (tp + fn) if tp + fn else 0.0
f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
print(tp, fp, fn, f"{precision:.3f} {recall:.3f} {f1:.3f}")
cm = torch.bincount(labels * 2 + preds, minlength=4).view(2, 2)
print(cm)
order = scores.argsort()
ranks = torch.empty_like(order)
ranks[order] = torch.arange(1, 21)
npos = labels.sum()
nneg = 20 - npos
auc = (ranks[labels == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)
print(f"AUC {auc.item():.4f}")
for th in torch.linspace(0.2, 0.8, 4):
    p = (scores > th).long()
    print(f"{th.item():.2f}", (p == labels).float().mean().item())
