"""Rendering of values for output: PyTorch-identical tensor text and friends."""
