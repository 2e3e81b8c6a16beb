import sys
import traceback

import torch


def inner(x):
    return x.view(3, 5)


def middle(x):
    y = x * 2
    return inner(y)


def train_step(x):
    try:
        return middle(x)
    except RuntimeError:
        traceback.print_exc(file=sys.stdout)
        print(traceback.format_exc().splitlines()[-1])
        return None


print(train_step(torch.ones(4)))


class Config:
    def __init__(self, lr):
        if lr <= 0:
            raise ValueError(f"lr must be positive, got {lr}")
        self.lr = lr


def build(lr):
    return Config(lr)


try:
    build(-1.0)
except ValueError as e:
    lines = traceback.format_exception(e)
    print(len(lines))
    print("".join(lines), end="")


def helper(v):
    return 1 / v


try:
    [helper(v) for v in [1, 0]]
except ZeroDivisionError:
    print(traceback.format_exc())
f = lambda v: helper(v)
try:
    f(0)
except ZeroDivisionError:
    print(traceback.format_exc())


def fact(n):
    if n == 0:
        raise RecursionError("bottom")
    return n * fact(n - 1)


try:
    fact(2)
except RecursionError as e:
    traceback.print_exception(type(e), e, e.__traceback__, file=sys.stdout)
try:
    try:
        middle(torch.ones(2))
    except RuntimeError as e:
        raise KeyError("wrapped") from e
except KeyError:
    traceback.print_exc(file=sys.stdout)
