import torch
torch.manual_seed(0)
x = torch.randn(3)
loss = torch.tensor(0.123456)
print(f"{loss:.4f} {loss.item():.3e} {loss}")
print(f"{x}")
print(f"{x!r}")
print(f"{loss.item():>10.2f}|{3:05d}|{'ab':^6}|{1234567.891:,.2f}|{0.5:.1%}")
print("{:.3f}".format(loss.item()), "%.2f" % loss.item(), "%5d|%-5s|" % (3, "a"))
print(format(loss, ".2f"), str(loss), repr(loss))
print(f"{x.shape}", f"{x.dtype}", f"{x.sum():.2f}")
metrics = {"loss": [0.5, 0.25], "acc": [0.7, 0.8]}
for k, v in sorted(metrics.items(), key=lambda kv: kv[0]):
    print(k, ", ".join(f"{u:.2f}" for u in v))
print(f"{'epoch':<8}{'loss':>8}")
print(f"{True!s} {None} {[1.5, 2]} {(1,)} {{}}")
print(f"{3.0}", f"{1e-5}", f"{1e16}", f"{2**0.5}", f"{-0.0}")
print(round(2.675, 2), round(0.5), round(1.5), round(-2.5), round(3.14159, 3))
