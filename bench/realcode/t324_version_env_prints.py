# --- version env prints
import sys
import torch
import numpy as np

print(torch.__version__.split("+")[0] >= "2.0")
print(torch.cuda.is_available(), torch.backends.mps.is_available() if hasattr(torch.backends, "mps") else False)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, device.type)
x = torch.ones(2, device=device)
print(x.device, x.is_cuda, x.cpu().numpy())
print(torch.get_num_threads() > 0, isinstance(sys.version, str))
print(np.__version__ >= "1.0", torch.float32.is_floating_point, torch.int64.itemsize)
print(torch.tensor([1.0]).dtype == torch.float, torch.double is torch.float64)
