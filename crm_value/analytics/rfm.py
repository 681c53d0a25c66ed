"""RFM scoring: recency, frequency and monetary quintiles, and R x F segments.

Scores are 1 to 5 by quintile of rank; a recent purchase scores high (5). Ties
are broken by position in the input (a stable rank), so every quintile holds a
fifth of the customers and, with at least five customers, every score appears;
equal figures may therefore get neighbouring scores.
"""

import numpy as np

from ._validation import as_vector, non_negative, same_length

SEGMENTS = (
    "champions",
    "loyal",
    "potential_loyalist",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose",
    "hibernating",
)

# The widely used R x F map. Rows: recency score 1..5; columns: frequency score
# 1..5. Read a row as "customers this recent, by how often they buy".
SEGMENT_GRID = (
    # F=1            F=2               F=3               F=4         F=5
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R=1
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R=2
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),  # R=3
    ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),
    ("new", "potential_loyalist", "potential_loyalist", "champions", "champions"),
)

_GRID = np.array(SEGMENT_GRID)


def rfm_scores(recency_days, frequency, monetary):
    """(R, F, M) scores, three int arrays of 1..5.

    recency_days: days since the last purchase (>= 0); frequency: number of
    purchases (>= 0); monetary: amount spent or profit (any finite figure).
    """
    recency = non_negative("recency_days", as_vector("recency_days", recency_days))
    count = non_negative("frequency", as_vector("frequency", frequency))
    amount = as_vector("monetary", monetary)
    same_length(recency_days=recency, frequency=count, monetary=amount)
    # Fewer days since the last purchase is better: rank the negated figure.
    return quintile_scores(-recency), quintile_scores(count), quintile_scores(amount)


def quintile_scores(values):
    """1..5 by quintile of the stable rank of `values` (highest values get 5)."""
    values = np.asarray(values, dtype=float)
    size = len(values)
    # argsort twice gives each value's rank; stable keeps input order on ties.
    ranks = np.empty(size, dtype=np.int64)
    ranks[np.argsort(values, kind="stable")] = np.arange(size)
    return (1 + (5 * ranks) // max(size, 1)).astype(np.int64)


def rfm_segment(r_score, f_score):
    """Segment code of each customer from the R x F grid (`SEGMENT_GRID`)."""
    r = _scores("r_score", r_score)
    f = _scores("f_score", f_score)
    same_length(r_score=r, f_score=f)
    return _GRID[r - 1, f - 1]


def _scores(name, values):
    array = as_vector(name, values)
    if np.any((array < 1) | (array > 5) | (array != np.floor(array))):
        raise ValueError(f"{name} must hold whole scores from 1 to 5")
    return array.astype(np.int64)
