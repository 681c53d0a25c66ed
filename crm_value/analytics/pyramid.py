"""The customer pyramid (客户金字塔): tiers and ABC classes from net profit.

Plain Python, no Odoo import. A tier is won by the first rule, in tier order,
that a customer meets:

- ``profit_share``: among the customers with positive profit, ranked by profit,
  those making up the first ``threshold`` % of total positive profit (Pareto);
  a customer belongs if the share held by the customers above it is below it;
- ``customer_share``: the top ``threshold`` % of all ranked customers by profit;
- ``profit_min``: profit at least ``threshold`` (an amount);
- ``profit_max``: profit at most ``threshold`` (an amount).
"""

import bisect
import math
from collections import namedtuple

RULE_TYPES = ("profit_share", "customer_share", "profit_min", "profit_max")
PERCENT_RULES = ("profit_share", "customer_share")

TierRule = namedtuple("TierRule", "rule_type threshold")
# A problem found in a rule set: `code` names it, `index` is the rule at fault.
RuleProblem = namedtuple("RuleProblem", "code index")


def _ranking(profits):
    """Indexes sorted by profit, highest first; ties keep input order."""
    return sorted(range(len(profits)), key=lambda i: (-profits[i], i))


def _shares_above(profits, order):
    """For each customer, the share of total positive profit held by those above."""
    total = sum(p for p in profits if p > 0)
    shares, running = [None] * len(profits), 0.0
    for i in order:
        if profits[i] > 0:
            shares[i] = 100.0 * running / total
            running += profits[i]
    return shares


def _matches(rule, profit, share_above, position):
    if rule.rule_type == "profit_share":
        return share_above is not None and share_above < rule.threshold
    if rule.rule_type == "customer_share":
        return position < rule.threshold
    if rule.rule_type == "profit_min":
        return profit >= rule.threshold
    return profit <= rule.threshold


def assign_tiers(profits, rules):
    """Index of the tier each customer wins (None if no rule matches)."""
    order = _ranking(profits)
    shares = _shares_above(profits, order)
    positions = [0.0] * len(profits)
    for rank, i in enumerate(order):
        positions[i] = 100.0 * rank / len(profits)
    result = []
    for i, profit in enumerate(profits):
        won = None
        for index, rule in enumerate(rules):
            if _matches(rule, profit, shares[i], positions[i]):
                won = index
                break
        result.append(won)
    return result


def abc_classes(profits, a_percent=80.0, b_percent=95.0):
    """ABC class from the same ranking: A up to a_percent of cumulative positive
    profit, B up to b_percent, C for the rest and for non-positive profit."""
    order = _ranking(profits)
    shares = _shares_above(profits, order)
    result = []
    for share in shares:
        if share is None:
            result.append("C")
        elif share < a_percent:
            result.append("A")
        elif share < b_percent:
            result.append("B")
        else:
            result.append("C")
    return result


def check_rules(rules):
    """Problems of a rule set, in tier order; an empty list means it is sound.

    Codes: ``not_finite`` (a threshold that is not a number: NaN or infinite),
    ``percent_range`` (a percentage outside 0–100), ``unknown_type``,
    ``overlap`` (a rule of the same kind as an earlier one that can never win:
    its threshold does not go past the earlier one), ``gap_positive`` /
    ``gap_negative`` (some profitable / loss-making customers would get no tier).
    """
    problems = []
    last = {}
    for index, rule in enumerate(rules):
        if rule.rule_type not in RULE_TYPES:
            problems.append(RuleProblem("unknown_type", index))
            continue
        if not math.isfinite(rule.threshold):
            problems.append(RuleProblem("not_finite", index))
            continue
        if rule.rule_type in PERCENT_RULES and not 0 < rule.threshold <= 100:
            problems.append(RuleProblem("percent_range", index))
            continue
        previous = last.get(rule.rule_type)
        if previous is not None and not _goes_past(rule, previous):
            problems.append(RuleProblem("overlap", index))
        last[rule.rule_type] = rule.threshold
    if not any(_covers_positive(rule) for rule in rules):
        problems.append(RuleProblem("gap_positive", None))
    if not any(_covers_non_positive(rule) for rule in rules):
        problems.append(RuleProblem("gap_negative", None))
    return problems


def _goes_past(rule, previous_threshold):
    if rule.rule_type == "profit_min":
        return rule.threshold < previous_threshold
    return rule.threshold > previous_threshold


def _covers_positive(rule):
    return (rule.rule_type in PERCENT_RULES and rule.threshold >= 100) or (
        rule.rule_type == "profit_min" and rule.threshold <= 0
    )


def _covers_non_positive(rule):
    return (rule.rule_type == "customer_share" and rule.threshold >= 100) or (
        rule.rule_type == "profit_max" and rule.threshold >= 0
    )


class Ranking:
    """All the customers in ranking order (the key of _ranking), with the
    running positive profit: built once, shared by the Standing of each."""

    def __init__(self, profits):
        self.profits = list(profits)
        self.keys = sorted((-p, i) for i, p in enumerate(self.profits))
        self.positive = [0.0]
        for key, _i in self.keys:
            self.positive.append(self.positive[-1] + max(-key, 0))


class Standing:
    """Where one customer stands in the ranking, and the tier it would win
    with another profit while every other customer keeps theirs.

    Each question is a binary search in the shared Ranking (O(log n)), so the
    profit a customer needs to move up is found without re-ranking everyone
    for each amount tried."""

    def __init__(self, profits, index, ranking=None):
        self.ranking = ranking or Ranking(profits)
        self.index = index
        self.profit = self.ranking.profits[index]
        self.count = len(self.ranking.profits)
        self._key = (-self.profit, index)
        self._own_positive = max(self.profit, 0)

    def _others_above(self, profit):
        """(customers above, their positive profit) if this one had `profit`."""
        key = (-profit, self.index)
        position = bisect.bisect_left(self.ranking.keys, key)
        held = self.ranking.positive[position]
        if self._key < key:  # this customer's own row is counted above itself
            return position - 1, held - self._own_positive
        return position, held

    def above(self, profit=None):
        """How many customers rank above this one (with `profit`)."""
        return self._others_above(self.profit if profit is None else profit)[0]

    def rank(self, profit=None):
        """1 for the customer with the highest profit."""
        return self.above(profit) + 1

    def share_above(self, profit=None):
        """% of total positive profit held by the customers above; None when
        this customer makes no profit (the share rules skip it)."""
        profit = self.profit if profit is None else profit
        if profit <= 0:
            return None
        return 100.0 * self._others_above(profit)[1] / self._total(profit)

    def share_through(self, profit=None):
        """% of total positive profit held by the customers above and this one."""
        profit = self.profit if profit is None else profit
        if profit <= 0:
            return None
        held = self._others_above(profit)[1] + profit
        return 100.0 * held / self._total(profit)

    def position(self, profit=None):
        """% of all ranked customers above this one (the customer-share rule)."""
        return 100.0 * self.above(profit) / self.count

    def tier(self, rules, profit=None):
        """Index of the tier won (as assign_tiers), None if no rule matches."""
        profit = self.profit if profit is None else profit
        share, position = self.share_above(profit), self.position(profit)
        for index, rule in enumerate(rules):
            if _matches(rule, profit, share, position):
                return index
        return None

    def profit_to_reach(self, rules, target, unit=0.01):
        """The least extra profit, in steps of `unit` (the currency's), that
        wins tier `target` or a better one, the others' profits unchanged;
        None when no profit would (a tier above won only by low profit)."""

        def reaches(steps):
            won = self.tier(rules, steps * unit)
            return won is not None and won <= target

        low = math.ceil(round(self.profit / unit, 6))
        if reaches(low):
            return 0.0
        # Enough to rank first and pass every amount rule.
        ceiling = max(
            [self.profit, -self.ranking.keys[0][0]]
            + [r.threshold for r in rules if r.rule_type == "profit_min"]
        )
        high = math.floor(ceiling / unit) + 1
        if not reaches(high):
            return None
        while high - low > 1:  # reaches(high) and not reaches(low)
            middle = (low + high) // 2
            if reaches(middle):
                high = middle
            else:
                low = middle
        return round(high * unit - self.profit, 6)

    def _total(self, profit):
        others = self.ranking.positive[-1] - self._own_positive
        return others + max(profit, 0)
