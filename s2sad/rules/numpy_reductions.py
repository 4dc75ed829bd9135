"""Derivative rules: numpy_reductions (being written)."""
