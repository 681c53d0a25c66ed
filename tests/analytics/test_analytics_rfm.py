"""RFM quintile scores (the R x F segments are data, see crm.value.rfm.segment)."""

import numpy as np
import pytest
from analytics_support import rfm


def test_scores_are_quintiles_with_recent_customers_scoring_high():
    recency = np.arange(10.0)  # customer 0 bought today
    r, f, m = rfm.rfm_scores(recency, np.arange(10), np.arange(10) * 100.0)
    np.testing.assert_array_equal(r, [5, 5, 4, 4, 3, 3, 2, 2, 1, 1])
    np.testing.assert_array_equal(f, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    np.testing.assert_array_equal(m, f)
    assert r.dtype.kind == f.dtype.kind == m.dtype.kind == "i"


def test_ties_are_broken_by_position_so_every_quintile_is_filled():
    r, f, m = rfm.rfm_scores(np.zeros(7), np.ones(7), np.full(7, 50.0))
    for scores in (r, f, m):
        assert set(scores) == {1, 2, 3, 4, 5}
    # Equal figures: the earlier customer gets the lower score, stably.
    np.testing.assert_array_equal(f, [1, 1, 2, 3, 3, 4, 5])


def test_negative_profit_is_a_valid_monetary_figure():
    _, _, m = rfm.rfm_scores([1, 2], [1, 1], [-50.0, 10.0])
    assert m[0] < m[1]


def test_empty_input_gives_empty_scores():
    scores = rfm.rfm_scores([], [], [])
    assert [s.shape for s in scores] == [(0,)] * 3


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (([1, 2], [1], [1]), "same length"),
        (([-1], [1], [1]), "recency_days must not be negative"),
        (([1], [-1], [1]), "frequency must not be negative"),
        (([1], [1], [np.nan]), "NaN or infinite"),
    ],
)
def test_bad_scoring_input_is_refused(args, reason):
    with pytest.raises(ValueError, match=reason):
        rfm.rfm_scores(*args)
