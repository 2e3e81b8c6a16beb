class Tracked:
    def __init__(self):
        object.__setattr__(self, "log", [])
        self.x = 1
    def __setattr__(self, name, value):
        self.log.append(name)
        object.__setattr__(self, name, value)
t = Tracked()
t.y = 2
print(t.log, t.x, t.y)

class P:
    __slots__ = ("a", "b")
    def __init__(self, a, b):
        self.a = a
        self.b = b
p = P(1, 2)
print(p.a, p.b)

class Temp:
    def __init__(self):
        self._c = 0.0
    @property
    def c(self):
        return self._c
    @c.setter
    def c(self, v):
        if v < -273.15:
            raise ValueError("too cold")
        self._c = v
    @c.deleter
    def c(self):
        print("deleting")
t = Temp()
t.c = 5
print(t.c)
try:
    t.c = -300
except ValueError as e:
    print(e)
del t.c

class Base:
    registry = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Base.registry.append(cls.__name__)
class A(Base): pass
class B(Base): pass
print(Base.registry)
