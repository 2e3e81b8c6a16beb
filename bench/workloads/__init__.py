"""One module per workload (W0–W7): gradcli's implementation and each peer's."""
