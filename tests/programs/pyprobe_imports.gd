try:
    import wandb
except ImportError as e:
    print(type(e).__name__, e)
    wandb = None
print(wandb is None)
try:
    import torch.foo
except ImportError as e:
    print(e)
try:
    from not_a_module.sub import thing
except ModuleNotFoundError as e:
    print(e, isinstance(e, ImportError))
try:
    raise KeyboardInterrupt
except KeyboardInterrupt:
    print("interrupted")
try:
    raise FileNotFoundError("no such file")
except (OSError, IOError) as e:
    print("oserror", e)
try:
    raise RecursionError("deep")
except RuntimeError as e:
    print(type(e).__name__, e)
print(issubclass(FileNotFoundError, OSError), IOError is OSError, issubclass(UserWarning, Warning))
