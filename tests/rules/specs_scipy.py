"""Spec rows for the scipy.special and scipy.linalg rules (none without SciPy)."""

import inspect

import numpy as np

from tests.rules.harness import Fixed, Spec, Symmetric

try:
    import scipy.linalg as sl
    import scipy.special as sp

    import s2sad.rules.scipy_linalg  # noqa: F401  (registers the rules)
    import s2sad.rules.scipy_special  # noqa: F401
except ImportError:  # SciPy is optional
    SPECS = []
else:
    _rng = np.random.default_rng(7)

    def _spd(n):
        m = _rng.standard_normal((n, n))
        return m @ m.T + n * np.eye(n)

    def _positive(*shape):
        return _rng.uniform(0.5, 2.0, shape)

    _chol_lower = sl.cho_factor(_spd(3), lower=True)
    _chol_upper = sl.cho_factor(_spd(3), lower=False)
    _lu = sl.lu_factor(_rng.standard_normal((3, 3)) + 3 * np.eye(3))

    X = ("x",)
    Z = ("z",)
    V = Fixed(1.5)  # a Bessel order

    SPECS = [
        # gamma family
        Spec(sp.gammaln, ((4,),), domain="positive"),
        Spec(sp.loggamma, ((4,),), domain="positive"),
        Spec(sp.digamma, ((4,),), domain="positive"),
        Spec(sp.psi, ((),), domain="positive", id="psi"),
        Spec(sp.polygamma, (Fixed(2), (4,)), domain="positive"),
        Spec(sp.zeta, (Fixed(2.0), (4,)), domain="positive", wrt=(1,)),
        Spec(sp.zeta, (Fixed(np.array([2.0, 3.5, 4.0])), (2, 3)), domain="positive", wrt=(1,),
             id="zeta_broadcast"),
        Spec(sp.gamma, ((4,),), domain="positive"),
        Spec(sp.rgamma, ((4,),), domain="positive"),
        Spec(sp.betaln, ((3,), (2, 3)), domain="positive"),
        Spec(sp.beta, ((2, 3), (3,)), domain="positive"),
        Spec(sp.multigammaln, ((4,), Fixed(3)), domain="above1", wrt=("a",)),
        Spec(sp.poch, ((3,), (3,)), domain="positive"),
        Spec(sp.gammainc, (Fixed(2.5), (4,)), domain="positive", wrt=X),
        Spec(sp.gammaincc, (Fixed(_positive(4)), (4,)), domain="positive", wrt=X),
        Spec(sp.gammaincinv, (Fixed(1.7), (4,)), domain="open01", wrt=("y",)),
        # error functions, normal distribution
        Spec(sp.erf, ((4,),)),
        Spec(sp.erfc, ((4,),)),
        Spec(sp.erfi, ((4,),)),
        Spec(sp.erfcx, ((4,),)),
        Spec(sp.erfinv, ((4,),), domain="unit"),
        Spec(sp.erfcinv, ((4,),), domain="open01"),
        Spec(sp.dawsn, ((4,),)),
        Spec(sp.ndtr, ((4,),)),
        Spec(sp.log_ndtr, ((4,),)),
        Spec(sp.ndtri, ((4,),), domain="open01"),
        Spec(sp.ndtri_exp, (Fixed(-_positive(4)),)),
        Spec(sp.owens_t, ((3,), (3,))),
        # logistic
        Spec(sp.expit, ((4,),)),
        Spec(sp.logit, ((4,),), domain="open01"),
        Spec(sp.log_expit, ((4,),)),
        # reductions
        Spec(sp.logsumexp, ((3, 4),)),
        Spec(sp.logsumexp, ((3, 4),), {"axis": 1}),
        Spec(sp.logsumexp, ((2, 3, 4),), {"axis": (0, 2), "keepdims": True}),
        Spec(sp.logsumexp, ((3, 4), Fixed(None), Fixed(_positive(3, 4))), id="logsumexp_b"),
        Spec(sp.logsumexp, ((3, 4),), {"axis": 0, "b": _positive(4)}, id="logsumexp_b_bcast"),
        Spec(sp.softmax, ((5,),)),
        Spec(sp.softmax, ((3, 4),), {"axis": 1}),
        Spec(sp.log_softmax, ((5,),)),
        Spec(sp.log_softmax, ((3, 4),), {"axis": 0}),
        # information theory
        Spec(sp.entr, ((4,),), domain="positive"),
        Spec(sp.rel_entr, ((4,), (4,)), domain="positive"),
        Spec(sp.kl_div, ((2, 3), (3,)), domain="positive"),
        Spec(sp.xlogy, ((4,), (4,)), domain="positive"),
        Spec(sp.xlogy, ((2, 3), (3,)), domain="positive"),
        Spec(sp.xlog1py, ((4,), (4,)), domain="positive"),
        # Bessel functions
        Spec(sp.j0, ((4,),), domain="positive"),
        Spec(sp.j1, ((4,),), domain="positive"),
        Spec(sp.jv, (V, (4,)), domain="positive", wrt=Z),
        Spec(sp.y0, ((4,),), domain="positive"),
        Spec(sp.y1, ((4,),), domain="positive"),
        Spec(sp.yv, (V, (4,)), domain="positive", wrt=Z),
        Spec(sp.i0, ((4,),)),
        Spec(sp.i1, ((4,),)),
        Spec(sp.iv, (V, (4,)), domain="positive", wrt=Z),
        Spec(sp.i0e, ((4,),), domain="nonzero"),
        Spec(sp.i1e, ((4,),), domain="nonzero"),
        # I_v(z) of a negative z is real only for an integer order: 1.5 on z > 0 only
        Spec(sp.ive, (V, (4,)), domain="positive", wrt=Z),
        Spec(sp.ive, (Fixed(2.0), (4,)), domain="nonzero", wrt=Z, id="ive_integer_order"),
        Spec(sp.k0, ((4,),), domain="positive"),
        Spec(sp.k1, ((4,),), domain="positive"),
        Spec(sp.kv, (V, (4,)), domain="positive", wrt=Z),
        Spec(sp.k0e, ((4,),), domain="positive"),
        Spec(sp.k1e, ((4,),), domain="positive"),
        Spec(sp.kve, (V, (4,)), domain="positive", wrt=Z),
        # integrals and others
        Spec(sp.exp1, ((4,),), domain="positive"),
        Spec(sp.expi, ((4,),), domain="positive"),
        Spec(sp.ellipk, ((4,),), domain="open01"),
        Spec(sp.ellipe, ((4,),), domain="open01"),
        Spec(sp.spence, ((4,),), domain="positive"),
        Spec(sp.wrightomega, ((4,),)),
        Spec(sp.huber, (Fixed(1.0), (6,)), wrt=("r",)),
        Spec(sp.pseudo_huber, (Fixed(0.7), (4,)), wrt=("r",)),
        Spec(sp.boxcox, ((4,), Fixed(0.3)), domain="positive", wrt=X),
        Spec(sp.boxcox1p, ((4,), Fixed(-0.4)), domain="positive", wrt=X),
        Spec(sp.inv_boxcox, ((4,), Fixed(0.5)), domain="positive", wrt=("y",)),
        Spec(sp.expm1, ((4,),)),
        Spec(sp.log1p, ((4,),), domain="positive"),
        Spec(sp.exp2, ((4,),)),
        Spec(sp.exp10, ((4,),)),
        Spec(sp.cbrt, ((4,),), domain="nonzero"),
        Spec(sp.cosm1, ((4,),)),
        Spec(sp.sindg, ((4,),)),
        Spec(sp.cosdg, ((4,),)),
        # scipy.linalg
        Spec(sl.solve_triangular, ((3, 3), (3,)), domain="wellconditioned"),
        Spec(sl.solve_triangular, ((3, 3), Fixed(_rng.standard_normal((3, 2)))),
             {"lower": True, "trans": 1}, domain="wellconditioned"),
        Spec(sl.solve_triangular, ((3, 3), (3,)), {"trans": "T", "unit_diagonal": True},
             domain="wellconditioned"),
        Spec(sl.solve_triangular, ((3, 3), (3,)), {"lower": True, "trans": "C"},
             domain="wellconditioned"),
        Spec(sl.solve, ((3, 3), (3,)), domain="wellconditioned"),
        Spec(sl.solve, ((3, 3), Fixed(_rng.standard_normal((3, 2)))), {"transposed": True},
             domain="wellconditioned"),
        Spec(sl.solve, ((3, 3), Fixed(_rng.standard_normal(3))), {"assume_a": "pos"}, domain="spd",
             wrt=(Symmetric("a"), "b")),
        Spec(sl.solve, ((3, 3), Fixed(_rng.standard_normal(3))), {"assume_a": "sym", "lower": True},
             domain="symmetric",
             wrt=(Symmetric("a"), "b")),
        Spec(sl.solve, ((3, 3), (3,)), {"assume_a": "upper triangular"},
             domain="wellconditioned"),
        Spec(sl.solve, ((3, 3), (3,)), {"assume_a": "diagonal"}, domain="wellconditioned"),
        Spec(sl.inv, ((3, 3),), domain="wellconditioned"),
        # SciPy before 1.16 (the newest for Python 3.10) has no inv(assume_a=)
        *([Spec(sl.inv, ((3, 3),), {"assume_a": "pos"}, domain="spd", wrt=(Symmetric("a"),))]
          if "assume_a" in inspect.signature(sl.inv).parameters else []),
        Spec(sl.det, ((3, 3),), domain="wellconditioned"),
        Spec(sl.svdvals, ((4, 3),)),
        Spec(sl.cholesky, ((3, 3),), domain="spd", wrt=(Symmetric("a"),)),
        Spec(sl.cholesky, ((3, 3),), {"lower": True}, domain="spd", wrt=(Symmetric("a"),)),
        Spec(sl.cho_factor, ((3, 3),), domain="spd", wrt=(Symmetric("a"),)),
        Spec(sl.cho_factor, ((3, 3),), {"lower": True}, domain="spd", wrt=(Symmetric("a"),)),
        Spec(sl.cho_solve, (Fixed(_chol_lower), (3,))),
        Spec(sl.cho_solve, (Fixed(_chol_upper), Fixed(_rng.standard_normal((3, 2)))),
             wrt=("b",), id="cho_solve_upper"),
        Spec(sl.cho_solve, (Fixed(_chol_lower), (3,)), wrt=("c_and_lower", "b"),
             id="cho_solve_factor"),
        Spec(sl.lu_factor, ((3, 3),), domain="wellconditioned"),
        Spec(sl.lu_solve, (Fixed(_lu), (3,))),
        Spec(sl.lu_solve, (Fixed(_lu), Fixed(_rng.standard_normal((3, 2)))), {"trans": 1},
             wrt=("b",)),
        Spec(sl.expm, ((3, 3),)),
        Spec(sl.expm, ((2, 3, 3),)),
        Spec(sl.sqrtm, ((3, 3),), domain="spd"),
        # the vectors' signs are LAPACK's: the driver numpy uses keeps them at this sample
        Spec(sl.eigh, ((3, 3),), {"driver": "evd"}, domain="symmetric",
             wrt=(Symmetric("a"),)),
        Spec(sl.eigh, ((4, 4),), {"eigvals_only": True}, domain="symmetric",
             wrt=(Symmetric("a"),)),
        Spec(sl.eigh, ((3, 3),), {"lower": False, "eigvals_only": True}, domain="symmetric",
             wrt=(Symmetric("a"),)),
    ]

    # ---- the parts of a matrix the solvers read, differentiated again ------------------
    from s2sad.runtime.scipy_factorizations import structure, triangle

    SPECS += [
        Spec(triangle, ((3, 3), Fixed(True)), wrt=(0,)),
        Spec(triangle, ((3, 3), Fixed(False), Fixed(True)), wrt=(0,)),
        Spec(structure, ((3, 3), Fixed("sym")), wrt=(0,)),
        Spec(structure, ((3, 3), Fixed("upper triangular")), wrt=(0,)),
        Spec(structure, ((3, 3), Fixed("tridiagonal")), wrt=(0,)),
        Spec(structure, ((3, 3), Fixed("gen")), wrt=(0,)),
    ]

    # ---- Sylvester's equation (sqrtm's rules) and the solves' helpers ------------------
    from s2sad.runtime.scipy_factorizations import (
        applied_tangent,
        cho_product_tangent,
        cho_product_vjp,
        outer_solution,
        unit_lower,
    )

    _shifted = _rng.standard_normal((3, 3)) + 4 * np.eye(3)
    SPECS += [
        Spec(sl.solve_sylvester, (Fixed(_shifted), Fixed(_shifted.T + np.eye(3)), (3, 3)),
             wrt=(2,), id="solve_sylvester_q"),
        Spec(sl.solve_sylvester, ((3, 3), (3, 3), (3, 3)), domain="wellconditioned"),
        Spec(sl.solve_sylvester, (Fixed(_shifted), (2, 2), (3, 2)), wrt=(1, 2),
             id="solve_sylvester_rectangular"),
        Spec(applied_tangent, ((3, 3), (3,), Fixed(np.zeros(3)), Fixed(False)), wrt=(0, 1)),
        Spec(applied_tangent, ((3, 3), (3, 2), Fixed(np.zeros((3, 2))), Fixed(True)),
             wrt=(0, 1)),
        Spec(outer_solution, ((3,), (3,), Fixed(np.zeros(3)), Fixed(False)), wrt=(0, 1)),
        Spec(outer_solution, ((3, 2), (3, 2), Fixed(np.zeros((3, 2))), Fixed(True)),
             wrt=(0, 1)),
        Spec(cho_product_tangent, ((3, 3), (3, 3), Fixed(True)), wrt=(0, 1)),
        Spec(cho_product_tangent, ((3, 3), (3, 3), Fixed(False)), wrt=(0, 1)),
        Spec(cho_product_vjp, ((3, 3), (3, 3), Fixed(True)), wrt=(0, 1)),
        Spec(cho_product_vjp, ((3, 3), (3, 3), Fixed(False)), wrt=(0, 1)),
        Spec(unit_lower, ((3, 3),)),
    ]

    # ---- scipy.stats: each method's stand-in, called with the distribution first --------
    import scipy.stats as st

    from s2sad.rules import RULES
    from s2sad.runtime.stats import loc_scale_logpdf, loc_scale_pdf, loc_scale_score

    def _method(distribution, name):
        return RULES.bound_stand_in(getattr(distribution, name))

    _beyond = Fixed(np.array([2.5, 3.2, 4.3, 5.1]))  # past every loc sampled: expon's support
    for _family in (st.norm, st.expon, st.laplace, st.logistic):
        for _name in ("logpdf", "pdf", "cdf", "sf", "logcdf"):
            SPECS += [
                Spec(_method(_family, _name), (Fixed(_family), _beyond, (), ()),
                     wrt=(1, 2, 3), domain="positive",
                     id=f"stats.{_family.name}.{_name}(x,loc,scale)"),
                Spec(_method(_family, _name), (Fixed(_family), (2, 3), Fixed(-1.0), (3,)),
                     wrt=(1, 3), domain="positive", id=f"stats.{_family.name}.{_name}(x,scale)"),
            ]
            if _family is not st.expon:
                SPECS += [Spec(_method(_family, _name), (Fixed(_family), (2, 3), (3,)),
                               wrt=(1, 2), id=f"stats.{_family.name}.{_name}(x,loc)")]
        SPECS += [Spec(helper, (Fixed(_family), _beyond, (), ()), wrt=(1, 2, 3),
                       domain="positive", id=f"{helper.__name__}({_family.name})")
                  for helper in (loc_scale_score, loc_scale_pdf, loc_scale_logpdf)]
    _spd = _rng.standard_normal((3, 3))
    SPECS += [
        Spec(_method(st.poisson, "logpmf"), (Fixed(st.poisson), Fixed(np.array([0, 2, 5])), (3,)),
             wrt=(2,), domain="positive", id="stats.poisson.logpmf(k,mu)"),
        Spec(_method(st.binom, "logpmf"), (Fixed(st.binom), Fixed(np.array([0, 2, 5])),
                                           Fixed(6), (3,)),
             wrt=(3,), domain="open01", id="stats.binom.logpmf(k,n,p)"),
        Spec(_method(st.multivariate_normal, "logpdf"),
             (Fixed(st.multivariate_normal), (4, 3), (3,), Fixed(_spd @ _spd.T + 3 * np.eye(3))),
             wrt=(1, 2), id="stats.multivariate_normal.logpdf(x,mean)"),
        Spec(_method(st.multivariate_normal, "logpdf"),
             (Fixed(st.multivariate_normal), Fixed(np.array([0.3, -0.2, 0.5])),
              Fixed(np.zeros(3)), (3, 3)),
             wrt=(Symmetric("cov"),), domain="spd", id="stats.multivariate_normal.logpdf(cov)"),
    ]
    _within = Fixed(np.array([0.2, 0.5, 0.7]))  # inside beta's support for these loc, scale
    for _name in ("cdf", "sf", "logcdf"):
        SPECS += [
            Spec(_method(st.t, _name), (Fixed(st.t), (4,), Fixed(3.0), (), ()), wrt=(1, 3, 4),
                 domain="positive", id=f"stats.t.{_name}(x,loc,scale)"),
            Spec(_method(st.gamma, _name), (Fixed(st.gamma), _beyond, Fixed(2.0), (), ()),
                 wrt=(1, 3, 4), domain="positive", id=f"stats.gamma.{_name}(x,loc,scale)"),
            Spec(_method(st.beta, _name), (Fixed(st.beta), _within, Fixed(1.5), Fixed(2.0),
                                           Fixed(-0.3), Fixed(1.5)),
                 wrt=(1, 4, 5), id=f"stats.beta.{_name}(x,loc,scale)"),
        ]
    for _name in ("logpdf", "pdf"):
        SPECS += [
            Spec(_method(st.t, _name), (Fixed(st.t), (4,), (), (), ()), wrt=(1, 2, 3, 4),
                 domain="positive", id=f"stats.t.{_name}(x,df,loc,scale)"),
            Spec(_method(st.t, _name), (Fixed(st.t), (2, 3), (3,)), wrt=(1, 2),
                 domain="positive", id=f"stats.t.{_name}(x,df)"),
            Spec(_method(st.gamma, _name), (Fixed(st.gamma), _beyond, (), (), ()),
                 wrt=(1, 2, 3, 4), domain="positive", id=f"stats.gamma.{_name}(x,a,loc,scale)"),
            Spec(_method(st.beta, _name), (Fixed(st.beta), _within, (3,), (3,)), wrt=(1, 2, 3),
                 domain="positive", id=f"stats.beta.{_name}(x,a,b)"),
            Spec(_method(st.beta, _name), (Fixed(st.beta), _within, Fixed(1.5), Fixed(2.0),
                                           Fixed(-0.3), Fixed(1.5)),
                 wrt=(1, 4, 5), id=f"stats.beta.{_name}(x,loc,scale)"),
        ]
