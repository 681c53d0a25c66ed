"""BG/NBD: the published CDNOW fit, parameter recovery, and the formulas."""

import numpy as np
import pytest
from analytics_support import bgnbd, read_csv, simulate_bgnbd
from scipy import integrate
from scipy.special import betaln

# Fader, Hardie & Lee (2005), table 1: CDNOW sample, 2357 customers, 39 weeks.
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LOG_LIKELIHOOD = -9582.4


@pytest.fixture(scope="module")
def cdnow():
    return read_csv("cdnow_customers_summary.csv")


@pytest.fixture(scope="module")
def cdnow_model(cdnow):
    return bgnbd.fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_cdnow_fit_reproduces_published_estimates(cdnow_model):
    assert cdnow_model.converged
    for name, published in PUBLISHED.items():
        # Within one unit of the last published digit.
        assert cdnow_model.params[name] == pytest.approx(published, abs=1e-3)
    assert cdnow_model.log_likelihood == pytest.approx(
        PUBLISHED_LOG_LIKELIHOOD, abs=0.05
    )


def test_cdnow_conditional_expectation_matches_paper(cdnow_model):
    # The paper's worked example: x=2, t_x=30.43, T=38.86, next 39 weeks.
    expected = cdnow_model.expected_purchases(39, 2, 30.43, 38.86)
    assert expected[0] == pytest.approx(1.226, abs=5e-4)


def test_simulated_parameters_are_recovered():
    rng = np.random.default_rng(20240601)
    truth = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
    ages = rng.uniform(26, 52, 20000)
    model = bgnbd.fit_bgnbd(*simulate_bgnbd(rng, 20000, T=ages, **truth))
    assert model.params["r"] == pytest.approx(truth["r"], rel=0.1)
    assert model.params["alpha"] == pytest.approx(truth["alpha"], rel=0.1)
    assert model.params["a"] == pytest.approx(truth["a"], rel=0.2)
    assert model.params["b"] == pytest.approx(truth["b"], rel=0.2)


def test_weights_count_as_repeated_customers():
    rows = (
        np.array([0, 1, 3, 0]),
        np.array([0, 2.0, 9.5, 0]),
        np.array([5, 6, 10.0, 8]),
    )
    weights = np.array([3, 1, 2, 4])
    weighted = bgnbd.fit_bgnbd(*rows, weights=weights)
    expanded = bgnbd.fit_bgnbd(*(np.repeat(column, weights) for column in rows))
    assert weighted.log_likelihood == pytest.approx(expanded.log_likelihood)
    for name in bgnbd.PARAM_NAMES:
        assert weighted.params[name] == pytest.approx(expanded.params[name], rel=1e-4)


def test_time_unit_only_rescales_alpha(cdnow, cdnow_model):
    days = [cdnow[column] * 7 for column in ("recency", "T")]
    in_days = bgnbd.fit_bgnbd(cdnow["frequency"], *days)
    assert in_days.params["alpha"] == pytest.approx(
        7 * cdnow_model.params["alpha"], rel=1e-4
    )
    for name in ("r", "a", "b"):
        assert in_days.params[name] == pytest.approx(cdnow_model.params[name], rel=1e-4)
    forecast_weeks = cdnow_model.expected_purchases(
        39, cdnow["frequency"], *[cdnow[column] for column in ("recency", "T")]
    )
    forecast_days = in_days.expected_purchases(39 * 7, cdnow["frequency"], *days)
    np.testing.assert_allclose(forecast_days, forecast_weeks, rtol=1e-3)


def _expectation_by_integration(params, t, x, t_x, T):
    """E[Y(t)] = P(alive) * integral of (1 - (B/(B+p t))^(r+x)) / p over the
    posterior p ~ Beta(a, b+x), with B = alpha + T (the rate integrated out)."""
    r, alpha, a, b = (params[name] for name in bgnbd.PARAM_NAMES)
    base = alpha + T

    def smooth_part(p):
        if p == 0:  # the limit, as quad may ask for the endpoint
            return (r + x) * t / base
        return -np.expm1((r + x) * np.log(base / (base + p * t))) / p

    # quad's algebraic weight p^(a-1) (1-p)^(b+x-1) takes the endpoint
    # singularities of the Beta density out of the integrand.
    value = integrate.quad(
        smooth_part, 0, 1, weight="alg", wvar=(a - 1, b + x - 1), epsrel=1e-11
    )[0] / np.exp(betaln(a, b + x))
    model = bgnbd.BetaGeoModel(params, 0.0)
    return value * model.p_alive(x, t_x, T)[0]


@pytest.mark.parametrize(
    ("params", "t", "x", "t_x", "T"),
    [
        ({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, 39, 2, 30.43, 38.86),
        ({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, 39, 0, 0, 38.86),
        ({"r": 2.0, "alpha": 30.0, "a": 3.0, "b": 7.0}, 365, 40, 700, 730),
        # a + b < 1 with no repeat purchase: the lower 2F1 parameter is negative.
        ({"r": 1.7, "alpha": 23.9, "a": 0.04, "b": 0.15}, 50, 0, 0, 0.4),
        # a close to 1, where the closed form is 0/0.
        ({"r": 0.5, "alpha": 3.0, "a": 1.0 + 1e-9, "b": 2.0}, 52, 3, 7, 10),
    ],
)
def test_conditional_expectation_matches_integral(params, t, x, t_x, T):
    model = bgnbd.BetaGeoModel(params, 0.0)
    got = model.expected_purchases(t, x, t_x, T)[0]
    assert got == pytest.approx(
        _expectation_by_integration(params, t, x, t_x, T), rel=1e-5
    )


def test_p_alive_is_one_without_repeat_purchase(cdnow_model):
    np.testing.assert_array_equal(cdnow_model.p_alive([0, 0], [0, 0], [1, 1e9]), 1.0)


def test_p_alive_falls_with_time_since_last_purchase(cdnow_model):
    p_alive = cdnow_model.p_alive([5, 5, 5], [30, 20, 2], [38, 38, 38])
    assert p_alive[0] > p_alive[1] > p_alive[2]


def test_long_silent_heavy_buyer_is_dead_not_nan(cdnow_model):
    x, t_x, T = [1e6], [1.0], [1e9]
    assert cdnow_model.p_alive(x, t_x, T)[0] == 0.0
    assert cdnow_model.expected_purchases(52, x, t_x, T)[0] == 0.0


def test_heavy_recent_buyer_gets_finite_forecast(cdnow_model):
    expected = cdnow_model.expected_purchases(52, [1e6], [1e7], [1e7])[0]
    assert np.isfinite(expected) and expected > 0


def test_empty_input_scores_to_empty_arrays(cdnow_model):
    assert cdnow_model.p_alive([], [], []).shape == (0,)
    assert cdnow_model.expected_purchases(10, [], [], []).shape == (0,)


def test_fitting_nobody_is_refused():
    with pytest.raises(ValueError, match="no customers to fit"):
        bgnbd.fit_bgnbd([], [], [])


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "reason"),
    [
        ([1, 2], [1], [3, 3], "same length"),
        ([-1], [0], [3], "frequency must not be negative"),
        ([1.5], [1], [3], "whole numbers"),
        ([1], [4], [3], "recency must not exceed T"),
        ([0], [1], [3], "recency must be 0 when frequency is 0"),
        ([1], [-1], [3], "recency must not be negative"),
        ([1], [1], [np.nan], "NaN or infinite"),
        ([np.inf], [1], [3], "NaN or infinite"),
        ([[1]], [[1]], [[3]], "one-dimensional"),
        (["a"], [1], [3], "must be numbers"),
    ],
)
def test_bad_history_is_refused_with_reason(frequency, recency, T, reason):
    with pytest.raises(ValueError, match=reason):
        bgnbd.fit_bgnbd(frequency, recency, T)
    model = bgnbd.BetaGeoModel(PUBLISHED, 0.0)
    with pytest.raises(ValueError, match=reason):
        model.p_alive(frequency, recency, T)


def test_bad_weights_and_horizon_are_refused(cdnow_model):
    with pytest.raises(ValueError, match="weights must not be negative"):
        bgnbd.fit_bgnbd([1], [1], [2], weights=[-1])
    with pytest.raises(ValueError, match="weights must not all be zero"):
        bgnbd.fit_bgnbd([1], [1], [2], weights=[0])
    with pytest.raises(ValueError, match="t .* must not be negative"):
        cdnow_model.expected_purchases(-1, [1], [1], [2])
    with pytest.raises(ValueError, match="one value or one per customer"):
        cdnow_model.expected_purchases([1, 2], [1], [1], [2])


@pytest.mark.parametrize(
    ("a", "b", "x", "times"),
    [
        (4.0, 1.0, 730.0, (74, 462, 5000)),
        (13.0, 1.75, 188.0, (10, 11, 1000)),
        (3.0, 4.0, 359383.0, (10, 11, 10000)),
    ],
)
def test_many_purchases_on_day_zero_converge_where_scipy_gives_up(a, b, x, times):
    """Many repeat purchases at age 0: scipy's 2F1 returns NaN and the
    quadrature takes over. Expected purchases grow with t towards the bound
    (a+b+x-1)/(a-1) * P(alive) of a customer who will drop out (once up to
    2% above it and falling with t: the property test's counterexamples)."""
    model = bgnbd.BetaGeoModel({"r": 1.0, "alpha": 1.0, "a": a, "b": b}, 0.0)
    history = ([x], [0.0], [0.0])
    bound = (a + b + x - 1.0) / (a - 1.0) * model.p_alive(*history)[0]
    expected = [model.expected_purchases(t, *history)[0] for t in times]
    assert all(
        later >= earlier * (1 - 1e-12)
        for earlier, later in zip(expected, expected[1:], strict=False)
    )
    assert bound * (1 - 1e-2) < expected[0] and expected[-1] <= bound * (1 + 1e-9)
