# W8 views on long tapes: W1's loop body, 100,000 iterations (400,000 recorded ops), x
# requiring grad so that `gradcli run` records the same tape the views walk. The benchmark
# times `gradcli run` and `gradcli graph|check|explain|jacobian --wrt x` on this file,
# binding n with --set.
n = 100000
x = tensor(0.5, requires_grad=True)
y = x
for i in range(n):
    y = y * 0.9999 + sin(x) * 0.0001
y
