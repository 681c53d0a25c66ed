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

from typing import NamedTuple

import numpy as np

from . import bgnbd, gamma_gamma
from ._validation import (
    as_vector,
    counts,
    non_negative,
    positive_number,
    same_length,
)

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


class Forecast(NamedTuple):
    """What the models expect of each customer. Without a fit (fewer than two
    repeat buyers, or a BG/NBD fit that failed: `fit_error` says why) nothing
    is predicted: P(alive) unknown (None), no orders, no future profit."""

    p_alive: np.ndarray | list
    expected_orders: np.ndarray
    future_value: np.ndarray
    fit_error: str | None = None


def forecast(
    frequency,
    recency,
    T,
    average,
    invoiced,
    *,
    time_unit_days,
    horizon_months,
    monthly_rate,
    days_per_month=DAYS_PER_MONTH,
):
    """P(alive), expected purchases in the next 12 months and the discounted
    profit over `horizon_months` of each customer: one BG/NBD and one
    Gamma-Gamma fit over all of them (a company's customers), as a `Forecast`.

    frequency, recency, T: every purchase, in units of `time_unit_days` days
    (BG/NBD); average: profit per invoiced purchase, `invoiced` of them
    (Gamma-Gamma; see `expected_profit_per_order`).
    """
    unit = positive_number("time_unit_days", time_unit_days)
    month = positive_number("days_per_month", days_per_month)
    months = _horizon_months(horizon_months)
    rate = _rate(monthly_rate)
    frequency = counts("frequency", frequency)
    average = as_vector("average", average)
    invoiced = counts("invoiced", invoiced)
    same_length(frequency=frequency, average=average, invoiced=invoiced)
    size = len(frequency)
    if np.count_nonzero(frequency > 0) < 2:
        return Forecast([None] * size, np.zeros(size), np.zeros(size))
    try:
        purchases_model = bgnbd.fit_bgnbd(frequency, recency, T)
    except ValueError as error:
        return Forecast([None] * size, np.zeros(size), np.zeros(size), str(error))
    spend = expected_profit_per_order(average, invoiced)
    discounted = discounted_purchases(
        purchases_model, frequency, recency, T, months, month / unit, rate
    )
    return Forecast(
        purchases_model.p_alive(frequency, recency, T),
        purchases_model.expected_purchases(12 * month / unit, frequency, recency, T),
        discounted * spend,
    )


def expected_profit_per_order(average, invoiced):
    """Each customer's expected profit per future order, from the profit per
    invoiced purchase (`average`, over `invoiced` purchases).

    Gamma-Gamma, fitted on the customers with a profitable repeat purchase,
    shrinks a profitable customer's average toward the population's (a
    one-off buyer, or one not invoiced yet, gets the population's); customers
    who made no profit on what was invoiced keep their own average, zero or a
    loss. With fewer than two profitable repeat buyers there is nothing to
    fit: everyone keeps their own average.
    """
    average = as_vector("average", average)
    invoiced = counts("invoiced", invoiced)
    same_length(average=average, invoiced=invoiced)
    repeats = np.maximum(invoiced - 1, 0)
    repeat_profitable = (repeats > 0) & (average > 0)
    spend = average.copy()
    if np.count_nonzero(repeat_profitable) >= 2:
        spend_model = gamma_gamma.fit_gamma_gamma(
            repeats[repeat_profitable], average[repeat_profitable]
        )
        shrunk = (average > 0) | (invoiced == 0)
        spend[shrunk] = spend_model.expected_spend(
            repeats[shrunk], np.where(repeats[shrunk] > 0, average[shrunk], 1.0)
        )
    return spend


def discounted_purchases(
    bgnbd_model, frequency, recency, T, months, periods_per_month, monthly_rate
):
    """Expected purchases of each customer over the next `months` months, each
    month's discounted by (1 + rate)^m: times the profit per order, the
    discounted future profit.

    sum over m = 1..H of (E[X(m)] - E[X(m-1)]) / (1 + rate)^m, with E[X(m)]
    the BG/NBD conditional expectation of purchases within m months
    (`periods_per_month` units of recency and T each).
    """
    months = _horizon_months(months)
    rate = _rate(monthly_rate)
    monthly = monthly_purchases(
        bgnbd_model, frequency, recency, T, months, periods_per_month
    )
    discount = (1.0 + rate) ** -np.arange(1, months + 1)
    return discount @ monthly


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
