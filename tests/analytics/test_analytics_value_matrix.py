"""The value matrix and the value vector (crm_value/analytics/value_matrix.py)."""

import numpy as np
import pytest
from analytics_support import value_matrix as vm
from hypothesis import given, settings
from hypothesis import strategies as st


def test_percentile_scale_ranks_and_shares_ties():
    assert vm.percentile_scale([10, 30, 20]).tolist() == [0.0, 1.0, 0.5]
    assert vm.percentile_scale([5, 5, 9]).tolist() == [0.25, 0.25, 1.0]
    assert vm.percentile_scale([7]).tolist() == [1.0]
    assert vm.percentile_scale([]).tolist() == []


def test_value_score_is_the_scaled_length_of_the_vector():
    score = vm.value_score([1.0, 0.0, 0.5], [1.0, 0.0, 0.5], [1.0, 0.0, 0.5])
    assert score.tolist() == pytest.approx([100.0, 0.0, 50.0])
    assert vm.value_score([1.0], [0.0], [0.0])[0] == pytest.approx(100 / np.sqrt(3))


def test_quadrants_split_at_the_median():
    current = [100, 100, 10, 10]
    potential = [50, 5, 50, 5]
    assert vm.quadrants(current, potential).tolist() == [
        "strategic",
        "maintain",
        "develop",
        "low",
    ]


def test_customers_with_nothing_are_never_high_nor_move_the_split():
    current = [0, 0, 0, -40, 100, 50]  # median of those with value: 75
    potential = [0, 0, 0, 30, 10, 20]  # of those with potential: 20
    assert vm.quadrants(current, potential).tolist() == [
        "low",
        "low",
        "low",
        "develop",
        "maintain",
        "develop",
    ]
    assert vm.quadrants([0, 0], [0, 0]).tolist() == ["low", "low"]


def test_quadrants_split_at_the_mean():
    current = [1000, 10, 20, 30]  # mean 265: only the first is high
    potential = [1, 1, 1, 1]
    assert vm.quadrants(current, potential, "mean").tolist() == [
        "strategic",
        "develop",
        "develop",
        "develop",
    ]
    with pytest.raises(ValueError, match="split"):
        vm.quadrants(current, potential, "mode")


def test_deciles():
    assert vm.deciles(np.arange(20)).tolist() == [1 + i // 2 for i in range(20)]
    assert vm.deciles([]).tolist() == []


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        vm.percentile_scale([1.0, float("nan")])
    with pytest.raises(ValueError, match="same length"):
        vm.value_score([1.0], [1.0, 2.0], [0.5])


@settings(deadline=None)
@given(st.lists(st.floats(-1e12, 1e12), max_size=50))
def test_scores_stay_in_range(values):
    scaled = vm.percentile_scale(values)
    assert np.all((scaled >= 0) & (scaled <= 1))
    score = vm.value_score(scaled, scaled[::-1], np.full(len(values), 0.5))
    assert np.all((score >= 0) & (score <= 100)) and not np.any(np.isnan(score))
    assert set(vm.quadrants(values, values[::-1]).tolist()) <= set(vm.QUADRANTS)
