"""Relationship types (客户关系的类型) chosen by the numbers.

Plain Python, no Odoo import. Kotler's five levels of relationship depend on
the number of customers and the margin level (边际利润水平): few customers
with a high margin call for a partnership, many with a low margin for a basic
relationship, the cells between as the texts draw them:

    customers \\ margin   low           medium        high
    many                 basic         reactive      accountable
    medium               reactive      accountable   proactive
    few                  accountable   proactive     partnership
"""

from collections import namedtuple

LEVELS = ("basic", "reactive", "accountable", "proactive", "partnership")

# Rows: number of customers; columns: margin level.
MATRIX = {
    "many": {"low": "basic", "medium": "reactive", "high": "accountable"},
    "medium": {"low": "reactive", "medium": "accountable", "high": "proactive"},
    "few": {"low": "accountable", "medium": "proactive", "high": "partnership"},
}

# few_max: at most this many customers are few; many_min: from this many they
# are many. low_below: a margin (%) below it is low; high_from: from it, high.
Thresholds = namedtuple("Thresholds", "few_max many_min low_below high_from")


def check_thresholds(thresholds):
    """Raise ValueError unless the thresholds draw three bands on each axis
    (the empty middle band allowed)."""
    few_max, many_min, low_below, high_from = thresholds
    if few_max < 0 or int(few_max) != few_max or int(many_min) != many_min:
        raise ValueError("customer counts must be whole numbers, not negative")
    if not few_max < many_min:
        raise ValueError("the count of many customers must be above that of few")
    if not low_below <= high_from:
        raise ValueError("a high margin cannot start below a low one")
    return thresholds


def customer_band(count, thresholds):
    """'few', 'medium' or 'many' customers."""
    if count <= thresholds.few_max:
        return "few"
    if count >= thresholds.many_min:
        return "many"
    return "medium"


def margin_band(margin_percent, thresholds):
    """'low', 'medium' or 'high' margin (net profit over revenue, in %)."""
    if margin_percent < thresholds.low_below:
        return "low"
    if margin_percent >= thresholds.high_from:
        return "high"
    return "medium"


def propose_level(count, margin_percent, thresholds):
    """The relationship level for `count` customers at `margin_percent`, or
    None when there is nothing to judge by (no customer, or no revenue: the
    margin is None)."""
    check_thresholds(thresholds)
    if not count or margin_percent is None:
        return None
    if count < 0:
        raise ValueError("the number of customers cannot be negative")
    return MATRIX[customer_band(count, thresholds)][
        margin_band(margin_percent, thresholds)
    ]
