"""A customer's credit risk: the grade and the expected bad debt.

The open receivable is aged in five buckets: not yet due, then overdue up to
each of three bounds (in days), then beyond the last. The expected bad debt
is each bucket's open amount times the bucket's loss rate (the textbooks'
allowance by ageing). The grade is the worst of three signals, each graded
against a medium and a high threshold: the age of the oldest overdue amount,
the average days the customer's invoices were paid after their due date
(their terms when invoiced), and the share of their invoiced revenue credited
back."""

from typing import NamedTuple

GRADES = ("low", "medium", "high")
BUCKETS = ("not_due", "overdue_1", "overdue_2", "overdue_3", "overdue_4")


class RiskPolicy(NamedTuple):
    """A company's risk settings: `bounds` the last day of the first three
    overdue buckets (e.g. 30, 90, 180); `loss_rates` one rate per bucket of
    BUCKETS, in percent; medium and high thresholds of the oldest days
    overdue, of the days paid after the due date and of the credited share (%)."""

    bounds: tuple
    loss_rates: tuple
    overdue_days: tuple
    days_late: tuple
    credited_percent: tuple


def policy_errors(policy):
    """What is wrong with `policy`, as short English phrases (none: usable)."""
    errors = []
    low, middle, high = policy.bounds
    if not 0 < low < middle < high:
        errors.append("bucket bounds must rise: 0 < first < second < third")
    if len(policy.loss_rates) != len(BUCKETS) or not all(
        0 <= rate <= 100 for rate in policy.loss_rates
    ):
        errors.append("loss rates must be between 0% and 100%")
    for name in ("overdue_days", "days_late", "credited_percent"):
        medium, high_ = getattr(policy, name)
        if not 0 <= medium <= high_:
            errors.append(f"{name}: 0 <= medium <= high")
    return errors


def bucket_index(days_overdue, bounds):
    """The BUCKETS index of an amount `days_overdue` days past its due date
    (0 or less: not due)."""
    if days_overdue <= 0:
        return 0
    for index, bound in enumerate(bounds, start=1):
        if days_overdue <= bound:
            return index
    return len(bounds) + 1


def expected_bad_debt(amounts, loss_rates):
    """Sum of each bucket's open amount (`amounts`, in BUCKETS order) times
    its loss rate (percent, `loss_rates` in the same order)."""
    return sum(
        amount * rate / 100.0 for amount, rate in zip(amounts, loss_rates, strict=True)
    )


def _level(value, thresholds):
    medium, high = thresholds
    if value > high:
        return 2
    if value > medium:
        return 1
    return 0


def risk_grade(policy, oldest_days_overdue, days_late, credited_percent):
    """The grade ("low", "medium" or "high"): the worst of the three signals,
    each above its medium or high threshold."""
    level = max(
        _level(oldest_days_overdue or 0, policy.overdue_days),
        _level(days_late or 0, policy.days_late),
        _level(credited_percent or 0, policy.credited_percent),
    )
    return GRADES[level]
