"""Derivative rules: numpy_shapes (being written)."""
