from __future__ import annotations
import typing
from typing import Optional
import torch

def f(x: torch.Tensor, n: Optional[int] = None, *a: "int", k: list[int] = [], **kw: dict[str, float]) -> tuple[torch.Tensor, ...]:
    return (x,)

print(f.__annotations__)
print(typing.get_type_hints(f))


class Net(torch.nn.Module):
    def __init__(self, width: int = 4) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(width, 1)

    def forward(self, x: "torch.Tensor") -> torch.Tensor:
        return self.fc(x)


print(Net.forward.__annotations__)
print(typing.get_type_hints(Net.forward))
print(f.__annotations__["return"], type(f.__annotations__["return"]))
print(list[int], dict[str, list[float]], tuple[int, ...], type[Net])
