"""RFM scoring: recency, frequency and monetary quintiles.

Scores are 1 to 5 by quintile of rank; a recent purchase scores high (5). Ties
are broken by position in the input (a stable rank), so every quintile holds a
fifth of the customers and, with at least five customers, every score appears;
equal figures may therefore get neighbouring scores.

The R x F segments are consultant data, not code: the records of
`crm.value.rfm.segment` (crm_value/data/crm_value_rfm_segment_data.xml).
"""

import numpy as np

from ._validation import as_vector, non_negative, same_length


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
