# W5 without recording: W1's loop under no_grad (memory must stay flat).
n = 100000
mark = lambda: None
x = tensor(0.5, requires_grad=True)
y = x
mark()
with no_grad():
    for i in range(n):
        y = y * 0.9999 + sin(x) * 0.0001
mark()
y
