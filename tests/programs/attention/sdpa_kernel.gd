import torch
import torch.nn.functional as F
torch.manual_seed(0)
from torch.nn.attention import SDPBackend, sdpa_kernel
print(SDPBackend.MATH, repr(SDPBackend.MATH), SDPBackend.MATH.name, SDPBackend.MATH.value, SDPBackend.ERROR.value, SDPBackend)
q = torch.randn(1, 2, 3, 4, requires_grad=True)
with sdpa_kernel(SDPBackend.MATH):
    print(F.scaled_dot_product_attention(q, q, q).grad_fn.name())
with sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.MATH]) as ctx:
    print(F.scaled_dot_product_attention(q, q, q).grad_fn.name(), ctx)
with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
    print(F.scaled_dot_product_attention(q, q, q).grad_fn.name())
    try:
        print(F.scaled_dot_product_attention(q[0], q[0], q[0]).grad_fn)
    except Exception as e:
        print(type(e).__name__, e)
with sdpa_kernel(SDPBackend.EFFICIENT_ATTENTION):
    try:
        print(F.scaled_dot_product_attention(q, q, q).grad_fn)
    except Exception as e:
        print(type(e).__name__, e)
print(F.scaled_dot_product_attention(q, q, q).grad_fn.name())
try:
    with sdpa_kernel("math"):
        pass
except AssertionError as e:
    print(e)
import torch.nn.attention as A
with A.sdpa_kernel(A.SDPBackend.MATH):
    print(F.scaled_dot_product_attention(q, q, q, is_causal=True)[0, 0])
print(F.scaled_dot_product_attention(q, q, q, is_causal=True)[0, 0])
