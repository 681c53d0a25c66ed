"""The loyalty index of a group of customers (crm_value/analytics/loyalty.py)."""

import importlib

import pytest
from analytics_support import PACKAGE
from hypothesis import given
from hypothesis import strategies as st

loyalty = importlib.import_module(f"{PACKAGE}.loyalty")


@pytest.mark.parametrize(
    ("tenure", "repeat", "nps", "index"),
    [
        # 18 of 36 months: 50; half repeat: 50; NPS 0: 50.
        (18.0, 50.0, 0.0, 50.0),
        # Past the full tenure counts as full; all repeat; all promoters.
        (60.0, 100.0, 100.0, 100.0),
        # New customers, none back, all detractors.
        (0.0, 0.0, -100.0, 0.0),
        # 9 months: 25; 40%; NPS 20 -> 60: (25 + 40 + 60) / 3.
        (9.0, 40.0, 20.0, 125.0 / 3),
    ],
)
def test_index_is_the_mean_of_the_three_parts(tenure, repeat, nps, index):
    assert loyalty.loyalty_index(tenure, repeat, nps) == pytest.approx(index)


def test_full_tenure_is_a_parameter():
    assert loyalty.loyalty_index(12, 0, -100, full_tenure_months=12) == (
        pytest.approx(100 / 3)
    )


@pytest.mark.parametrize("missing", [0, 1, 2])
def test_an_unknown_part_gives_no_index(missing):
    values = [12.0, 50.0, 10.0]
    values[missing] = None
    assert loyalty.loyalty_index(*values) is None


@pytest.mark.parametrize(
    ("tenure", "repeat", "nps"),
    [(-1, 50, 0), (12, 101, 0), (12, 50, 150), (12, "50", 0), (float("nan"), 1, 0)],
)
def test_out_of_range_inputs_are_refused(tenure, repeat, nps):
    with pytest.raises(ValueError):
        loyalty.loyalty_index(tenure, repeat, nps)


@given(
    st.floats(0, 600),
    st.floats(0, 100),
    st.floats(-100, 100),
)
def test_index_stays_between_0_and_100_and_grows_with_nps(tenure, repeat, nps):
    index = loyalty.loyalty_index(tenure, repeat, nps)
    assert 0.0 <= index <= 100.0
    higher = loyalty.loyalty_index(tenure, repeat, min(nps + 10, 100))
    assert higher >= index
