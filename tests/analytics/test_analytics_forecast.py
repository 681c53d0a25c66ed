"""The company's lifetime-value forecast (`clv.forecast`): both models fitted
on the CDNOW sample give the published models' predictions, and the policy on
profit per order (who is shrunk toward the population, who keeps their own)."""

import numpy as np
import pytest
from analytics_support import bgnbd, clv, gamma_gamma, read_csv

# Fader, Hardie & Lee (2005), table 1, and Hardie's note 025: CDNOW, in weeks.
BG = bgnbd.BetaGeoModel({"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}, 0.0)
GG = gamma_gamma.GammaGammaModel({"p": 6.25, "q": 3.74, "gamma": 15.44}, 0.0)
POPULATION_SPEND = 6.25 * 15.44 / (3.74 - 1)
WEEK = 7
YEAR_IN_WEEKS = 365.25 / WEEK
MONTH_IN_WEEKS = 365.25 / 12 / WEEK


@pytest.fixture(scope="module")
def cdnow():
    """Each CDNOW customer as the scoring sees one: every purchase invoiced
    (the first and `x` repeats), `zbar` the profit per purchase."""
    data = read_csv("cdnow_customers_summary_with_transactions.csv")
    return {
        "frequency": data["x"],
        "recency": data["t_x"],
        "T": data["T"],
        "average": data["zbar"],
        "invoiced": data["x"] + 1,
    }


def _forecast(history, **options):
    settings = {"time_unit_days": WEEK, "horizon_months": 24, "monthly_rate": 0.01}
    return clv.forecast(**history, **{**settings, **options})


@pytest.fixture(scope="module")
def undiscounted(cdnow):
    return _forecast(cdnow, monthly_rate=0.0)


def _history(data):
    return data["frequency"], data["recency"], data["T"]


def test_cdnow_predictions_are_the_published_models(cdnow, undiscounted):
    assert undiscounted.fit_error is None
    np.testing.assert_allclose(
        undiscounted.p_alive, BG.p_alive(*_history(cdnow)), rtol=2e-3, atol=1e-4
    )
    np.testing.assert_allclose(
        undiscounted.expected_orders,
        BG.expected_purchases(YEAR_IN_WEEKS, *_history(cdnow)),
        rtol=2e-3,
        atol=1e-4,
    )


def test_cdnow_future_value_is_published_purchases_times_spend(cdnow, undiscounted):
    purchases = BG.expected_purchases(24 * MONTH_IN_WEEKS, *_history(cdnow))
    repeat = cdnow["frequency"] > 0
    spend = GG.expected_spend(cdnow["frequency"][repeat], cdnow["average"][repeat])
    np.testing.assert_allclose(
        undiscounted.future_value[repeat], purchases[repeat] * spend, rtol=5e-3
    )
    # No repeat purchase: zbar is 0, no profit of their own to expect.
    np.testing.assert_array_equal(undiscounted.future_value[~repeat], 0.0)


def test_the_papers_customer_over_one_discounted_month(cdnow):
    """Customer 1 of the paper's worked example (x=2, t_x=30.43, T=38.86)."""
    one_month = _forecast(cdnow, horizon_months=1)
    assert (cdnow["frequency"][0], cdnow["recency"][0]) == (2, 30.43)
    purchases = BG.expected_purchases(MONTH_IN_WEEKS, 2, 30.43, 38.86)[0]
    spend = GG.expected_spend(2, 22.35)[0]
    assert one_month.future_value[0] == pytest.approx(
        purchases * spend / 1.01, rel=5e-3
    )


def test_days_and_weeks_give_the_same_forecast(cdnow):
    in_days = dict(cdnow, recency=cdnow["recency"] * 7, T=cdnow["T"] * 7)
    weeks = _forecast(cdnow)
    days = _forecast(in_days, time_unit_days=1)
    for name in ("p_alive", "expected_orders", "future_value"):
        np.testing.assert_allclose(
            getattr(days, name), getattr(weeks, name), rtol=2e-3, atol=1e-6
        )


def test_spend_is_shrunk_for_the_profitable_and_kept_for_the_loss_making(cdnow):
    extra = {
        # (average, invoiced): not invoiced yet; a one-off buyer; a loss-maker.
        "average": np.append(cdnow["average"], [0.0, 80.0, -5.0]),
        "invoiced": np.append(cdnow["invoiced"], [0, 1, 4]),
    }
    spend = clv.expected_profit_per_order(**extra)
    # Nothing of their own to go on: the population's mean, p gamma / (q - 1).
    assert spend[-3] == pytest.approx(POPULATION_SPEND, rel=5e-3)
    assert spend[-2] == pytest.approx(POPULATION_SPEND, rel=5e-3)
    assert spend[-1] == -5.0
    repeat = cdnow["frequency"] > 0
    np.testing.assert_allclose(
        spend[:-3][repeat],
        GG.expected_spend(cdnow["frequency"][repeat], cdnow["average"][repeat]),
        rtol=5e-3,
    )


def test_without_two_profitable_repeat_buyers_everyone_keeps_their_average():
    spend = clv.expected_profit_per_order([10.0, 25.0, -3.0, 0.0], [3, 1, 2, 0])
    np.testing.assert_array_equal(spend, [10.0, 25.0, -3.0, 0.0])


def test_fewer_than_two_repeat_buyers_predict_nothing():
    predicted = clv.forecast(
        [0, 3, 0],
        [0, 20.0, 0],
        [5.0, 40.0, 9.0],
        [10.0, 12.0, 5.0],
        [1, 4, 1],
        time_unit_days=1,
        horizon_months=24,
        monthly_rate=0.01,
    )
    assert predicted.p_alive == [None, None, None]
    np.testing.assert_array_equal(predicted.expected_orders, 0.0)
    np.testing.assert_array_equal(predicted.future_value, 0.0)
    assert predicted.fit_error is None


def test_a_history_the_model_refuses_predicts_nothing_and_says_why():
    # The last purchase after the end of observation (recency > T).
    predicted = clv.forecast(
        [2, 3],
        [30.0, 50.0],
        [40.0, 45.0],
        [10.0, 12.0],
        [3, 4],
        time_unit_days=1,
        horizon_months=24,
        monthly_rate=0.01,
    )
    assert predicted.p_alive == [None, None]
    np.testing.assert_array_equal(predicted.future_value, 0.0)
    assert "recency must not exceed T" in predicted.fit_error


def test_empty_input_predicts_nothing():
    predicted = clv.forecast(
        [], [], [], [], [], time_unit_days=1, horizon_months=24, monthly_rate=0.01
    )
    assert predicted.p_alive == []
    assert predicted.expected_orders.shape == predicted.future_value.shape == (0,)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"time_unit_days": 0}, "time_unit_days must be a positive"),
        ({"days_per_month": np.nan}, "days_per_month"),
        ({"horizon_months": -1}, "horizon_months"),
        ({"horizon_months": 1.5}, "horizon_months"),
        ({"monthly_rate": -1}, "monthly_rate"),
    ],
)
def test_bad_settings_are_refused(options, reason):
    settings = {"time_unit_days": 1, "horizon_months": 24, "monthly_rate": 0.01}
    with pytest.raises(ValueError, match=reason):
        clv.forecast(
            [2, 3],
            [30.0, 40.0],
            [40.0, 45.0],
            [10.0, 12.0],
            [3, 4],
            **{**settings, **options},
        )


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        (([1.5, 2], [1, 2], [2, 3], [1, 1], [2, 3]), "frequency must be whole"),
        (([1, 2], [1, 2], [2, 3], [1, np.nan], [2, 3]), "NaN or infinite"),
        (([1, 2], [1, 2], [2, 3], [1, 1], [-1, 3]), "invoiced must not be negative"),
        (([1, 2], [1, 2], [2, 3], [1], [2, 3]), "same length"),
    ],
)
def test_bad_customers_are_refused(columns, reason):
    with pytest.raises(ValueError, match=reason):
        clv.forecast(*columns, time_unit_days=1, horizon_months=24, monthly_rate=0.01)


def test_unit_and_settings_are_required():
    with pytest.raises(TypeError):
        clv.forecast([2, 3], [30.0, 40.0], [40.0, 45.0], [10.0, 12.0], [3, 4])
