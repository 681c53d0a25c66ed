"""Customer lifetime value: profit so far brought to today, plus the discounted
profit the BG/NBD and Gamma-Gamma models expect over a horizon.

Conventions, so that a figure means one thing:

- money is profit (or spend) per transaction, in one currency;
- ``monthly_rate`` is the monthly discount rate (0.01 = 1 % a month);
- past profit is *compounded* to today: an amount earned m months ago is worth
  amount * (1 + rate)^m now (the present value of the profit so far);
- future profit of month m (1..H) is discounted by (1 + rate)^m, as if earned
  at the end of that month;
- a month is ``days_per_month`` days (365.25 / 12 by default), and
  ``time_unit_days`` says how many days one unit of recency and T lasts (1 for
  days, 7 for weeks). Nothing is guessed: the caller states both.
"""

import numpy as np

from ._validation import as_vector, non_negative, positive_number, same_length

DAYS_PER_MONTH = 365.25 / 12


def historical_value(
    amounts, ages_in_months, monthly_rate=0.01, customers=None, n_customers=None
):
    """Profit events compounded to today's value.

    amounts: profit of each event (losses are negative); ages_in_months: how
    long ago each event happened (>= 0, fractions allowed). Without
    `customers`, returns the value of each event; with `customers` (the index,
    0..n-1, of the customer behind each event), returns one total per customer
    (length `n_customers`, or the largest index + 1).
    """
    amount = as_vector("amounts", amounts)
    age = non_negative("ages_in_months", as_vector("ages_in_months", ages_in_months))
    same_length(amounts=amount, ages_in_months=age)
    growth = np.exp(age * np.log1p(_rate(monthly_rate)))
    values = amount * growth
    if customers is None:
        return values
    index = _customer_index(customers, len(values), n_customers)
    size = n_customers if n_customers is not None else index.max(initial=-1) + 1
    return np.bincount(index, weights=values, minlength=size)


def future_value(
    bgnbd_model,
    gg_model,
    frequency,
    recency,
    T,
    monetary_value,
    *,
    time_unit_days,
    horizon_months=24,
    monthly_rate=0.01,
    days_per_month=DAYS_PER_MONTH,
):
    """Discounted expected profit of each customer over the next months.

    sum over m = 1..H of (E[X(m)] - E[X(m-1)]) * expected spend / (1+rate)^m,
    with E[X(m)] the BG/NBD conditional expectation of purchases within m
    months and the spend from Gamma-Gamma. frequency, recency and T are in
    units of `time_unit_days` days, as the BG/NBD model was fitted.
    """
    unit = positive_number("time_unit_days", time_unit_days)
    month = positive_number("days_per_month", days_per_month)
    months = _horizon_months(horizon_months)
    spend = gg_model.expected_spend(frequency, monetary_value)
    monthly = monthly_purchases(
        bgnbd_model, frequency, recency, T, months, month / unit
    )
    discount = np.exp(-np.arange(1, months + 1) * np.log1p(_rate(monthly_rate)))
    return (discount @ monthly) * spend


def monthly_purchases(bgnbd_model, frequency, recency, T, months, periods_per_month):
    """Expected purchases in each month 1..`months` (a months x customers array).

    Differences of the cumulative expectation; clipped at 0 because rounding
    can leave a -1e-16 where a month adds almost nothing.
    """
    cumulative = [
        bgnbd_model.expected_purchases(m * periods_per_month, frequency, recency, T)
        for m in range(months + 1)
    ]
    return np.maximum(np.diff(np.vstack(cumulative), axis=0), 0.0)


def _rate(monthly_rate):
    rate = float(monthly_rate)
    if not np.isfinite(rate) or rate <= -1:
        raise ValueError(f"monthly_rate must be a finite rate above -1, got {rate}")
    return rate


def _horizon_months(horizon_months):
    months = int(horizon_months)
    if months != horizon_months or months < 0:
        raise ValueError(
            f"horizon_months must be a whole number >= 0, got {horizon_months}"
        )
    return months


def _customer_index(customers, size, n_customers):
    index = as_vector("customers", customers)
    if len(index) != size:
        raise ValueError(f"customers must give one index per event ({size})")
    if np.any((index < 0) | (index != np.floor(index))):
        raise ValueError("customers must be whole indexes >= 0")
    index = index.astype(np.int64)
    if n_customers is not None and np.any(index >= n_customers):
        raise ValueError("a customers index is not below n_customers")
    return index
