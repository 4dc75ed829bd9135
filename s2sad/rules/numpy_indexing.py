"""Derivative rules: numpy_indexing (being written)."""
