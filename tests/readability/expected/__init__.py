"""Hand-written derivatives of the twenty functions of ``functions.py``: for each, the
adjoint (``<name>_adjoint.py``) and the tangent (``<name>_tangent.py``) as a careful person
writes them for real float64 arguments of the shapes given there, with the signatures
s2sad uses: ``<name>_adjoint(<params>, <out>_bar=1.0)`` returning the adjoints of the
arguments differentiated, ``<out>`` the returned variable or ``_y`` when an expression is
returned (``y`` is a name of the user's in some of them), and
``<name>_tangent(<params>, <wrt>_dot...)`` returning the value and its tangent.
``test_expected.py`` checks each against finite differences; ``compare.py`` measures
s2sad's emitted code against them."""
