"""Relationship levels from the number of customers and the margin
(crm_value/analytics/relationship.py)."""

import importlib

import pytest
from analytics_support import PACKAGE
from hypothesis import given, settings
from hypothesis import strategies as st

relationship = importlib.import_module(f"{PACKAGE}.relationship")
Thresholds = relationship.Thresholds
propose = relationship.propose_level

# Few: at most 20 customers; many: 200 or more. Low margin: below 10%;
# high: 30% or more.
T = Thresholds(few_max=20, many_min=200, low_below=10.0, high_from=30.0)


@pytest.mark.parametrize(
    ("count", "margin", "level"),
    [
        (500, 5.0, "basic"),
        (500, 20.0, "reactive"),
        (500, 45.0, "accountable"),
        (80, 5.0, "reactive"),
        (80, 20.0, "accountable"),
        (80, 45.0, "proactive"),
        (6, 5.0, "accountable"),
        (6, 20.0, "proactive"),
        (6, 45.0, "partnership"),
    ],
)
def test_each_cell_of_kotlers_matrix(count, margin, level):
    assert propose(count, margin, T) == level


def test_the_thresholds_belong_to_the_bands_they_name():
    assert propose(20, 30.0, T) == "partnership"  # 20 is few, 30% is high
    assert propose(21, 29.99, T) == "accountable"  # medium, medium
    assert propose(200, 9.99, T) == "basic"  # 200 is many, below 10% is low
    assert propose(199, 10.0, T) == "accountable"


def test_a_loss_is_a_low_margin():
    assert propose(3, -40.0, T) == "accountable"
    assert propose(1000, -40.0, T) == "basic"


def test_nothing_to_judge_by_proposes_nothing():
    assert propose(0, 50.0, T) is None
    assert propose(12, None, T) is None


@pytest.mark.parametrize(
    "thresholds",
    [
        Thresholds(20, 20, 10.0, 30.0),  # few and many overlap
        Thresholds(-1, 20, 10.0, 30.0),
        Thresholds(2.5, 20, 10.0, 30.0),
        Thresholds(5, 20, 30.0, 10.0),  # high below low
    ],
)
def test_thresholds_that_draw_no_bands_are_refused(thresholds):
    with pytest.raises(ValueError):
        propose(10, 15.0, thresholds)


def test_an_empty_middle_band_is_allowed():
    two_by_two = Thresholds(few_max=9, many_min=10, low_below=20.0, high_from=20.0)
    assert propose(9, 20.0, two_by_two) == "partnership"
    assert propose(10, 19.0, two_by_two) == "basic"


@settings(deadline=None)
@given(
    count=st.integers(1, 10_000),
    more=st.integers(1, 10_000),
    margin=st.floats(-100, 100),
    gain=st.floats(0, 100),
)
def test_fewer_customers_or_more_margin_never_lower_the_level(
    count, more, margin, gain
):
    rank = relationship.LEVELS.index
    level = rank(propose(count + more, margin, T))
    assert rank(propose(count, margin, T)) >= level
    assert rank(propose(count + more, margin + gain, T)) >= level
