"""x.storage() and x.untyped_storage(): the memory a tensor views, as programs ask about it
(`a.storage().data_ptr() == b.storage().data_ptr()` to see that two tensors share memory,
its size, its elements). A storage is its tensor's numpy root array; its data_ptr is
layout.data_ptr's stand-in for that array (never a host address). Read-only: gd has no
storage writes (`set_`, `resize_` of a storage)."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcli.ad import dtypes
from gradcli.ad.ops import layout
from gradcli.ad.ops.devices import torch_error
from gradcli.ad.state import warn
from gradcli.ad.tensor import Tensor
from gradcli.interp import limits
from gradcli.interp.values import BoundMethod, GdObject, IteratorValue, dtype_value

_TYPED_WARNING = ("TypedStorage is deprecated. It will be removed in the future and "
                  "UntypedStorage will be the only storage class. This should only matter to "
                  "you if you are using storages directly.  To access UntypedStorage directly, "
                  "use tensor.untyped_storage() instead of tensor.storage()")


class StorageValue(GdObject):
    """torch.storage.TypedStorage (elements of a dtype) or UntypedStorage (bytes)."""

    __slots__ = ("array", "ptr", "typed")

    def __init__(self, x: Tensor, typed: bool) -> None:
        a = x.array
        root = a
        while isinstance(root.base, np.ndarray):
            root = root.base
        # data_ptr's stand-in for the root: x's own, less x's offset into the root
        offset = a.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        self.ptr = layout.data_ptr(x) - offset if a.size else 0
        flat = root.ravel(order="K")  # the allocation, in memory order
        self.array = flat.view(a.dtype) if typed else flat.view(np.uint8)
        self.typed = typed

    @property
    def torch_type(self) -> str:
        return f"torch.storage.{'TypedStorage' if self.typed else 'UntypedStorage'}"

    def __len__(self) -> int:
        return int(self.array.size)

    def _item(self, i: Any) -> Any:
        if type(i) is not int:
            raise torch_error(f"can't index a {self.torch_type} with {type(i).__name__}",
                              "RuntimeError")
        n = len(self)
        if not -n <= i < n:
            raise torch_error(f"index {i} out of range for storage of size {n}",
                              "IndexError")
        return self.array[i].item()

    def __getitem__(self, i: Any) -> Any:
        return self._item(i)

    def gd_iter(self) -> IteratorValue:
        """iter(storage): its elements (bytes of an untyped one) by a generator, as
        PyTorch's _StorageBase.__iter__."""
        limits.check_length(len(self), "iter()")
        return IteratorValue("generator", iter(self.array.tolist()))

    def _info(self) -> str:
        if self.typed:
            return (f"[{self.torch_type}(dtype={dtype_value(self.array.dtype)}, device=cpu) "
                    f"of size {len(self)}]")
        return f"[{self.torch_type}(device=cpu) of size {len(self)}]"

    def gd_repr(self) -> str:
        data = " " + "\n ".join(str(v) for v in self.array.tolist())
        return data + "\n" + self._info()

    def type_label(self) -> str:
        return type_name_of(self)

    def set_attr(self, name: str, value: Any) -> None:
        raise torch_error(f"'{type_name_of(self)}' object has no attribute '{name}'",
                          "AttributeError")

    def del_attr(self, name: str) -> None:
        self.set_attr(name, None)

    @staticmethod
    def gd_attribute(obj: StorageValue, name: str) -> Any:
        """The storage's public methods and attributes, nothing of the host."""
        if name in _ATTRIBUTES:
            return _ATTRIBUTES[name](obj)
        fn = _METHODS.get(name)
        if fn is None or (name in _TYPED_ONLY and not obj.typed):
            raise torch_error(f"'{type_name_of(obj)}' object has no attribute '{name}'",
                              "AttributeError")
        return BoundMethod(obj, name, fn)


def type_name_of(s: StorageValue) -> str:
    """The storage's type as Python's messages name it (its tp_name, fully qualified)."""
    return "torch.storage.TypedStorage" if s.typed else "torch.storage.UntypedStorage"


_ATTRIBUTES = {
    "dtype": lambda s: dtype_value(s.array.dtype if s.typed else np.dtype(np.uint8)),
    "device": lambda s: _cpu(),
    "is_cuda": lambda s: False,
}
_METHODS = {
    "data_ptr": lambda s: s.ptr,
    "size": lambda s: len(s),
    "nbytes": lambda s: int(s.array.nbytes),
    "element_size": lambda s: int(s.array.itemsize),
    "tolist": lambda s: s.array.tolist(),
    "is_shared": lambda s: False,
    "is_pinned": lambda s: False,
    "type": lambda s: f"torch.{_LEGACY.get(dtypes.name_of(s.array.dtype), 'Byte')}Storage",
}
_TYPED_ONLY = frozenset(("type",))
_LEGACY = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
           "bool": "Bool", "int16": "Short", "int8": "Char", "uint8": "Byte",
           "float16": "Half"}


def _cpu() -> Any:
    from gradcli.interp.devices import CPU

    return CPU


def is_storage(obj: Any) -> bool:
    """torch.is_storage(obj): whether obj is a storage (x.storage(), x.untyped_storage())."""
    return type(obj) is StorageValue


def storage(x: Tensor) -> StorageValue:
    """x.storage(): the elements x views, of x's dtype (PyTorch warns it is deprecated)."""
    warn(_TYPED_WARNING)
    return StorageValue(x, typed=True)


def untyped_storage(x: Tensor) -> StorageValue:
    """x.untyped_storage(): the bytes x views."""
    return StorageValue(x, typed=False)
