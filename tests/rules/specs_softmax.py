"""Spec rows for the fused log-sum-exp and log-softmax."""

from s2sad.runtime.softmax import log_softmax, logsumexp, softmax, softmax_weights
from tests.rules.harness import Fixed, Spec

SPECS = [
    Spec(logsumexp, ((5,),)),
    Spec(logsumexp, ((3, 4),)),
    Spec(logsumexp, ((3, 4), Fixed(1), Fixed(True))),
    Spec(logsumexp, ((3, 4), Fixed(0), Fixed(True))),
    Spec(logsumexp, ((3, 4), Fixed(None), Fixed(True))),
    Spec(log_softmax, ((5,),)),
    Spec(log_softmax, ((3, 4), Fixed(1), Fixed(True))),
    Spec(log_softmax, ((2, 3, 4), Fixed(-1), Fixed(True))),
]

SPECS += [
    Spec(softmax, ((5,),)),
    Spec(softmax, ((3, 4), Fixed(1), Fixed(True))),
    Spec(softmax, ((2, 3, 4), Fixed(0), Fixed(True))),
]

# the softmax the rules above use (lse, only ever the log-sum-exp of z, is left out)
SPECS += [
    Spec(softmax_weights, ((5,),), wrt=("z",)),
    Spec(softmax_weights, ((3, 4), Fixed(None), Fixed(1), Fixed(True)), wrt=("z",)),
]
