"""An array of another library that NumPy converts (a pandas ``Series`` has
``__array__`` and ``__array_ufunc__`` but no ``__array_function__``) is refused at the
call with its name and the conversion to make: it was taken for a value without numbers,
and ``jvp`` gave a tangent of 0, ``vjp`` a cotangent of None."""

import numpy as np
import pytest

import s2sad


class Series:
    """A pandas-like array: ufuncs come to it, other NumPy functions convert it."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    shape = property(lambda self: self.values.shape)
    dtype = property(lambda self: self.values.dtype)

    def __array__(self, dtype=None, copy=None):
        return self.values if dtype is None else self.values.astype(dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        raw = [i.values if isinstance(i, Series) else i for i in inputs]
        out = getattr(ufunc, method)(*raw, **kwargs)
        return Series(out) if isinstance(out, np.ndarray) else out


class Frame:
    """Only ``__array__``: NumPy converts it wherever it goes."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    def __array__(self, dtype=None, copy=None):
        return self.values


def weighted_sines(x):
    return np.sum(np.sin(x) * x)


@pytest.mark.parametrize("make", [Series, Frame])
@pytest.mark.parametrize("call", [
    lambda x: s2sad.jvp(weighted_sines, (x,), (x,)),
    lambda x: s2sad.vjp(weighted_sines, x),
    lambda x: s2sad.grad(weighted_sines)(x),
    lambda x: s2sad.value_and_grad(weighted_sines)(x),
    lambda x: s2sad.jacrev(weighted_sines)(x),
    lambda x: s2sad.grad(lambda pair: weighted_sines(pair[0]))((x, 1.0)),
])
def test_an_array_of_another_library_numpy_converts_is_refused(make, call):
    with pytest.raises(TypeError, match=rf"is a {make.__name__}.*np\.asarray"):
        call(make([0.3, 0.7]))


def test_the_converted_array_is_differentiated():
    x = np.asarray(Series([0.3, 0.7]))
    np.testing.assert_allclose(s2sad.grad(weighted_sines)(x), np.cos(x) * x + np.sin(x))


class Image:
    """Converted through an ``__array_interface__`` of its own, as an image is."""

    def __init__(self, values):
        self._values = np.asarray(values, dtype=float)
        self.__array_interface__ = self._values.__array_interface__


@pytest.mark.parametrize("make", [Image, lambda v: memoryview(np.asarray(v, dtype=float))])
def test_an_array_interface_or_a_buffer_is_refused(make):
    with pytest.raises(TypeError, match=r"np\.asarray"):
        s2sad.jvp(weighted_sines, (make([0.3, 0.7]),), (np.ones(2),))
    with pytest.raises(TypeError, match=r"np\.asarray"):
        s2sad.vjp(weighted_sines, make([0.3, 0.7]))
