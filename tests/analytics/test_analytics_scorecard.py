"""The customer scorecard (crm_value/analytics/scorecard.py)."""

import pytest
from analytics_support import scorecard as sc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

Indicator = sc.Indicator


def test_percentile_ranks_share_ties_and_skip_missing_values():
    assert sc.percentile_scores([10, None, 30, 20]) == [0.0, None, 100.0, 50.0]
    assert sc.percentile_scores([5, 5, 9]) == [25.0, 25.0, 100.0]
    assert sc.percentile_scores([None, 7]) == [None, 100.0]
    assert sc.percentile_scores([None, None]) == [None, None]
    assert sc.percentile_scores([]) == []


def test_lower_is_better_reverses_the_percentile():
    assert sc.percentile_scores([10, 30, 20], "lower") == [100.0, 0.0, 50.0]
    # a single customer is the best of one, either way
    assert sc.percentile_scores([4], "lower") == [100.0]


def test_target_scoring_higher_is_better():
    scores = sc.target_scores([0, 50, 100, 250, -20, None], 100)
    assert scores == [0.0, 50.0, 100.0, 100.0, 0.0, None]


def test_target_scoring_lower_is_better():
    # 100 x min(target / value, 1); nothing at all (<= 0) is as good as can be
    scores = sc.target_scores([15, 30, 60, 120, 0, -3, None], 30, "lower")
    assert scores == [100.0, 100.0, 50.0, 25.0, 100.0, 100.0, None]


def test_a_target_must_be_above_zero():
    with pytest.raises(ValueError, match="target"):
        sc.target_scores([1, 2], 0)
    with pytest.raises(ValueError, match="target"):
        sc.check_indicator(Indicator("financial", method="target", target=-1))


def test_weighted_means_renormalise_over_the_values_present():
    means = sc.weighted_means(
        [[100.0, None, None, 40.0], [50.0, 20.0, None, 40.0]], [3.0, 1.0]
    )
    assert means == pytest.approx([87.5, 20.0, None, 40.0], nan_ok=False)
    assert means[2] is None
    # a zero weight counts for nothing, even alone
    assert sc.weighted_means([[80.0], [10.0]], [0.0, 1.0]) == [10.0]
    assert sc.weighted_means([[80.0]], [0.0]) == [None]
    with pytest.raises(ValueError, match="negative"):
        sc.weighted_means([[1.0]], [-1.0])


def test_scorecard_dimensions_and_total():
    indicators = [
        Indicator("financial", weight=2.0),  # percentile of profit
        Indicator("financial", direction="lower", method="target", target=30),
        Indicator("market"),
    ]
    values = [
        [100.0, 300.0, 200.0],  # profit: 0, 100, 50
        [60.0, None, 30.0],  # days to pay: 50, -, 100
        [None, None, None],  # nobody has a market value
    ]
    card = sc.scorecard(
        indicators, values, {"financial": 40, "market": 30, "learning": 15}, 3
    )
    assert card["financial"] == pytest.approx([50 / 3, 100.0, 200 / 3])
    assert card["market"] == [None, None, None]
    assert card["management"] == [None, None, None]
    assert card["learning"] == [None, None, None]
    # the only dimension present is the total
    assert card["total"] == pytest.approx(card["financial"])


def test_total_weighs_the_dimensions_present():
    indicators = [Indicator("financial"), Indicator("learning")]
    values = [[10.0, 20.0], [5.0, None]]
    card = sc.scorecard(indicators, values, {"financial": 40, "learning": 15}, 2)
    # customer 0: financial 0, learning 100 -> (40*0 + 15*100) / 55
    assert card["total"][0] == pytest.approx(1500 / 55)
    # customer 1: financial 100 only
    assert card["total"][1] == pytest.approx(100.0)


def test_group_shares():
    shares = sc.group_shares([100, 300, 50, None, 10], [1, 1, 2, 1, None])
    assert shares == [25.0, 75.0, 100.0, None, None]
    # a group whose revenue sums to nothing or less has no shares
    assert sc.group_shares([10, -10], [1, 1]) == [None, None]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), max_size=20)
)
def test_percentiles_stay_within_0_and_100(values):
    scores = sc.percentile_scores(values)
    for value, score in zip(values, scores, strict=True):
        assert (value is None) == (score is None)
        if score is not None:
            assert 0.0 <= score <= 100.0
