import torch

class MyIdx:
    def __init__(self, v=2):
        self.v = v
    def __index__(self):
        return self.v

def check(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)

t = torch.arange(12.0).reshape(3, 4)
check(1, lambda: t[MyIdx()])
check(2, lambda: t[MyIdx(), MyIdx(1)])
check(3, lambda: t[MyIdx(1):])
check(4, lambda: t[:, MyIdx(1):MyIdx(3)])
check(5, lambda: t[[MyIdx(0), MyIdx(2)]])
check(6, lambda: torch.zeros(MyIdx()))
check(7, lambda: torch.zeros(MyIdx(), 3).shape)
check(8, lambda: torch.ones((MyIdx(), MyIdx(1))))
check(9, lambda: t.view(MyIdx(4), -1).shape)
check(10, lambda: t.reshape(MyIdx(), -1).shape)
check(11, lambda: torch.arange(MyIdx(3)))
check(13, lambda: t.size(MyIdx(1)))
check(14, lambda: list(range(MyIdx(3))))
check(15, lambda: [1, 2, 3][MyIdx()])
check(16, lambda: t.narrow(0, MyIdx(1), 1))
check(17, lambda: torch.randn(MyIdx(), 2).shape)
check(18, lambda: t.transpose(MyIdx(0), MyIdx(1)).shape)
check(19, lambda: torch.nn.Linear(MyIdx(4), 3).weight.shape)
check(20, lambda: t.unsqueeze(MyIdx(0)).shape)
check(21, lambda: torch.cat([t, t], dim=MyIdx(1)).shape)
check(22, lambda: t.repeat(MyIdx(1), MyIdx()).shape)
check(23, lambda: torch.empty(MyIdx(3)).shape)
check(24, lambda: torch.full((MyIdx(),), 7.0))
check(25, lambda: torch.Size([MyIdx(), 3]))
check(26, lambda: t.expand(MyIdx(2), 3, 4).shape)
check(27, lambda: t[MyIdx(), ..., None].shape)
check(28, lambda: t.flatten(MyIdx(0)).shape)
check(29, lambda: t.topk(MyIdx(1)).values)
check(30, lambda: torch.tensor([MyIdx()]))
check(31, lambda: t.chunk(MyIdx(), 1)[0].shape)
check(33, lambda: torch.eye(MyIdx()))
check(34, lambda: t.select(MyIdx(0), MyIdx(1)))
check(35, lambda: t.index_select(0, torch.tensor([MyIdx(0)])))
check(36, lambda: torch.nn.functional.one_hot(torch.tensor([1]), MyIdx(3)))
check(37, lambda: t.new_zeros(MyIdx()))
check(39, lambda: t[True, MyIdx()].shape)
check(40, lambda: (t.max(MyIdx(1))).values)
u = t.clone()
u[MyIdx()] = 5.0
check(41, lambda: u)
u[MyIdx(0), MyIdx(1)] = -1.0
check(42, lambda: u)
check(43, lambda: t.new_empty((MyIdx(),)).shape)
check(44, lambda: torch.randint(0, 5, (MyIdx(),)).shape)
check(45, lambda: t.permute(MyIdx(1), 0).shape)
