import numpy as np
import torch
from sklearn.preprocessing import StandardScaler, MinMaxScaler
from sklearn.metrics import accuracy_score
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
X, y = make_moons(n_samples=50, noise=0.2, random_state=1)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0)
sc = StandardScaler()
Xtr = sc.fit_transform(Xtr)
Xte = sc.transform(Xte)
print(sc, sc.mean_, sc.var_, sc.scale_, sc.n_features_in_, sc.n_samples_seen_)
print(Xte[:3])
np.random.seed(0)
Xf = np.random.rand(7, 3).astype(np.float32) * 100
s2 = StandardScaler().fit(Xf)
print(s2.transform(Xf).dtype, s2.transform(Xf)[0], s2.mean_)
mm = MinMaxScaler(feature_range=(-1, 1))
print(mm, mm.fit_transform(Xf)[:2], mm.data_range_, mm.min_)
print(MinMaxScaler(clip=True).fit(Xf[:3]).transform(Xf[3:]))
const = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]])
print(StandardScaler().fit_transform(const))
torch.manual_seed(0)
model = torch.nn.Linear(2, 2)
with torch.no_grad():
    preds = model(torch.tensor(Xte, dtype=torch.float32)).argmax(1)
print(accuracy_score(yte, preds.numpy()), accuracy_score(torch.tensor(yte), preds))
print(accuracy_score([1, 0, 1], [1, 1, 1], normalize=False), type(accuracy_score([1], [1])).__name__)
try:
    StandardScaler().transform(Xf)
except Exception as e:
    print(type(e).__name__, e)
try:
    sc.transform(np.ones(3))
except ValueError as e:
    print("ValueError", str(e)[:40])
try:
    StandardScaler().mean_
except AttributeError as e:
    print(e)
