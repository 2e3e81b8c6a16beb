"""torch.distributions' Gamma family (Gamma, Chi2, StudentT, Beta, Dirichlet, drawn by ATen's
gamma sampler and differentiable by its implicit reparameterization gradients) and
MixtureSameFamily, with their kl_divergence: the rest of distributions_extra.py's kinds,
in the same style."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gradcli.ad import ops
from gradcli.ad.record import apply
from gradcli.ad.registry import RULES
from gradcli.ad.tensor import Tensor, no_grad, tensor_from_array
from gradcli.interp.distributions import (
    KL,
    POSITIVE,
    REAL,
    SIMPLEX,
    UNIT_INTERVAL,
    Categorical,
    Constraint,
    Distribution,
    _broadcast_all,
    _is_number,
    _sample_shape,
    _value_error,
)
from gradcli.interp.distributions_extra import (
    NONNEGATIVE,
    POSITIVE_VECTOR,
    T,
    _empty,
)
from gradcli.interp.values import Size


def _standard_gamma(alpha: Tensor) -> Tensor:
    """torch._standard_gamma: ATen's gamma sampler on each element, in order, recorded as
    StandardGammaBackward0 (differentiable in alpha)."""
    values = ops.generator().standard_gamma(alpha.detach().array, alpha.dtype)
    return apply(RULES["standard_gamma"], (alpha,), {"values": values})


class Gamma(Distribution):
    """Gamma(concentration, rate)."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Gamma", "gamma", True, ("concentration", "rate")

    def __init__(self, concentration: Any, rate: Any, validate_args: Any = None) -> None:
        self.init_pair(concentration, rate, validate_args, ("concentration", "rate"))

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"concentration": POSITIVE, "rate": POSITIVE}

    def support(self) -> Constraint:
        return NONNEGATIVE

    def mean(self) -> Tensor:
        return self.params["concentration"] / self.params["rate"]

    def mode(self) -> Tensor:
        return ((self.params["concentration"] - 1) / self.params["rate"]).clamp(min=0)

    def variance(self) -> Tensor:
        return self.params["concentration"] / self.params["rate"].pow(2)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self.extended_shape(sample_shape)
        c = self.params["concentration"]
        value = _standard_gamma(c.expand(*shape)) / self.params["rate"].expand(*shape)
        value.detach().clamp_(min=float(np.finfo(value.dtype).tiny))
        return value

    def log_prob_of(self, value: Any) -> Tensor:
        c, r = self.params["concentration"], self.params["rate"]
        xlogy = T["torch.xlogy"]
        return xlogy(c, r) + xlogy(c - 1, value) - r * value - T["torch.lgamma"](c)

    def cdf(self, value: Any) -> Tensor:
        if self.validate:
            self.validate_sample(value)
        return T["torch.special.gammainc"](self.params["concentration"],
                                           self.params["rate"] * value)

    def entropy(self) -> Tensor:
        c, r = self.params["concentration"], self.params["rate"]
        return (c - ops.log(r) + T["torch.lgamma"](c)
                + (1.0 - c) * T["torch.digamma"](c))


class Chi2(Gamma):
    """Chi2(df): Gamma(df / 2, 1 / 2)."""

    __slots__ = ()
    kind, module, arg_names = "Chi2", "chi2", ()

    def __init__(self, df: Any, validate_args: Any = None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"df": POSITIVE}

    def checked_param(self, name: str) -> Tensor | None:
        return self.df() if name == "df" else None

    def df(self) -> Tensor:
        return self.params["concentration"] * 2

    def get_attr(self, name: str) -> Any:
        if name == "df":
            return self.df()
        if name in ("concentration", "rate"):
            return self.params[name]
        return super().get_attr(name)


class StudentT(Distribution):
    """StudentT(df, loc=0.0, scale=1.0)."""

    __slots__ = ("chi2",)
    kind, module, has_rsample, arg_names = "StudentT", "studentT", True, ("df", "loc", "scale")

    def __init__(self, df: Any, loc: Any = 0.0, scale: Any = 1.0,
                 validate_args: Any = None) -> None:
        d, m, s = _broadcast_all(df, loc, scale)
        self.chi2 = Chi2(d)
        super().__init__({"df": d, "loc": m, "scale": s}, d.shape, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"df": POSITIVE, "loc": REAL, "scale": POSITIVE}

    def support(self) -> Constraint:
        return REAL

    def mean(self) -> Tensor:
        m = self.params["loc"].clone()
        m[self.params["df"] <= 1] = math.nan
        return m

    def mode(self) -> Tensor:
        return self.params["loc"]

    def variance(self) -> Tensor:
        df, scale = self.params["df"], self.params["scale"]
        m = df.clone()
        big = df > 2
        m[big] = scale[big].pow(2) * df[big] / (df[big] - 2)
        m[(df <= 2) & (df > 1)] = math.inf
        m[df <= 1] = math.nan
        return m

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        df = self.params["df"]
        x = T["Tensor.normal_"](_empty(self.extended_shape(sample_shape), df))
        z = self.chi2.rsample(sample_shape)
        y = x * T["torch.rsqrt"](z / df)
        return self.params["loc"] + self.params["scale"] * y

    def log_prob_of(self, value: Any) -> Tensor:
        df, loc, scale = self.params["df"], self.params["loc"], self.params["scale"]
        y = (value - loc) / scale
        lgamma = T["torch.lgamma"]
        z = (scale.log() + 0.5 * df.log() + 0.5 * math.log(math.pi) + lgamma(0.5 * df)
             - lgamma(0.5 * (df + 1.0)))
        return -0.5 * (df + 1.0) * ops.log1p(y ** 2.0 / df) - z

    def entropy(self) -> Tensor:
        df, scale = self.params["df"], self.params["scale"]
        lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
        lbeta = lgamma(0.5 * df) + math.lgamma(0.5) - lgamma(0.5 * (df + 1))
        return (scale.log() + 0.5 * (df + 1) * (digamma(0.5 * (df + 1)) - digamma(0.5 * df))
                + 0.5 * df.log() + lbeta)


class Dirichlet(Distribution):
    """Dirichlet(concentration): over the simplex of the last dim."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = "Dirichlet", "dirichlet", True, ("concentration",)

    def __init__(self, concentration: Any, validate_args: Any = None) -> None:
        if type(concentration) is not Tensor or concentration.ndim < 1:
            raise _value_error("`concentration` parameter must be at least one-dimensional.")
        super().__init__({"concentration": concentration}, concentration.shape[:-1],
                         validate_args)
        self.event_shape = Size(concentration.shape[-1:])

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"concentration": POSITIVE_VECTOR}

    def support(self) -> Constraint:
        return SIMPLEX

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        c = self.params["concentration"]
        alpha = c.detach().expand(*self.extended_shape(sample_shape))
        # torch._sample_dirichlet: double gamma draws, normalized in double, rounded to
        # the dtype and kept inside (0, 1); recorded as _Dirichlet's node.
        gamma = tensor_from_array(ops.generator().standard_gamma(
            alpha.array.astype(np.float64), np.dtype(np.float64)))
        share = (gamma / gamma.sum(-1, keepdim=True)).array.astype(c.dtype)
        dt = np.dtype(c.dtype)
        top = np.nextafter(dt.type(1), dt.type(0))
        values = np.minimum(top, np.maximum(np.finfo(dt).tiny, share))
        return apply(RULES["sample_dirichlet"], (c.expand(*alpha.shape),), {"values": values})

    def log_prob_of(self, value: Any) -> Tensor:
        c = self.params["concentration"]
        return (T["torch.xlogy"](c - 1.0, value).sum(-1) + T["torch.lgamma"](c.sum(-1))
                - T["torch.lgamma"](c).sum(-1))

    def mean(self) -> Tensor:
        c = self.params["concentration"]
        return c / c.sum(-1, keepdim=True)

    def mode(self) -> Tensor:
        c = self.params["concentration"]
        concm1 = (c - 1).clamp(min=0.0)
        mode = concm1 / concm1.sum(-1, keepdim=True)
        mask = T["torch.all"](c < 1, dim=-1)
        if bool(T["torch.any"](mask)):
            mode[mask] = T["torch.nn.functional.one_hot"](
                mode[mask].argmax(dim=-1), concm1.shape[-1]).to(mode.dtype)
        return mode

    def variance(self) -> Tensor:
        c = self.params["concentration"]
        c0 = c.sum(-1, keepdim=True)
        return c * (c0 - c) / (c0.pow(2) * (c0 + 1))

    def entropy(self) -> Tensor:
        c = self.params["concentration"]
        k = c.shape[-1]
        a0 = c.sum(-1)
        lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
        return (lgamma(c).sum(-1) - lgamma(a0) - (k - a0) * digamma(a0)
                - ((c - 1.0) * digamma(c)).sum(-1))


class Beta(Distribution):
    """Beta(concentration1, concentration0): a two-event Dirichlet's first share."""

    __slots__ = ("dirichlet",)
    kind, module, has_rsample = "Beta", "beta", True
    arg_names = ("concentration1", "concentration0")

    def __init__(self, concentration1: Any, concentration0: Any,
                 validate_args: Any = None) -> None:
        if _is_number(concentration1) and _is_number(concentration0):
            both = ops.tensor([float(concentration1), float(concentration0)])
        else:
            c1, c0 = _broadcast_all(concentration1, concentration0)
            both = T["torch.stack"]([c1, c0], -1)
        self.dirichlet = Dirichlet(both, validate_args=validate_args)
        super().__init__({}, self.dirichlet.batch_shape, False)
        self.validate = self.dirichlet.validate

    def param(self, name: str) -> Tensor:
        c = self.dirichlet.params["concentration"]
        return c[..., 0] if name == "concentration1" else c[..., 1]

    def get_attr(self, name: str) -> Any:
        if name in self.arg_names:
            return self.param(name)
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return "Beta()"

    def support(self) -> Constraint:
        return UNIT_INTERVAL

    def mean(self) -> Tensor:
        c1, c0 = self.param("concentration1"), self.param("concentration0")
        return c1 / (c1 + c0)

    def mode(self) -> Tensor:
        return self.dirichlet.mode()[..., 0]

    def variance(self) -> Tensor:
        c1, c0 = self.param("concentration1"), self.param("concentration0")
        total = c1 + c0
        return c1 * c0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob_of(self, value: Any) -> Tensor:
        heads_tails = T["torch.stack"]([value, 1.0 - value], -1)
        return self.dirichlet.log_prob(heads_tails)

    def entropy(self) -> Tensor:
        return self.dirichlet.entropy()


class MixtureSameFamily(Distribution):
    """MixtureSameFamily(mixture_distribution, component_distribution): a Categorical
    over the components, which are the component distribution's rightmost batch dim."""

    __slots__ = ("component", "event_ndims", "mixture")
    kind, module = "MixtureSameFamily", "mixture_same_family"

    def __init__(self, mixture_distribution: Any, component_distribution: Any,
                 validate_args: Any = None) -> None:
        mix, comp = mixture_distribution, component_distribution
        if not isinstance(mix, Categorical):
            raise _value_error(" The Mixture distribution needs to be an  instance of "
                               "torch.distributions.Categorical")
        if not isinstance(comp, Distribution):
            raise _value_error("The Component distribution needs to be an instance of "
                               "torch.distributions.Distribution")
        mdbs, cdbs = mix.batch_shape, Size(tuple(comp.batch_shape)[:-1])
        for a, b in zip(reversed(mdbs), reversed(cdbs), strict=False):
            if a != 1 and b != 1 and a != b:
                raise _value_error(f"`mixture_distribution.batch_shape` ({mdbs}) is not "
                                   f"compatible with `component_distribution.batch_shape`"
                                   f"({cdbs})")
        km, kc = mix.param("logits").shape[-1], comp.batch_shape[-1]  # (derives logits)
        if km != kc:
            raise _value_error(f"`mixture_distribution component` ({km}) does not equal "
                               f"`component_distribution.batch_shape[-1]` ({kc})")
        self.mixture, self.component = mix, comp
        self.event_ndims = len(comp.event_shape)
        super().__init__({}, cdbs, validate_args)
        self.event_shape = comp.event_shape

    def get_attr(self, name: str) -> Any:
        if name == "mixture_distribution":
            return self.mixture
        if name == "component_distribution":
            return self.component
        return super().get_attr(name)

    def gd_repr(self) -> str:
        return (f"MixtureSameFamily(\n  {self.mixture.gd_repr()},\n"
                f"  {self.component.gd_repr()})")

    def support(self) -> Constraint:
        inner = self.component.support()
        return Constraint(f"MixtureSameFamilyConstraint({inner.text})",
                          lambda v: T["torch.all"](inner.check(self._pad(v)), dim=-1))

    def _pad(self, x: Tensor) -> Tensor:
        return x.unsqueeze(-1 - self.event_ndims)

    def _pad_mixture(self, x: Tensor) -> Tensor:
        cat_ndims = len(self.mixture.batch_shape)
        pad = 0 if cat_ndims == 1 else len(self.batch_shape) - cat_ndims
        xs = tuple(x.shape)
        return x.reshape(*xs[:-1], *([1] * pad), *xs[-1:], *([1] * self.event_ndims))

    def mean(self) -> Tensor:
        probs = self._pad_mixture(self.mixture.param("probs"))
        return T["torch.sum"](probs * self.component.mean(), dim=-1 - self.event_ndims)

    def variance(self) -> Tensor:
        probs = self._pad_mixture(self.mixture.param("probs"))
        dim = -1 - self.event_ndims
        mean_cond_var = T["torch.sum"](probs * self.component.variance(), dim=dim)
        var_cond_mean = T["torch.sum"](
            probs * (self.component.mean() - self._pad(self.mean())).pow(2.0), dim=dim)
        return mean_cond_var + var_cond_mean

    def cdf(self, value: Any) -> Tensor:
        cdf_x = self.component.cdf(self._pad(value))
        return T["torch.sum"](cdf_x * self.mixture.param("probs"), dim=-1)

    def log_prob_of(self, value: Any) -> Tensor:
        log_prob_x = self.component.log_prob(self._pad(value))
        log_mix = T["torch.log_softmax"](self.mixture.param("logits"), dim=-1)
        return T["torch.logsumexp"](log_prob_x + log_mix, dim=-1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        with no_grad():
            shape = _sample_shape(sample_shape)
            gather_dim = len(shape) + len(self.batch_shape)
            es = tuple(self.event_shape)
            mix = self.mixture.sample(shape)
            comp = self.component.sample(shape)
            mix_shape = tuple(mix.shape)
            idx = mix.reshape(*mix_shape, *([1] * (len(es) + 1)))
            idx = idx.repeat(*([1] * len(mix_shape)), 1, *es)
            return T["torch.gather"](comp, gather_dim, idx).squeeze(gather_dim)


def _kl_gamma(p: Any, q: Any) -> Tensor:
    pc, pr = p.params["concentration"], p.params["rate"]
    qc, qr = q.params["concentration"], q.params["rate"]
    lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
    return (qc * (pr / qr).log() + (lgamma(qc) - lgamma(pc)) + (pc - qc) * digamma(pc)
            + (qr - pr) * (pc / pr))


def _kl_beta(p: Any, q: Any) -> Tensor:
    p1, p0 = p.param("concentration1"), p.param("concentration0")
    q1, q0 = q.param("concentration1"), q.param("concentration0")
    sp, sq = p1 + p0, q1 + q0
    lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
    t1 = lgamma(q1) + lgamma(q0) + lgamma(sp)
    t2 = lgamma(p1) + lgamma(p0) + lgamma(sq)
    return (t1 - t2 + (p1 - q1) * digamma(p1) + (p0 - q0) * digamma(p0)
            + (sq - sp) * digamma(sp))


def _kl_dirichlet(p: Any, q: Any) -> Tensor:
    pc, qc = p.params["concentration"], q.params["concentration"]
    sp, sq = pc.sum(-1), qc.sum(-1)
    lgamma, digamma = T["torch.lgamma"], T["torch.digamma"]
    t1 = lgamma(sp) - lgamma(sq)
    t2 = (lgamma(pc) - lgamma(qc)).sum(-1)
    return t1 - t2 + ((pc - qc) * (digamma(pc) - digamma(sp).unsqueeze(-1))).sum(-1)


KL.update({Gamma: _kl_gamma, Chi2: _kl_gamma, Beta: _kl_beta, Dirichlet: _kl_dirichlet})

class FisherSnedecor(Distribution):
    """FisherSnedecor(df1, df2): X1 / X2 of X1 ~ Gamma(df1/2, df1), X2 ~ Gamma(df2/2, df2)
    (PyTorch's draws, in its order: X1's then X2's)."""

    __slots__ = ()
    kind, module, has_rsample, arg_names = ("FisherSnedecor", "fishersnedecor", True,
                                            ("df1", "df2"))

    def __init__(self, df1: Any, df2: Any, validate_args: Any = None) -> None:
        self.init_pair(df1, df2, validate_args)

    def arg_constraints(self) -> dict[str, Constraint]:
        return {"df1": POSITIVE, "df2": POSITIVE}

    def support(self) -> Constraint:
        return POSITIVE

    def mean(self) -> Tensor:
        df2 = self.params["df2"].clone()
        df2[df2 <= 2] = math.nan
        return df2 / (df2 - 2)

    def mode(self) -> Tensor:
        df1, df2 = self.params["df1"], self.params["df2"]
        mode = (df1 - 2) / df1 * df2 / (df2 + 2)
        mode[df1 <= 2] = math.nan
        return mode

    def variance(self) -> Tensor:
        df1, df2 = self.params["df1"], self.params["df2"].clone()
        df2[df2 <= 4] = math.nan
        return 2 * df2.pow(2) * (df1 + df2 - 2) / (df1 * (df2 - 2).pow(2) * (df2 - 4))

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        df1, df2 = self.params["df1"], self.params["df2"]
        shape = tuple(self.extended_shape(sample_shape))
        x1 = Gamma(df1 * 0.5, df1).rsample(sample_shape).reshape(shape)
        x2 = Gamma(df2 * 0.5, df2).rsample(sample_shape).reshape(shape)
        tiny = float(np.finfo(x2.dtype).tiny)
        x2.clamp_(min=tiny)
        y = x1 / x2
        y.clamp_(min=tiny)
        return y

    def log_prob_of(self, value: Any) -> Tensor:
        df1, df2 = self.params["df1"], self.params["df2"]
        lgamma = T["torch.lgamma"]
        ct1, ct2, ct3 = df1 * 0.5, df2 * 0.5, df1 / df2
        t1 = lgamma(ct1 + ct2) - lgamma(ct1) - lgamma(ct2)
        t2 = ct1 * ct3.log() + (ct1 - 1) * ops.log(value)
        t3 = (ct1 + ct2) * T["torch.log1p"](ct3 * value)
        return t1 + t2 - t3


KINDS: tuple[type[Distribution], ...] = (Gamma, Chi2, StudentT, Beta, Dirichlet,
                                         MixtureSameFamily, FisherSnedecor)
