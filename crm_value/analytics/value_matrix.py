"""The value matrix (客户价值细分) and the value vector (DOMAIN §1), in numpy.

- Value matrix: current value (net profit) against growth potential (predicted
  future profit), each split high/low at the median (or the mean): four groups.
- Value vector: economic, functional and psychological value, each scaled 0-1
  by percentile; its length, scaled 0-100, is the customer's value score.
"""

import numpy as np

from ._validation import as_vector, same_length

QUADRANTS = ("strategic", "maintain", "develop", "low")
SPLITS = ("median", "mean")


def percentile_scale(values):
    """Each value's percentile among all, 0 (lowest) to 1 (highest); ties share
    their average rank; a single customer scores 1."""
    values = as_vector("values", values)
    size = len(values)
    if size <= 1:
        return np.ones(size)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(size)
    ranks[order] = np.arange(size, dtype=float)
    # Average the ranks of equal values so ties score the same.
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse] / (size - 1)


def value_score(economic, functional, psychological):
    """Length of the (economic, functional, psychological) vector, 0-100."""
    x = as_vector("economic", economic)
    y = as_vector("functional", functional)
    z = as_vector("psychological", psychological)
    same_length(economic=x, functional=y, psychological=z)
    return 100.0 * np.sqrt((x**2 + y**2 + z**2) / 3.0)


def quadrants(current_value, growth_potential, split="median"):
    """Quadrant code of each customer: `strategic` (high value, high potential),
    `maintain` (high, low), `develop` (low, high), `low` (low, low)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    current = as_vector("current_value", current_value)
    potential = as_vector("growth_potential", growth_potential)
    same_length(current_value=current, growth_potential=potential)
    if not len(current):
        return np.array([], dtype=object)
    centre = np.median if split == "median" else np.mean
    high_now = _high(current, centre)
    high_later = _high(potential, centre)
    codes = np.array(QUADRANTS, dtype=object)
    return codes[np.where(high_now, 0, 2) + np.where(high_later, 0, 1)]


def _high(values, centre):
    """Whether each value is high: above zero and at least the centre of the
    values above zero. No realised value (or no predicted profit) is never
    high, and customers with nothing do not pull the split down."""
    positive = values > 0
    if not positive.any():
        return positive
    return positive & (values >= centre(values[positive]))


def deciles(values):
    """1-10 by decile of the stable rank (highest values get 10)."""
    values = as_vector("values", values)
    size = len(values)
    ranks = np.empty(size, dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(size)
    return 1 + (10 * ranks) // max(size, 1)
