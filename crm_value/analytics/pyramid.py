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
