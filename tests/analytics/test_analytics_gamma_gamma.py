"""Gamma-Gamma: the published CDNOW fit, parameter recovery, expected spend."""

import numpy as np
import pytest
from analytics_support import gamma_gamma, read_csv, simulate_gamma_gamma

# Fader, Hardie & Lee (2005) / Hardie's note 025 report p=6.25, q=3.74,
# gamma=15.44 from the raw CDNOW transactions. The lifetimes CSV rounds each
# average to cents, and its fit gives gamma=15.448 (lifetimes' docs: v=15.45);
# both agree with the paper to 3 significant digits, as checked here.
PUBLISHED = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow():
    return read_csv("cdnow_customers_summary_with_transactions.csv")


@pytest.fixture(scope="module")
def cdnow_model(cdnow):
    return gamma_gamma.fit_gamma_gamma(cdnow["x"], cdnow["zbar"])


def test_cdnow_fit_reproduces_published_estimates(cdnow_model):
    assert cdnow_model.converged
    for name, published in PUBLISHED.items():
        assert f"{cdnow_model.params[name]:.3g}" == f"{published:.3g}"
    assert cdnow_model.params["gamma"] == pytest.approx(15.45, abs=5e-3)


def test_customers_without_repeat_purchase_do_not_change_the_fit(cdnow):
    repeat = cdnow["x"] > 0
    everyone = gamma_gamma.fit_gamma_gamma(cdnow["x"], cdnow["zbar"])
    buyers = gamma_gamma.fit_gamma_gamma(cdnow["x"][repeat], cdnow["zbar"][repeat])
    assert everyone.params == buyers.params


def test_simulated_parameters_are_recovered():
    rng = np.random.default_rng(20240602)
    frequency = rng.integers(1, 10, 10000).astype(float)
    spend = simulate_gamma_gamma(rng, frequency, p=6.0, q=3.5, gamma=15.0)
    params = gamma_gamma.fit_gamma_gamma(frequency, spend).params
    assert params["q"] == pytest.approx(3.5, rel=0.05)
    # p and gamma trade off against each other; their product is well pinned.
    assert params["p"] == pytest.approx(6.0, rel=0.2)
    assert params["gamma"] == pytest.approx(15.0, rel=0.2)
    mean_spend = params["p"] * params["gamma"] / (params["q"] - 1)
    assert mean_spend == pytest.approx(6.0 * 15.0 / 2.5, rel=0.03)


def test_expected_spend_shrinks_own_average_towards_population_mean(cdnow_model):
    p, q, gamma = (cdnow_model.params[name] for name in ("p", "q", "gamma"))
    population_mean = p * gamma / (q - 1)
    spend = cdnow_model.expected_spend([0, 1, 1, 20], [0, 100.0, 5.0, 100.0])
    assert spend[0] == pytest.approx(population_mean)
    assert population_mean < spend[1] < 100.0
    assert 5.0 < spend[2] < population_mean
    # More transactions, more trust in the customer's own average.
    assert spend[1] < spend[3] < 100.0


def test_amount_unit_only_rescales_gamma(cdnow, cdnow_model):
    in_cents = gamma_gamma.fit_gamma_gamma(cdnow["x"], cdnow["zbar"] * 100)
    assert in_cents.params["gamma"] == pytest.approx(
        100 * cdnow_model.params["gamma"], rel=1e-4
    )
    assert in_cents.params["p"] == pytest.approx(cdnow_model.params["p"], rel=1e-4)


def test_weights_count_as_repeated_customers():
    frequency, spend = np.array([1, 2, 5, 3]), np.array([10.0, 30.0, 12.0, 8.0])
    weights = np.array([2, 1, 3, 1])
    weighted = gamma_gamma.fit_gamma_gamma(frequency, spend, weights=weights)
    expanded = gamma_gamma.fit_gamma_gamma(
        np.repeat(frequency, weights), np.repeat(spend, weights)
    )
    assert weighted.log_likelihood == pytest.approx(expanded.log_likelihood)


def test_empty_input_gives_empty_spend(cdnow_model):
    assert cdnow_model.expected_spend([], []).shape == (0,)


@pytest.mark.parametrize(
    ("frequency", "monetary_value", "reason"),
    [
        ([], [], "no customers to fit"),
        ([0, 0], [0, 0], "no customers to fit"),
        ([1, 2], [3.0], "same length"),
        ([1], [-3.0], "monetary_value must not be negative"),
        ([1], [0.0], "must be positive for customers with frequency > 0"),
        ([1], [np.nan], "NaN or infinite"),
        ([0.5], [3.0], "whole numbers"),
    ],
)
def test_bad_input_is_refused_with_reason(frequency, monetary_value, reason):
    with pytest.raises(ValueError, match=reason):
        gamma_gamma.fit_gamma_gamma(frequency, monetary_value)
