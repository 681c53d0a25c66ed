"""What a lifecycle rule's condition may read, and its recency check: plain
Python, no Odoo import (tested without a database)."""

import ast
import re
from datetime import datetime, time

# The company's lifecycle settings a rule's condition reads, by plain name:
# `loyal_order_count` is the company's `lifecycle_loyal_order_count`.
SETTING_NAMES = (
    "at_risk_days",
    "at_risk_factor",
    "lost_days",
    "lost_factor",
    "at_risk_p_alive",
    "active_days",
    "loyal_order_count",
    "loyal_tenure_days",
)
SETTING_PREFIX = "lifecycle_"
LEGACY_SETTING = re.compile(r"\bcompany\s*\.\s*lifecycle_(\w+)\b")


def setting_field(name):
    """The res.company field of a plain setting name."""
    return SETTING_PREFIX + name


def rewrite_legacy_condition(text):
    """`text` with each `company.lifecycle_<name>` of a known setting written
    as the plain `<name>` rules read now; anything else is left as it is."""
    if not text:
        return text
    return LEGACY_SETTING.sub(
        lambda match: (
            match.group(1) if match.group(1) in SETTING_NAMES else match.group(0)
        ),
        text,
    )


def legacy_replacements(text):
    """[(old text, plain name or None)]: the `company.lifecycle_<name>` a
    condition reads, with the plain name that replaces each (None for a name
    that is no setting)."""
    found = {}
    for match in LEGACY_SETTING.finditer(text or ""):
        name = match.group(1)
        found[f"company.lifecycle_{name}"] = name if name in SETTING_NAMES else None
    return list(found.items())


def unknown_names(text, known):
    """Sorted names the expression `text` reads that are not in `known` (and
    not a name it binds itself, as in a comprehension); [] when it does not
    parse (the evaluation reports that)."""
    try:
        tree = ast.parse((text or "").strip(), mode="eval")
    except SyntaxError:
        return []
    bound = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    return sorted(
        {
            node.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        - set(known)
        - bound
    )


# What a condition is made of: a list of (field, operator, value) leaves whose
# values are numbers, strings, dates and date arithmetic. Anything else (a
# subscript, a lambda, a comprehension, str.format, whose format strings reach
# attributes safe_eval cannot see) is refused before it is evaluated.
ALLOWED_NODES = (
    ast.Expression,
    ast.List,
    ast.Tuple,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.UnaryOp,
    ast.UAdd,
    ast.USub,
    ast.Not,
    ast.BinOp,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Call,
    ast.keyword,
    ast.Attribute,
)
# Attributes of dates and of the datetime module a condition may use.
ALLOWED_ATTRIBUTES = frozenset(
    {
        "date",
        "datetime",
        "time",
        "timedelta",
        "replace",
        "isoformat",
        "year",
        "month",
        "day",
        "weekday",
        "isoweekday",
        "today",
    }
)
CALLABLE_NAMES = frozenset({"relativedelta", "timedelta"})


def disallowed_constructs(text):
    """Sorted descriptions of what the expression `text` uses that a
    condition may not (e.g. "attribute format", "Subscript"); [] when it
    is made only of plain values, date arithmetic and calls of
    relativedelta, timedelta and the datetime module's constructors."""
    try:
        tree = ast.parse((text or "").strip(), mode="eval")
    except SyntaxError:
        return []
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ALLOWED_NODES):
            found.add(type(node).__name__)
        elif isinstance(node, ast.Attribute) and node.attr not in ALLOWED_ATTRIBUTES:
            found.add(f"attribute {node.attr}")
        elif isinstance(node, ast.Call) and not (
            (isinstance(node.func, ast.Name) and node.func.id in CALLABLE_NAMES)
            or isinstance(node.func, ast.Attribute)
        ):
            found.add("call")
        elif isinstance(node, ast.keyword) and node.arg is None:
            found.add("**")
    return sorted(found)


def as_moment(value):
    """A datetime for a datetime, a date (its first moment) or None."""
    if value is None or value is False:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min)


def recency_met(condition, days, factor, facts, stage_since):
    """Whether a customer's order facts (days_since_order, order_interval,
    last_order_date, last_order_at: the moment of the last confirmed order)
    meet a recency condition with these days and factor: factor times the
    customer's usual interval between orders when known, else the days.

    `since_stage`: an order confirmed after the moment the customer entered
    their stage (`stage_since`, a datetime; a date counts from its first
    moment), whatever the day."""
    if condition == "none":
        return True
    if not facts or not facts["last_order_date"]:
        return False
    if condition == "since_stage":
        since = as_moment(stage_since)
        last = as_moment(facts.get("last_order_at") or facts["last_order_date"])
        return since is None or last > since
    interval = facts["order_interval"]
    threshold = factor * interval if factor and interval else days
    if not threshold:
        return False
    if condition == "silent":
        return facts["days_since_order"] > threshold
    return facts["days_since_order"] <= threshold
