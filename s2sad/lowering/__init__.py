"""Lowering: NumPy's in-place calls become item writes (``writes``), then loops and jumps take
the few shapes the later passes know (``jumps``, with ``loops`` for ``for`` loops over
sequences and ``comprehensions`` for comprehensions)."""
