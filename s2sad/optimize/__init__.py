"""Optimizations of generated code: they keep its meaning and make it cheaper."""
