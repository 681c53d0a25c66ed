"""CLV: past profit compounded to today, future profit discounted by month."""

import numpy as np
import pytest
from analytics_support import bgnbd, clv, gamma_gamma

BG = bgnbd.BetaGeoModel({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, 0.0)
GG = gamma_gamma.GammaGammaModel({"p": 6.25, "q": 3.74, "gamma": 15.44}, 0.0)
# Customers in weeks: none repeating, a regular, a lapsed heavy buyer.
HISTORY = {
    "frequency": np.array([0, 2, 10]),
    "recency": np.array([0, 30.43, 20.0]),
    "T": np.array([38.86, 38.86, 38.86]),
    "monetary_value": np.array([0, 22.35, 40.0]),
}


def test_past_profit_is_compounded_to_today():
    values = clv.historical_value([100.0, -20.0, 50.0], [12, 0, 1.5], monthly_rate=0.01)
    np.testing.assert_allclose(values, [100 * 1.01**12, -20.0, 50 * 1.01**1.5])


def test_past_profit_is_summed_per_customer():
    totals = clv.historical_value(
        [100.0, 10.0, 5.0], [0, 0, 0], customers=[2, 0, 2], n_customers=4
    )
    np.testing.assert_allclose(totals, [10.0, 0.0, 105.0, 0.0])


HISTORY_ROWS = tuple(HISTORY[k] for k in ("frequency", "recency", "T"))
MONTH_IN_WEEKS = 365.25 / 12 / 7


def test_discounted_purchases_of_one_month_by_hand():
    value = clv.discounted_purchases(BG, *HISTORY_ROWS, 1, MONTH_IN_WEEKS, 0.01)
    purchases = BG.expected_purchases(MONTH_IN_WEEKS, *HISTORY_ROWS)
    np.testing.assert_allclose(value, purchases / 1.01)


def test_without_discount_it_is_the_expected_purchases_over_the_horizon():
    value = clv.discounted_purchases(BG, *HISTORY_ROWS, 24, MONTH_IN_WEEKS, 0.0)
    purchases = BG.expected_purchases(24 * MONTH_IN_WEEKS, *HISTORY_ROWS)
    np.testing.assert_allclose(value, purchases)


def test_discounting_lowers_value_and_longer_horizons_raise_it():
    def value(months=24, rate=0.01):
        return clv.discounted_purchases(BG, *HISTORY_ROWS, months, MONTH_IN_WEEKS, rate)

    assert np.all(value(rate=0.02) < value(rate=0.0))
    assert np.all(value(months=12) < value(months=24))
    np.testing.assert_array_equal(value(months=0), 0.0)


def test_days_and_weeks_give_the_same_discounted_purchases():
    in_days = [HISTORY["frequency"], HISTORY["recency"] * 7, HISTORY["T"] * 7]
    bg_days = bgnbd.BetaGeoModel(dict(BG.params, alpha=BG.params["alpha"] * 7), 0.0)
    weeks = clv.discounted_purchases(BG, *HISTORY_ROWS, 24, MONTH_IN_WEEKS, 0.01)
    days = clv.discounted_purchases(bg_days, *in_days, 24, 365.25 / 12, 0.01)
    np.testing.assert_allclose(days, weeks, rtol=1e-9)


def test_monthly_purchases_are_never_negative():
    monthly = clv.monthly_purchases(BG, *HISTORY_ROWS, 36, 4.35)
    assert monthly.shape == (36, 3) and np.all(monthly >= 0)


def test_empty_input_gives_empty_values():
    assert clv.historical_value([], []).shape == (0,)
    empty = ([], [], [])
    assert clv.discounted_purchases(BG, *empty, 24, 30.0, 0.01).shape == (0,)


@pytest.mark.parametrize(
    ("months", "rate", "reason"),
    [
        (-1, 0.01, "horizon_months"),
        (1.5, 0.01, "horizon_months"),
        (24, -1, "monthly_rate"),
        (24, np.nan, "monthly_rate"),
    ],
)
def test_bad_discount_options_are_refused(months, rate, reason):
    with pytest.raises(ValueError, match=reason):
        clv.discounted_purchases(BG, *HISTORY_ROWS, months, MONTH_IN_WEEKS, rate)


@pytest.mark.parametrize(
    ("args", "options", "reason"),
    [
        (([1.0], [-1]), {}, "ages_in_months must not be negative"),
        (([1.0, 2.0], [1]), {}, "same length"),
        (([np.inf], [1]), {}, "NaN or infinite"),
        (([1.0], [1]), {"customers": [-1]}, "whole indexes"),
        (([1.0], [1]), {"customers": [3], "n_customers": 2}, "n_customers"),
        (([1.0], [1]), {"customers": [0, 1]}, "one index per event"),
    ],
)
def test_bad_history_is_refused(args, options, reason):
    with pytest.raises(ValueError, match=reason):
        clv.historical_value(*args, **options)
