"""BG/NBD: how many purchases a customer will make, and whether they are alive.

Fader, Hardie & Lee (2005), "Counting your customers the easy way: an
alternative to the Pareto/NBD model". While alive a customer buys at rate
lambda ~ Gamma(r, alpha); after each repeat purchase they drop out with
probability p ~ Beta(a, b).

Inputs follow the lifetimes convention, per customer:

- ``frequency`` x: number of repeat purchases (purchases after the first);
- ``recency`` t_x: age at the last purchase (0 when x is 0);
- ``T``: age at the end of observation, both ages counted from the first purchase.

The model is unit-agnostic: recency, T, and the horizon t of a forecast must
use one time unit (days, weeks...), which only rescales alpha. Nothing here
converts units (the lifetimes unit bug, issues #137/#194, came from that).

Everything is computed in log space (Hardie's note 027) so large frequency or
T never overflows.
"""

from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad
from scipy.optimize import minimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from ._validation import as_vector, purchase_history, weights_for

PARAM_NAMES = ("r", "alpha", "a", "b")
# Bounds on the log of each parameter, after times are rescaled to about 1:
# wide enough for any real data, tight enough to keep degenerate data (one
# customer, nobody repeating) finite instead of running off to infinity.
LOG_BOUNDS = (-15.0, 15.0)
# Gradient of the mean log-likelihood below which a fit counts as converged.
GRADIENT_SETTLED = 1e-6
# (a - 1) divides the conditional expectation; we keep a this far from 1 so
# that the 0/0 limit is approached without cancellation (error ~1e-6 relative).
A_NEAR_ONE = 1e-6


@dataclass(frozen=True)
class BetaGeoModel:
    """A fitted BG/NBD model; `params` holds r, alpha, a, b."""

    params: dict
    log_likelihood: float
    converged: bool = True

    def p_alive(self, frequency, recency, T):
        """Probability that each customer is still alive at age T."""
        x, t_x, age = purchase_history(frequency, recency, T)
        return expit(-_log_dropout_odds(self.params, x, t_x, age))

    def expected_purchases(self, t, frequency, recency, T):
        """Expected repeat purchases of each customer in the next `t` periods.

        E[Y(t) | x, t_x, T], equation (10) of the paper; `t` is a scalar or one
        value per customer, in the same unit as recency and T.
        """
        x, t_x, age = purchase_history(frequency, recency, T)
        horizon = _horizon(t, len(x))
        return _conditional_expectation(self.params, horizon, x, t_x, age)


def fit_bgnbd(frequency, recency, T, weights=None):
    """Maximum-likelihood BG/NBD fit; returns a `BetaGeoModel`.

    `weights` counts how many customers each row stands for (1 by default).
    Identical rows are merged first, so the cost grows with distinct histories,
    not with customers.
    """
    x, t_x, age = purchase_history(frequency, recency, T)
    w = weights_for(weights, len(x))
    if not len(x):
        raise ValueError("no customers to fit")
    rows, row_weights = _collapse(np.column_stack([x, t_x, age]), w)
    scale = _time_scale(rows[:, 2], row_weights)
    scaled = rows / np.array([1.0, scale, scale])
    log_params, converged = _maximise(scaled, row_weights)
    r, alpha, a, b = np.exp(log_params)
    params = {
        "r": float(r),
        "alpha": float(alpha * scale),
        "a": float(a),
        "b": float(b),
    }
    log_lik = row_weights @ _log_likelihood_rows(params, *rows.T)[0]
    return BetaGeoModel(params, float(log_lik), converged)


def _collapse(rows, weights):
    """Distinct rows and the total weight of each (zero-weight rows dropped)."""
    keep = weights > 0
    unique, inverse = np.unique(rows[keep], axis=0, return_inverse=True)
    return unique, np.bincount(inverse.ravel(), weights=weights[keep])


def _time_scale(ages, weights):
    """Typical age, so the optimiser sees alpha near 1 whatever the time unit."""
    mean_age = (ages @ weights) / weights.sum()
    return mean_age if mean_age > 0 else 1.0


def _maximise(rows, weights):
    x, t_x, age = rows.T
    total = weights.sum()

    def objective(log_params):
        params = dict(zip(PARAM_NAMES, np.exp(log_params), strict=True))
        log_lik, gradient = _log_likelihood_rows(params, x, t_x, age)
        # Mean, not sum: the tolerances then mean the same for 10 or 1e6 rows.
        return -(weights @ log_lik) / total, -(gradient @ weights) / total

    result = minimize(
        objective,
        np.zeros(4),
        jac=True,
        method="L-BFGS-B",
        bounds=[LOG_BOUNDS] * 4,
        options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-7},
    )
    # A line search can stall at the precision limit, once the fit is done.
    settled = np.max(np.abs(result.jac)) < GRADIENT_SETTLED
    return result.x, bool(result.success or settled)


def _log_likelihood_rows(params, x, t_x, T):
    """Log-likelihood of each row, and its gradient in the log-parameters.

    L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / G(r) * [(alpha+T)^-(r+x)
        + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x)],
    summed in log space with logaddexp. The gradient is 4 x n, by the
    chain rule d/d(log p) = p d/dp.
    """
    r, alpha, a, b = (params[name] for name in PARAM_NAMES)
    repeat = x > 0
    common = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + betaln(a, b + x)
        - betaln(a, b)
    )
    log_end = -(r + x) * np.log(alpha + T)
    log_drop = np.where(
        repeat,
        np.log(a)
        - np.log(np.maximum(b + x - 1, 1e-300))
        - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    log_lik = common + np.logaddexp(log_end, log_drop)
    # Share of the likelihood from "dropped out after the last purchase".
    w = np.where(repeat, expit(log_drop - log_end), 0.0)
    d_r = (
        digamma(r + x)
        - digamma(r)
        + np.log(alpha)
        - (1 - w) * np.log(alpha + T)
        - w * np.log(alpha + t_x)
    )
    d_alpha = r / alpha - (r + x) * ((1 - w) / (alpha + T) + w / (alpha + t_x))
    d_a = digamma(a + b) - digamma(a + b + x) + w / a
    d_b = (
        digamma(a + b)
        + digamma(b + x)
        - digamma(b)
        - digamma(a + b + x)
        - w / np.maximum(b + x - 1, 1e-300)
    )
    gradient = np.vstack([r * d_r, alpha * d_alpha, a * d_a, b * d_b])
    return log_lik, gradient


def _log_dropout_odds(params, x, t_x, T):
    """log of a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x): odds of having dropped
    out versus being alive; -inf (surely alive) without repeat purchases."""
    r, alpha, a, b = (params[name] for name in PARAM_NAMES)
    repeat = x > 0
    safe_b = np.where(repeat, b + x - 1, 1.0)
    log_ratio = np.log1p((T - t_x) / (alpha + t_x))
    odds = np.log(a) - np.log(safe_b) + (r + x) * log_ratio
    return np.where(repeat, odds, -np.inf)


def _horizon(t, size):
    horizon = as_vector("t", t)
    if np.any(horizon < 0):
        raise ValueError("t (the forecast horizon) must not be negative")
    if len(horizon) == 1:
        return np.full(size, horizon[0])
    if len(horizon) != size:
        raise ValueError(
            f"t must be one value or one per customer ({size}), got {len(horizon)}"
        )
    return horizon


def _conditional_expectation(params, t, x, t_x, T):
    """E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1) * (1 - G) * P(alive), where
    G = ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z),
    z = t/(alpha+T+t).

    Euler's transformation rewrites G as
    (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): two small upper parameters and
    a large lower one, a series scipy sums accurately even for huge x, where
    the original form multiplies an overflowing 2F1 by a vanishing power.
    The rare rows where scipy's 2F1 still fails are integrated numerically.
    """
    r, alpha, a, b = (params[name] for name in PARAM_NAMES)
    a = 1 + np.copysign(max(abs(a - 1), A_NEAR_ONE), a - 1)
    z = t / (alpha + T + t)
    c = a + b + x - 1
    p_alive = expit(-_log_dropout_odds(params, x, t_x, T))
    # Non-finite results are caught just below; numpy need not warn about them.
    with np.errstate(all="ignore"):
        scaled_series = _c_times_hyp2f1(a + b - 1 - r, a - 1, c, z)
        power = np.exp((a - 1) * np.log1p(-z))
        expected = (c - power * scaled_series) / (a - 1)
    failed = ~np.isfinite(expected)
    for i in np.flatnonzero(failed):
        expected[i] = _expectation_if_alive(params, t[i], x[i], T[i])
    # Rounding can leave -1e-17 for t close to 0: purchases are never negative.
    return np.maximum(expected * p_alive, 0.0)


def _expectation_if_alive(params, t, x, T):
    """E[Y(t)] of a customer alive at T, by integrating over the dropout
    probability p ~ Beta(a, b+x) (the rate already integrated out):
    integral of (1 - (B/(B + p t))^(r+x)) / p, with B = alpha + T.

    Slow (a few quadratures) but valid for any parameters; if even that fails,
    the no-dropout bound (r+x) t / B is returned rather than a NaN.
    """
    r, alpha, a, b = (params[name] for name in PARAM_NAMES)
    base = alpha + T
    bound = (r + x) * t / base

    def expected_given(p):
        if p == 0:
            return bound
        return -np.expm1((r + x) * np.log(base / (base + p * t))) / p

    low, high = a - 1, b + x - 1
    # Only the density's singular ends go into quad's weight: with many
    # purchases the density is a narrow peak that quad's algebraic weight
    # integrates badly (off by up to 2%, not monotonic in t). The rest of
    # the density is in the integrand, in logs, and the range is cut at the
    # peak and a few of its widths beyond, so that no piece hides it.
    weight_low, weight_high = min(low, 0.0), min(high, 0.0)
    log_norm = -betaln(a, b + x)

    def density(p, power_low, power_high):
        log_value = log_norm
        if power_low:
            log_value += power_low * np.log(p) if p > 0 else -np.inf
        if power_high:
            log_value += power_high * np.log1p(-p) if p < 1 else -np.inf
        return np.exp(log_value)

    n = a + b + x
    mean, width = a / n, np.sqrt(a * (b + x) / (n * n * (n + 1)))
    cuts = sorted(
        {
            float(np.clip(point, 1e-12, 1 - 1e-12))
            for point in (mean, *(mean + k * width for k in (-4, -1, 1, 4, 16, 64)))
        }
    )
    edges = [0.0, *cuts, 1.0]
    options = {"epsabs": 0.0, "epsrel": 1e-10, "limit": 500, "full_output": 1}
    value = 0.0
    with np.errstate(all="ignore"):
        # full_output keeps quad from warning, the finiteness check decides.
        for start, end in zip(edges, edges[1:], strict=False):
            first, last = start == 0.0, end == 1.0
            powers = (
                low - weight_low if first else low,
                high - weight_high if last else high,
            )
            value += quad(
                lambda p, powers=powers: density(p, *powers) * expected_given(p),
                start,
                end,
                weight="alg",
                wvar=(weight_low if first else 0.0, weight_high if last else 0.0),
                **options,
            )[0]
    return value if np.isfinite(value) else bound


def _c_times_hyp2f1(A, B, c, z):
    """c * 2F1(A, B; c; z) for z in [0, 1).

    scipy is accurate for c > 0 but not for the c in (-1, 0) of a customer
    without repeat purchases when a + b < 1; there Gauss's contiguous relation
    expresses it through c + 1 and c + 2. Multiplying by c keeps c near 0 finite.
    """
    c = np.broadcast_to(c, np.shape(z))
    low = c < 0.5
    result = c * hyp2f1(A, B, np.where(low, 1.0, c), z)
    if np.any(low):
        cl, zl = c[low], z[low]
        f1 = hyp2f1(A, B, cl + 1, zl)
        f2 = hyp2f1(A, B, cl + 2, zl)
        numerator = (cl + 1) * (cl - (2 * cl + 1 - A - B) * zl) * f1 + (cl + 1 - A) * (
            cl + 1 - B
        ) * zl * f2
        result[low] = numerator / ((cl + 1) * (1 - zl))
    return result
