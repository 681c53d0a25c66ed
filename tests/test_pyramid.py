"""The customer pyramid's pure ranking (crm_value/analytics/pyramid.py), no Odoo."""

import importlib.util
import random

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


def test_standing_agrees_with_the_ranking():
    profits = [300, 500, -40, 150, 50, 0, 150]
    tiers = pyramid.assign_tiers(profits, DEFAULT)
    for index in range(len(profits)):
        standing = pyramid.Standing(profits, index)
        assert standing.tier(DEFAULT) == tiers[index]
    # 300 is second of 7 behind 500: 500 of 1150 above it, 800 with it.
    second = pyramid.Standing(profits, 0)
    assert (second.rank(), second.count) == (2, 7)
    assert second.share_above() == pytest.approx(100 * 500 / 1150)
    assert second.share_through() == pytest.approx(100 * 800 / 1150)
    assert pyramid.Standing(profits, 2).share_above() is None


def test_profit_to_reach_the_tier_above():
    # 200 (Gold: 600 of 1000 above it) reaches Platinum when 600 is less
    # than half: 600 < 0.5 * (1000 + p) from p = 200.01, still second.
    assert pyramid.Standing([200, 600, 100, 100], 0).profit_to_reach(
        DEFAULT, 0
    ) == pytest.approx(200.01)
    profits = [300, 500, -40, 150, 50, 0]
    # 150 (Iron, 80% of 1000 above it) reaches Gold when those above hold
    # less than 80%: 800 < 0.8 * (850 + p) from p = 150.01.
    assert pyramid.Standing(profits, 3).profit_to_reach(DEFAULT, 1) == pytest.approx(
        0.01
    )
    # A loss of 40 reaches Iron with any profit: 40.01 more.
    assert pyramid.Standing(profits, 2).profit_to_reach(DEFAULT, 2) == pytest.approx(
        40.01
    )
    amounts = [Rule("profit_min", 1000), Rule("profit_min", 0), Rule("profit_max", 0)]
    assert pyramid.Standing([400, 10], 0).profit_to_reach(amounts, 0) == 600
    shares = [Rule("customer_share", 20), Rule("customer_share", 100)]
    # The top 20% of 5 customers is the first one: pass 90.
    standing = pyramid.Standing([90, 60, 30, 20, 10], 1)
    assert standing.profit_to_reach(shares, 0) == pytest.approx(30.01)
    # Checked against the whole ranking redone with the new profit.
    profits = [90, 60 + 30.01, 30, 20, 10]
    assert pyramid.assign_tiers(profits, shares)[1] == 0


def test_standing_and_profit_to_reach_agree_with_a_full_reranking():
    rng = random.Random(19)
    for _case in range(200):
        profits = [rng.choice([-50, 0, 10, 10, 25, 40, 100, 300]) for _ in range(9)]
        ranking = pyramid.Ranking(profits)
        tiers = pyramid.assign_tiers(profits, DEFAULT)
        for index, won in enumerate(tiers):
            standing = pyramid.Standing(profits, index, ranking)
            assert standing.tier(DEFAULT) == won
            if not won:
                continue
            needed = standing.profit_to_reach(DEFAULT, won - 1)
            moved = [*profits]
            moved[index] = round(profits[index] + needed, 2)
            assert pyramid.assign_tiers(moved, DEFAULT)[index] <= won - 1
            moved[index] = round(profits[index] + needed - 0.01, 2)
            assert pyramid.assign_tiers(moved, DEFAULT)[index] == won
