import torch

eng = torch.quasirandom.SobolEngine(dimension=2, scramble=False)
pts = eng.draw(8)
print(pts)
eng2 = torch.quasirandom.SobolEngine(dimension=2, scramble=True, seed=0)
q = eng2.draw(1024, dtype=torch.float64)
est = (q ** 2).sum(1).le(1).double().mean() * 4
print(f"QMC pi ~ {est.item():.6f}")
print(eng2.draw(2))
eng2.reset()
print(eng2.draw(2, dtype=torch.float64))
eng2.fast_forward(3)
print(eng2.num_generated)
