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


def test_future_value_of_one_month_by_hand():
    value = clv.future_value(
        BG, GG, **HISTORY, time_unit_days=7, horizon_months=1, monthly_rate=0.01
    )
    month_in_weeks = 365.25 / 12 / 7
    purchases = BG.expected_purchases(
        month_in_weeks, *(HISTORY[k] for k in ("frequency", "recency", "T"))
    )
    spend = GG.expected_spend(HISTORY["frequency"], HISTORY["monetary_value"])
    np.testing.assert_allclose(value, purchases * spend / 1.01)


def test_without_discount_future_value_is_purchases_times_spend():
    value = clv.future_value(
        BG, GG, **HISTORY, time_unit_days=7, horizon_months=24, monthly_rate=0.0
    )
    horizon_weeks = 24 * 365.25 / 12 / 7
    purchases = BG.expected_purchases(
        horizon_weeks, *(HISTORY[k] for k in ("frequency", "recency", "T"))
    )
    spend = GG.expected_spend(HISTORY["frequency"], HISTORY["monetary_value"])
    np.testing.assert_allclose(value, purchases * spend)


def test_discounting_lowers_value_and_longer_horizons_raise_it():
    def value(**options):
        return clv.future_value(BG, GG, **HISTORY, time_unit_days=7, **options)

    assert np.all(value(monthly_rate=0.02) < value(monthly_rate=0.0))
    assert np.all(value(horizon_months=12) < value(horizon_months=24))
    np.testing.assert_array_equal(value(horizon_months=0), 0.0)


def test_days_and_weeks_give_the_same_value():
    in_days = {k: v * 7 if k in ("recency", "T") else v for k, v in HISTORY.items()}
    bg_days = bgnbd.BetaGeoModel(dict(BG.params, alpha=BG.params["alpha"] * 7), 0.0)
    weeks = clv.future_value(BG, GG, **HISTORY, time_unit_days=7)
    days = clv.future_value(bg_days, GG, **in_days, time_unit_days=1)
    np.testing.assert_allclose(days, weeks, rtol=1e-9)


def test_monthly_purchases_are_never_negative():
    monthly = clv.monthly_purchases(
        BG, *(HISTORY[k] for k in ("frequency", "recency", "T")), 36, 4.35
    )
    assert monthly.shape == (36, 3) and np.all(monthly >= 0)


def test_empty_input_gives_empty_values():
    assert clv.historical_value([], []).shape == (0,)
    empty = {k: [] for k in HISTORY}
    assert clv.future_value(BG, GG, **empty, time_unit_days=1).shape == (0,)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"time_unit_days": 0}, "time_unit_days must be a positive"),
        ({"time_unit_days": 7, "horizon_months": -1}, "horizon_months"),
        ({"time_unit_days": 7, "horizon_months": 1.5}, "horizon_months"),
        ({"time_unit_days": 7, "monthly_rate": -1}, "monthly_rate"),
        ({"time_unit_days": 7, "days_per_month": np.nan}, "days_per_month"),
    ],
)
def test_bad_future_options_are_refused(options, reason):
    with pytest.raises(ValueError, match=reason):
        clv.future_value(BG, GG, **HISTORY, **options)


def test_unit_is_required():
    with pytest.raises(TypeError):
        clv.future_value(BG, GG, **HISTORY)


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
