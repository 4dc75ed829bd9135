"""Derivative rules: numpy_products (being written)."""
