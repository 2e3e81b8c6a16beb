# W6 jvp / vjp of the seeds' control-flow function at a fixed 3-vector, `calls` times each.
calls = 2000
mark = lambda: None
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c
a = tensor([1.764052345967664, 0.4001572083672233, 0.9787379841057392], dtype=float64)
v = tensor([0.1, 1.0, 0.0001], dtype=float64)
mark()
for i in range(calls):
    jv = jvp(f, a, v)
mark()
for i in range(calls):
    vj = vjp(f, a, v)
mark()
vj
