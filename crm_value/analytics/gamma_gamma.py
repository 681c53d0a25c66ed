"""Gamma-Gamma: the average profit a customer will make per transaction.

Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer
base analysis", and Hardie's note "The Gamma-Gamma model of monetary value".
Each transaction's value is Gamma(p, nu); nu varies across customers as
Gamma(q, gamma). (lifetimes calls gamma ``v``.)

Per customer: ``frequency`` x, the number of repeat transactions, and
``monetary_value``, their average value. The model is fitted on customers with
x > 0 only: a customer without repeat purchases has no observed average, and
their expected spend is the population mean p * gamma / (q - 1).

Like BG/NBD the model is unit-agnostic: monetary values are rescaled to about 1
while fitting (gamma scales with the currency unit), so amounts of 1e12 fit as
well as amounts of 1.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, gammaln

from ._validation import as_vector, counts, non_negative, same_length, weights_for

PARAM_NAMES = ("p", "q", "gamma")
LOG_BOUNDS = (-15.0, 15.0)
# Gradient of the mean log-likelihood below which a fit counts as converged.
GRADIENT_SETTLED = 1e-6
# The expected spend divides by q - 1; the population mean spend is infinite
# for q <= 1, so we keep q - 1 at least this large to stay finite.
Q_MINUS_ONE_MIN = 1e-9


@dataclass(frozen=True)
class GammaGammaModel:
    """A fitted Gamma-Gamma model; `params` holds p, q, gamma."""

    params: dict
    log_likelihood: float
    converged: bool = True

    def expected_spend(self, frequency, monetary_value):
        """Conditional expected average value per transaction of each customer.

        E[M | p, q, gamma, x, m] = p (gamma + x m) / (p x + q - 1): a weighted
        mean of the population mean and the customer's own average m.
        """
        x, spend = _history(frequency, monetary_value)
        p, q, gamma = (self.params[name] for name in PARAM_NAMES)
        q_minus_one = max(q - 1, Q_MINUS_ONE_MIN)
        return p * (gamma + x * spend) / (p * x + q_minus_one)


def fit_gamma_gamma(frequency, monetary_value, weights=None):
    """Maximum-likelihood Gamma-Gamma fit on the customers with frequency > 0.

    Customers with frequency 0 are ignored (they carry no spend information);
    those with frequency > 0 must have a positive monetary value.
    """
    x, spend = _history(frequency, monetary_value)
    w = weights_for(weights, len(x))
    repeat = (x > 0) & (w > 0)
    if not np.any(repeat):
        raise ValueError("no customers to fit (none has frequency > 0)")
    if np.any(spend[repeat] <= 0):
        raise ValueError(
            "monetary_value must be positive for customers with frequency > 0 "
            "(the model describes positive values); leave out the others"
        )
    rows, inverse = np.unique(
        np.column_stack([x[repeat], spend[repeat]]), axis=0, return_inverse=True
    )
    row_weights = np.bincount(inverse.ravel(), weights=w[repeat])
    scale = (rows[:, 1] @ row_weights) / row_weights.sum()
    log_params, converged = _maximise(rows[:, 0], rows[:, 1] / scale, row_weights)
    p, q, gamma = np.exp(log_params)
    params = {"p": float(p), "q": float(q), "gamma": float(gamma * scale)}
    log_lik = row_weights @ _log_likelihood_rows(params, *rows.T)[0]
    return GammaGammaModel(params, float(log_lik), converged)


def _history(frequency, monetary_value):
    x = counts("frequency", frequency)
    spend = as_vector("monetary_value", monetary_value)
    same_length(frequency=x, monetary_value=spend)
    return x, non_negative("monetary_value", spend)


def _maximise(x, spend, weights):
    total = weights.sum()

    def objective(log_params):
        params = dict(zip(PARAM_NAMES, np.exp(log_params), strict=True))
        log_lik, gradient = _log_likelihood_rows(params, x, spend)
        return -(weights @ log_lik) / total, -(gradient @ weights) / total

    result = minimize(
        objective,
        np.zeros(3),
        jac=True,
        method="L-BFGS-B",
        bounds=[LOG_BOUNDS] * 3,
        options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-7},
    )
    # A line search can stall at the precision limit, once the fit is done.
    settled = np.max(np.abs(result.jac)) < GRADIENT_SETTLED
    return result.x, bool(result.success or settled)


def _log_likelihood_rows(params, x, m):
    """Log density of each average m given x, and its gradient (3 x n) in the
    log-parameters:

    G(px+q) / (G(px) G(q)) * gamma^q m^(px-1) x^(px) / (gamma + x m)^(px+q).
    """
    p, q, gamma = (params[name] for name in PARAM_NAMES)
    px = p * x
    log_total = np.log(gamma + x * m)
    log_lik = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_total
    )
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m * x) - log_total)
    d_q = digamma(px + q) - digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + x * m)
    return log_lik, np.vstack([p * d_p, q * d_q, gamma * d_gamma])
