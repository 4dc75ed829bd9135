"""Hand-written derivatives of the twenty functions of ``functions.py``: for each, the
adjoint (``<name>_adjoint.py``) and the tangent (``<name>_tangent.py``) as a careful person
writes them for real float64 arguments of the shapes given there. ``test_expected.py``
checks each against finite differences; ``compare.py`` measures s2sad's emitted code
against them."""
