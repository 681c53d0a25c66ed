"""The four-dimension customer scorecard (客户平衡计分卡, DOMAIN §1): financial,
market, management, learning and growth, each 0-100, and their weighted total.

An indicator scores each customer 0-100 on one figure, by percentile among the
customers having a value, or against a target; a dimension is the weighted mean
of its indicators' scores, the total the weighted mean of the dimensions. A
missing value (None) leaves the customer out of that indicator, a missing
indicator out of its dimension, a missing dimension out of the total: the
weights of what is there are renormalised.
"""

from typing import NamedTuple

import numpy as np

from ._validation import as_vector
from .value_matrix import percentile_scale

DIMENSIONS = ("financial", "market", "management", "learning")
DIRECTIONS = ("higher", "lower")
METHODS = ("percentile", "target")


class Indicator(NamedTuple):
    """One indicator: its `dimension`, `direction` (higher or lower is better),
    `weight` within its dimension (>= 0), `method` (percentile or target) and
    `target` (> 0, for the target method)."""

    dimension: str
    direction: str = "higher"
    weight: float = 1.0
    method: str = "percentile"
    target: float = 0.0


def check_indicator(indicator):
    """Raise ValueError unless `indicator` can score."""
    if indicator.dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}")
    if indicator.direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}")
    if indicator.method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    if not indicator.weight >= 0:
        raise ValueError("weight must not be negative")
    if indicator.method == "target" and not indicator.target > 0:
        raise ValueError("a target must be above zero")


def _present(values):
    """(indexes of the values that are not None, those values as floats)."""
    indexes = [index for index, value in enumerate(values) if value is not None]
    return indexes, as_vector("values", [values[index] for index in indexes])


def percentile_scores(values, direction="higher"):
    """0-100 per value: its percentile among the values that are not None
    (ties share their average rank; the best 100, the worst 0, a single value
    100); None stays None."""
    indexes, present = _present(values)
    scores = [None] * len(values)
    if not indexes:
        return scores
    scaled = percentile_scale(present if direction == "higher" else -present)
    for index, score in zip(indexes, scaled, strict=True):
        scores[index] = float(100.0 * score)
    return scores


def target_scores(values, target, direction="higher"):
    """0-100 per value against `target` (> 0); None stays None.

    Higher is better: 100 * min(value / target, 1), and 0 for a value <= 0.
    Lower is better: 100 * min(target / value, 1), and 100 for a value <= 0
    (nothing at all is as good as can be)."""
    if not target > 0:
        raise ValueError("a target must be above zero")
    indexes, present = _present(values)
    scores = [None] * len(values)
    if not indexes:
        return scores
    if direction == "higher":
        scaled = np.clip(present / target, 0.0, 1.0)
    else:
        positive = present > 0
        scaled = np.ones(len(present))
        scaled[positive] = np.minimum(target / present[positive], 1.0)
    for index, score in zip(indexes, scaled, strict=True):
        scores[index] = float(100.0 * score)
    return scores


def indicator_scores(indicator, values):
    """0-100 per value (None: no value) of one `indicator`."""
    if indicator.method == "target":
        return target_scores(values, indicator.target, indicator.direction)
    return percentile_scores(values, indicator.direction)


def weighted_means(columns, weights):
    """Per row, the mean of the `columns` (lists of equal length, None: no
    value) weighted by `weights` (one per column, >= 0), over the columns
    that have a value there; None where none has (or their weights are 0)."""
    if not columns:
        return []
    size = len(columns[0])
    if any(len(column) != size for column in columns):
        raise ValueError("columns must have the same length")
    if any(not weight >= 0 for weight in weights):
        raise ValueError("weights must not be negative")
    means = []
    for row in range(size):
        total = weight_sum = 0.0
        for column, weight in zip(columns, weights, strict=True):
            value = column[row]
            if value is not None and weight > 0:
                total += weight * value
                weight_sum += weight
        means.append(total / weight_sum if weight_sum > 0 else None)
    return means


def scorecard(indicators, values, dimension_weights, size):
    """{dimension: [0-100 or None per customer], "total": [...]} of `size`
    customers: `indicators` (Indicator entries) scoring `values` (one list
    per indicator, None: no value), each dimension the weighted mean of its
    indicators, the total the mean of the dimensions weighted by
    `dimension_weights` ({dimension: weight >= 0})."""
    for indicator in indicators:
        check_indicator(indicator)
    scored = [
        indicator_scores(indicator, column)
        for indicator, column in zip(indicators, values, strict=True)
    ]
    result = {}
    for dimension in DIMENSIONS:
        chosen = [
            (column, indicator.weight)
            for indicator, column in zip(indicators, scored, strict=True)
            if indicator.dimension == dimension
        ]
        result[dimension] = (
            weighted_means([c for c, _w in chosen], [w for _c, w in chosen])
            if chosen
            else [None] * size
        )
    result["total"] = weighted_means(
        [result[dimension] for dimension in DIMENSIONS],
        [dimension_weights.get(dimension, 0.0) for dimension in DIMENSIONS],
    )
    return result


def group_shares(values, groups):
    """Per row, 100 * value / the sum of the values of its group (None: no
    group or no value; a group summing to <= 0 gives None): a customer's
    share of their segment's revenue."""
    totals = {}
    for value, group in zip(values, groups, strict=True):
        if value is not None and group is not None:
            totals[group] = totals.get(group, 0.0) + float(value)
    shares = []
    for value, group in zip(values, groups, strict=True):
        total = totals.get(group)
        if value is None or group is None or not total or total <= 0:
            shares.append(None)
        else:
            shares.append(100.0 * float(value) / total)
    return shares
