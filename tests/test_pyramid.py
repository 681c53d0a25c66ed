"""The customer pyramid's pure ranking (crm_value/analytics/pyramid.py), no Odoo."""

import importlib.util

import pytest
from conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "crm_value_pyramid", ROOT / "crm_value" / "analytics" / "pyramid.py"
)
pyramid = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pyramid)
Rule = pyramid.TierRule

DEFAULT = [
    Rule("profit_share", 50),
    Rule("profit_share", 80),
    Rule("profit_share", 100),
    Rule("profit_max", 0),
]


def test_default_pyramid_by_share_of_profit():
    # Shares held above each profitable customer: 0, 50, 80, 95 %.
    profits = [300, 500, -40, 150, 50, 0]
    assert pyramid.assign_tiers(profits, DEFAULT) == [1, 0, 3, 2, 2, 3]


def test_a_customer_holding_most_profit_alone_is_still_top():
    assert pyramid.assign_tiers([900, 100], DEFAULT) == [0, 2]


def test_top_percent_of_customers():
    rules = [Rule("customer_share", 20), Rule("customer_share", 100)]
    profits = [10, 50, 30, 20, 40, -5, 0, 60, 70, 80]
    tiers = pyramid.assign_tiers(profits, rules)
    assert [p for p, t in zip(profits, tiers, strict=True) if t == 0] == [70, 80]


def test_amount_rules():
    rules = [Rule("profit_min", 1000), Rule("profit_min", 0), Rule("profit_max", 0)]
    assert pyramid.assign_tiers([1000, 999.99, 0, -1], rules) == [0, 1, 1, 2]


def test_no_matching_rule_leaves_no_tier():
    assert pyramid.assign_tiers([10, -10], [Rule("profit_share", 100)]) == [0, None]


def test_abc_classes_at_80_and_95_percent():
    profits = [500, 300, 150, 50, -40]
    assert pyramid.abc_classes(profits) == ["A", "A", "B", "C", "C"]
    assert pyramid.abc_classes(profits, 50, 90) == ["A", "B", "B", "C", "C"]


def test_empty_input():
    assert pyramid.assign_tiers([], DEFAULT) == []
    assert pyramid.abc_classes([]) == []


def test_ties_keep_a_stable_order():
    assert pyramid.assign_tiers([100, 100], DEFAULT) == [0, 1]


def test_sound_rule_set_has_no_problem():
    assert pyramid.check_rules(DEFAULT) == []


@pytest.mark.parametrize(
    ("rules", "code", "index"),
    [
        ([Rule("profit_share", 0), *DEFAULT[1:]], "percent_range", 0),
        ([Rule("profit_share", 120), *DEFAULT[1:]], "percent_range", 0),
        (
            [Rule("profit_share", 80), Rule("profit_share", 50), *DEFAULT[2:]],
            "overlap",
            1,
        ),
        (
            [Rule("profit_min", 100), Rule("profit_min", 500), *DEFAULT[2:]],
            "overlap",
            1,
        ),
        (DEFAULT[:2] + DEFAULT[3:], "gap_positive", None),
        (DEFAULT[:3], "gap_negative", None),
        ([Rule("nonsense", 1), *DEFAULT], "unknown_type", 0),
        ([Rule("profit_share", float("nan")), *DEFAULT[1:]], "not_finite", 0),
        ([*DEFAULT[:3], Rule("profit_max", float("inf"))], "not_finite", 3),
        ([Rule("profit_min", float("-inf")), *DEFAULT], "not_finite", 0),
    ],
)
def test_unsound_rule_sets_are_reported(rules, code, index):
    assert pyramid.RuleProblem(code, index) in pyramid.check_rules(rules)
