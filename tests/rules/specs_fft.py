"""Spec rows for the np.fft rules (real inputs by default, "complex" domain for complex)."""

import numpy as np

from tests.rules.harness import Fixed, Spec

fft = np.fft
C = "complex"

SPECS = [
    # complex transforms
    Spec(fft.fft, ((5,),)),
    Spec(fft.fft, ((3, 4),), {"axis": 0}),
    Spec(fft.fft, ((5,),), {"n": 8}),
    Spec(fft.fft, ((2, 5),), {"n": 3, "norm": "ortho"}),
    Spec(fft.fft, ((4,),), {"norm": "forward"}, domain=C),
    Spec(fft.fft, ((3, 4),), {"n": 6, "axis": 0, "norm": "backward"}, domain=C),
    Spec(fft.ifft, ((5,),)),
    Spec(fft.ifft, ((4,),), domain=C),
    Spec(fft.ifft, ((3, 4),), {"n": 2, "norm": "ortho"}, domain=C),
    Spec(fft.ifft, ((3, 4),), {"n": 7, "axis": -2, "norm": "forward"}),
    Spec(fft.fft2, ((3, 4),)),
    Spec(fft.fft2, ((3, 4),), {"s": (4, 2), "norm": "ortho"}),
    Spec(fft.fft2, ((2, 3, 4),), {"axes": (0, 2)}, domain=C),
    Spec(fft.ifft2, ((3, 4),), domain=C),
    Spec(fft.ifft2, ((3, 4),), {"s": (2, 5), "norm": "forward"}),
    Spec(fft.fftn, ((2, 3, 4),)),
    Spec(fft.fftn, ((2, 3, 4),), {"axes": (0, 2), "s": (3, 3)}, domain=C),
    Spec(fft.fftn, ((2, 3, 4),), {"axes": (1,), "norm": "ortho"}),
    Spec(fft.ifftn, ((2, 3, 4),), domain=C),
    Spec(fft.ifftn, ((2, 3),), {"s": (4, 2), "axes": (0, 1), "norm": "forward"}),
    # real-input transforms and their inverses
    Spec(fft.rfft, ((6,),)),
    Spec(fft.rfft, ((5,),)),
    Spec(fft.rfft, ((5,),), {"n": 8}),
    Spec(fft.rfft, ((6,),), {"n": 3, "norm": "ortho"}),
    Spec(fft.rfft, ((4, 3),), {"axis": 0, "norm": "forward"}),
    Spec(fft.irfft, ((4,),), domain=C),
    Spec(fft.irfft, ((4,),), {"n": 7}, domain=C),
    Spec(fft.irfft, ((4,),), {"n": 4, "norm": "ortho"}, domain=C),
    Spec(fft.irfft, ((4, 3),), {"axis": 0, "norm": "forward"}, domain=C),
    Spec(fft.irfft, ((5,),), {"n": 12}),
    Spec(fft.rfft2, ((4, 6),)),
    Spec(fft.rfft2, ((4, 6),), {"s": (3, 5), "norm": "ortho"}),
    Spec(fft.irfft2, ((3, 4),), domain=C),
    Spec(fft.irfft2, ((3, 4),), {"s": (4, 5)}, domain=C),
    Spec(fft.rfftn, ((2, 3, 4),)),
    Spec(fft.rfftn, ((2, 3, 4),), {"axes": (0, 2), "norm": "forward"}),
    Spec(fft.rfftn, ((2, 3, 4),), {"s": (4, 3), "axes": (1, 2)}),
    Spec(fft.irfftn, ((2, 3, 4),), domain=C),
    Spec(fft.irfftn, ((2, 3, 4),), {"s": (2, 3, 5), "axes": (0, 1, 2), "norm": "ortho"}, domain=C),
    Spec(fft.irfftn, ((3, 4),), {"axes": (1, 0)}, domain=C),
    Spec(fft.hfft, ((4,),), domain=C),
    Spec(fft.hfft, ((4,),), {"n": 7, "norm": "ortho"}, domain=C),
    Spec(fft.ihfft, ((6,),)),
    Spec(fft.ihfft, ((5,),), {"n": 4, "norm": "forward"}),
    # shifts and frequencies
    Spec(fft.fftshift, ((5,),)),
    Spec(fft.fftshift, ((3, 4),), {"axes": 0}),
    Spec(fft.fftshift, ((3, 4),), {"axes": (0, 1)}, domain=C),
    Spec(fft.ifftshift, ((5,),)),
    Spec(fft.ifftshift, ((3, 5),), {"axes": (1,)}),
    Spec(fft.fftfreq, (Fixed(8), ()), domain="positive"),
    Spec(fft.fftfreq, (Fixed(7),), {"d": 0.3}, wrt=("d",)),
    Spec(fft.rfftfreq, (Fixed(8), ()), domain="positive"),
]

# ---- the rules' helpers, differentiated again -------------------------------------
from s2sad.runtime.fft import adjoint_fit, fit, irfft_adjoint, rfft_adjoint  # noqa: E402

_HALF = np.zeros((2, 3, 3), dtype=complex)
SPECS += [
    Spec(fit, ((3,), Fixed(np.zeros(5)), Fixed((0,))), wrt=(0,)),
    Spec(fit, ((2, 5), Fixed(np.zeros((2, 3))), Fixed((1,))), wrt=(0,)),
    Spec(adjoint_fit, ((5,), Fixed(np.zeros(3)), Fixed((0,))), wrt=(0,), domain=C),
    Spec(adjoint_fit, ((2,), Fixed(np.zeros(4, complex)), Fixed((0,))), wrt=(0,), domain=C),
    Spec(rfft_adjoint, ((2, 3, 3), Fixed(np.zeros((2, 3, 4))), Fixed((2, 3, 4)),
                        Fixed((0, 1, 2)), Fixed(None)), wrt=(0,), domain=C),
    Spec(rfft_adjoint, ((4,), Fixed(np.zeros(5)), Fixed((6,)), Fixed((0,)), Fixed("ortho")),
         wrt=(0,), domain=C),
    Spec(irfft_adjoint, ((2, 3, 4), Fixed(_HALF), Fixed((2, 3, 4)), Fixed((0, 1, 2)),
                         Fixed(None)), wrt=(0,)),
    Spec(irfft_adjoint, ((5,), Fixed(np.zeros(3, complex)), Fixed((5,)), Fixed((0,)),
                         Fixed("forward")), wrt=(0,)),
]
