from abc import ABC, abstractmethod
class A(ABC):
    @abstractmethod
    def f(self): ...
    @property
    @abstractmethod
    def p(self): ...
    def g(self): return 1
class B(A):
    def f(self): return 2
class C(B):
    @property
    def p(self): return 3
for k in (A, B, C):
    try:
        print(k().g())
    except TypeError as e:
        print(e)
class Plain:
    @abstractmethod
    def f(self): ...
print(Plain().f())
