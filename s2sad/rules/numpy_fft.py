"""Derivative rules: numpy_fft (being written)."""
