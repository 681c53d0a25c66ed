"""The loyalty index (客户忠诚度指数) of a group of customers.

Plain Python, no Odoo import. Loyalty, one of the texts' four headline CRM
figures, is read from three signs, each brought to 0-100 and weighed alike:

    tenure part  T = 100 * min(average tenure in months / full_tenure_months, 1)
    repeat part  R = repeat rate: % of the buying customers with 2+ purchases
    NPS part     P = (NPS + 100) / 2           (NPS from -100 to 100)

    loyalty index = (T + R + P) / 3            (0 to 100)

The tenure and repeat parts are the customers' purchases (crm_value); the NPS
part their survey answers (crm_care). A group with one of the three unknown
(no buying customer, no NPS answer) has no index: a partial index would not
compare with the others.
"""

import math

# The tenure from which a customer counts as fully loyal by tenure: 3 years.
FULL_TENURE_MONTHS = 36.0


def _part(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return float(value)


def tenure_part(tenure_months, full_tenure_months=FULL_TENURE_MONTHS):
    """The tenure part, 0-100: the average tenure against a full tenure."""
    full = _part("full_tenure_months", full_tenure_months, 0, math.inf)
    if not full:
        raise ValueError("full_tenure_months must be positive")
    tenure = _part("tenure_months", tenure_months, 0, math.inf)
    return 100.0 * min(tenure / full, 1.0)


def loyalty_index(
    tenure_months, repeat_rate, nps, full_tenure_months=FULL_TENURE_MONTHS
):
    """The loyalty index, 0-100, of a group: average tenure in months, repeat
    rate in %, NPS (-100 to 100); None when one of them is None."""
    if tenure_months is None or repeat_rate is None or nps is None:
        return None
    tenure = tenure_part(tenure_months, full_tenure_months)
    repeat = _part("repeat_rate", repeat_rate, 0, 100)
    promoters = (_part("nps", nps, -100, 100) + 100.0) / 2.0
    return (tenure + repeat + promoters) / 3.0
