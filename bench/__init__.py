"""gradcli's benchmark suite: `python bench/run.py [--quick] [WORKLOAD…]`."""
