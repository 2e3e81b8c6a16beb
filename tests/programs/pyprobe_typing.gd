from typing import Generic, TypeVar, List, Dict, Tuple, Optional, Union, Callable, Any, Iterator, Sequence, Protocol
import torch
import torch.nn as nn

T = TypeVar("T")

class Buffer(Generic[T]):
    def __init__(self) -> None:
        self.items: List[T] = []
    def add(self, x: T) -> None:
        self.items.append(x)
    def __len__(self) -> int:
        return len(self.items)

b: Buffer[int] = Buffer()
b.add(3)
print(len(b), b.items)

def apply(fn: Callable[[torch.Tensor], torch.Tensor], xs: Sequence[torch.Tensor]) -> List[torch.Tensor]:
    return [fn(x) for x in xs]
print(apply(torch.relu, [torch.tensor([-1.0, 2.0])]))

def pairs(n: int) -> Iterator[Tuple[int, int]]:
    for i in range(n):
        yield i, i * i
print(dict(pairs(3)))
Number = Union[int, float]
def scale(x: Number, k: Optional[Number] = None) -> Number:
    return x * (k if k is not None else 2)
print(scale(3), scale(2.5, 4), Number, Optional[int], List[int])

class HasForward(Protocol):
    def forward(self, x: torch.Tensor) -> torch.Tensor: ...

class Net(nn.Module):
    def __init__(self, d: int = 2) -> None:
        super().__init__()
        self.fc: nn.Linear = nn.Linear(d, 1)
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x)
torch.manual_seed(0)
net: HasForward = Net()
print(net(torch.ones(1, 2)).shape)
cache: Dict[str, Any] = {}
cache["k"] = 1
print(cache, isinstance(cache, dict))
