"""Properties over generated inputs: empty, single, all-zero, huge figures
never crash nor give NaN; scores, probabilities and forecasts stay in range."""

import numpy as np
from analytics_support import bgnbd, clv, gamma_gamma, rfm
from hypothesis import given, settings
from hypothesis import strategies as st

# No deadlines: rare rows take a slow exact path; speed is bench/'s business.
PROPERTIES = settings(deadline=None)
FITS = settings(deadline=None, max_examples=60)
BIG = 1e7


@st.composite
def histories(draw, min_size=0, max_size=30):
    """(frequency, recency, T) that follow the model's definitions, from all
    zeros up to a million purchases over ten million periods."""
    size = draw(st.integers(min_size, max_size))
    frequency = draw(
        st.lists(
            st.one_of(st.just(0), st.integers(0, 20), st.integers(0, 10**6)),
            min_size=size,
            max_size=size,
        )
    )
    ages = draw(
        st.lists(
            st.one_of(st.just(0.0), st.floats(0, BIG)), min_size=size, max_size=size
        )
    )
    shares = draw(st.lists(st.floats(0, 1), min_size=size, max_size=size))
    x = np.array(frequency, dtype=float)
    T = np.array(ages)
    recency = np.where(x > 0, np.array(shares) * T, 0.0)
    return x, np.minimum(recency, T), T


def positive(low, high):
    return st.floats(low, high).map(float)


bgnbd_models = st.builds(
    lambda r, alpha, a, b: bgnbd.BetaGeoModel(
        {"r": r, "alpha": alpha, "a": a, "b": b}, 0.0
    ),
    positive(0.01, 50),
    positive(0.01, 1e4),
    positive(0.01, 50),
    positive(0.01, 50),
)


@FITS
@given(histories(min_size=1))
def test_bgnbd_fit_is_always_finite(history):
    model = bgnbd.fit_bgnbd(*history)
    assert all(np.isfinite(v) and v > 0 for v in model.params.values())
    assert np.isfinite(model.log_likelihood)
    assert np.all(np.isfinite(model.p_alive(*history)))
    assert np.all(np.isfinite(model.expected_purchases(52, *history)))


@PROPERTIES
@given(bgnbd_models, histories())
def test_p_alive_is_a_probability(model, history):
    p_alive = model.p_alive(*history)
    assert p_alive.shape == history[0].shape
    assert np.all((p_alive >= 0) & (p_alive <= 1))


@PROPERTIES
@given(bgnbd_models, histories(), st.floats(0, 1e4), st.floats(0, 1e4))
def test_expected_purchases_are_finite_positive_and_grow_with_t(model, history, t1, t2):
    short, long = sorted((t1, t2))
    low = model.expected_purchases(short, *history)
    high = model.expected_purchases(long, *history)
    assert np.all(np.isfinite(low)) and np.all(np.isfinite(high))
    assert np.all(low >= 0)
    assert np.all(high >= low * (1 - 1e-9) - 1e-12)


@st.composite
def spends(draw, min_size=0, max_size=30):
    size = draw(st.integers(min_size, max_size))
    frequency = draw(st.lists(st.integers(0, 10**6), min_size=size, max_size=size))
    amounts = draw(
        st.lists(
            st.one_of(st.floats(0.01, 1e4), st.just(1e12), st.floats(1, 1e12)),
            min_size=size,
            max_size=size,
        )
    )
    return np.array(frequency, dtype=float), np.array(amounts)


@FITS
@given(spends(min_size=1).filter(lambda s: np.any(s[0] > 0)))
def test_gamma_gamma_fit_is_always_finite(history):
    model = gamma_gamma.fit_gamma_gamma(*history)
    assert all(np.isfinite(v) and v > 0 for v in model.params.values())
    assert np.isfinite(model.log_likelihood)
    spend = model.expected_spend(*history)
    assert np.all(np.isfinite(spend) & (spend >= 0))


@PROPERTIES
@given(spends())
def test_expected_spend_handles_zeros_and_huge_amounts(history):
    model = gamma_gamma.GammaGammaModel({"p": 6.25, "q": 3.74, "gamma": 15.44}, 0.0)
    frequency, amounts = history
    for monetary in (amounts, np.zeros_like(amounts)):
        spend = model.expected_spend(frequency, monetary)
        assert spend.shape == frequency.shape
        assert np.all(np.isfinite(spend) & (spend >= 0))


@PROPERTIES
@given(bgnbd_models, histories(), st.integers(0, 36), st.floats(0, 0.1))
def test_future_value_is_finite_and_not_negative(model, history, months, rate):
    gg = gamma_gamma.GammaGammaModel({"p": 6.25, "q": 3.74, "gamma": 15.44}, 0.0)
    monetary = np.where(history[0] > 0, 1e12, 0.0)
    purchases = clv.discounted_purchases(model, *history, months, 365.25 / 12, rate)
    value = purchases * gg.expected_spend(history[0], monetary)
    assert value.shape == history[0].shape
    assert np.all(np.isfinite(value) & (value >= 0))


finite = st.floats(-1e12, 1e12)


@PROPERTIES
@given(
    st.integers(0, 60).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0, 1e5), min_size=n, max_size=n),
            st.lists(st.integers(0, 10**6), min_size=n, max_size=n),
            st.lists(finite, min_size=n, max_size=n),
        )
    )
)
def test_rfm_scores_fill_every_quintile(columns):
    scores = rfm.rfm_scores(*columns)
    size = len(columns[0])
    for score in scores:
        assert score.shape == (size,)
        assert np.all((score >= 1) & (score <= 5))
        if size >= 5:
            assert set(score) == {1, 2, 3, 4, 5}
            # Quintiles: no score holds more than a fifth of customers, rounded up.
            assert np.bincount(score).max() <= -(-size // 5)


@PROPERTIES
@given(
    st.lists(st.tuples(finite, st.floats(0, 600)), max_size=30),
    st.floats(0, 0.05),
)
def test_historical_value_is_finite(events, rate):
    amounts = [amount for amount, _ in events]
    ages = [age for _, age in events]
    values = clv.historical_value(amounts, ages, monthly_rate=rate)
    assert values.shape == (len(events),) and np.all(np.isfinite(values))
