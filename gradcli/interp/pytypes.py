"""The `types` module: SimpleNamespace (configuration objects), and the classes of
functions, methods, generators and modules for isinstance().

A gd value stands for a Python or PyTorch object whose class gd knows by how PyTorch
prints it: `F.relu` is a Python function (`<function relu at 0x…>`), `torch.sin` a
built-in (`<built-in method sin of type object at 0x…>`), a module's `forward` a bound
method; isinstance() answers from that printed form, which the real-code tests pin."""

from __future__ import annotations

from typing import Any

from gradcli.errors import GdRuntimeError
from gradcli.interp.pyargparse import ArgNamespace
from gradcli.interp.values import Builtin, IteratorValue, Namespace, to_repr


class SimpleNamespace(ArgNamespace):
    """types.SimpleNamespace(**kwargs): attributes, printed as namespace(a=1)."""

    __slots__ = ()

    def gd_repr(self) -> str:
        return "namespace(" + ", ".join(f"{k}={to_repr(v)}" for k, v in self.attrs.items()) \
            + ")"

    def type_label(self) -> str:
        return "types.SimpleNamespace"

    def __eq__(self, other: object) -> bool:
        return type(other) is SimpleNamespace and other.attrs == self.attrs

    def __contains__(self, key: object) -> bool:
        raise GdRuntimeError("argument of type 'types.SimpleNamespace' is not iterable",
                             py_type="TypeError")

    def gd_deepcopy(self, copy: Any) -> SimpleNamespace:
        return SimpleNamespace(**{k: copy(v) for k, v in self.attrs.items()})

    __hash__ = None  # type: ignore[assignment]


def _simple_namespace(*args: Any, **kwargs: Any) -> SimpleNamespace:
    """types.SimpleNamespace(**kwargs): an object with those attributes."""
    if args:
        raise GdRuntimeError("no positional arguments expected",
                             py_type="TypeError")
    return SimpleNamespace(**kwargs)


class _SimpleNamespaceClass(Builtin):
    __slots__ = ()
    is_class = True

    def __repr__(self) -> str:
        return "<class 'types.SimpleNamespace'>"

    def instance_check(self, x: Any) -> bool:
        return type(x) is SimpleNamespace


# The start of repr() that each of types' classes prints as.
_PRINTED = {
    "FunctionType": ("<function ",), "LambdaType": ("<function ",),
    "BuiltinFunctionType": ("<built-in function ", "<built-in method "),
    "BuiltinMethodType": ("<built-in function ", "<built-in method "),
    "MethodType": ("<bound method ",),
}


class TypesClass(Builtin):
    """One of types' classes of callables, generators and modules."""

    __slots__ = ()
    is_class = True

    def __init__(self, name: str) -> None:
        super().__init__(f"types.{name}", self._refuse, f"types.{name}: for isinstance()")

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise GdRuntimeError(f"{self.name}() is not supported by gradcli")

    def __repr__(self) -> str:
        return f"<class '{_SHOWN[self.name]}'>"

    def instance_check(self, x: Any) -> bool:
        tail = self.name[len("types."):]
        if tail == "GeneratorType":
            return isinstance(x, IteratorValue) and x.kind == "generator"
        if tail == "ModuleType":
            return isinstance(x, Namespace)
        if isinstance(x, (int, float, complex, str, bytes, list, tuple, dict, set)):
            return False
        return to_repr(x).startswith(_PRINTED[tail])


# How Python prints each class (types.FunctionType is <class 'function'>...).
_SHOWN = {"types.FunctionType": "function", "types.LambdaType": "function",
          "types.BuiltinFunctionType": "builtin_function_or_method",
          "types.BuiltinMethodType": "builtin_function_or_method",
          "types.MethodType": "method", "types.GeneratorType": "generator",
          "types.ModuleType": "module"}


def namespaces() -> dict[str, Namespace]:
    """The `types` module."""
    members: dict[str, Any] = {name.split(".")[1]: TypesClass(name.split(".")[1])
                               for name in _SHOWN}
    members["SimpleNamespace"] = _SimpleNamespaceClass("types.SimpleNamespace",
                                                       _simple_namespace)
    return {"types": Namespace("types", members)}
