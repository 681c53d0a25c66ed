"""A saved segment's filter, read as data: a literal list, never evaluated.

Plain Python (no Odoo import): the segment model checks the fields on the
model; this module only turns the text into a domain of plain values, or says
why it cannot."""

import ast

OPERATORS = ("&", "|", "!")


class SegmentDomainError(ValueError):
    """The text is not a literal domain; `reason` is one of REASONS' keys."""

    def __init__(self, reason, detail=""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def parse_domain(text):
    """The domain written in `text` as a list of operators and
    (field, operator, value) leaves, made of literals only (strings,
    numbers, booleans, None, lists and tuples of them): no name, call or
    expression is evaluated (`uid`, `context_today()` are refused)."""
    try:
        domain = ast.literal_eval((text or "").strip() or "[]")
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as error:
        raise SegmentDomainError("not_literal", str(error)) from error
    if not isinstance(domain, list | tuple):
        raise SegmentDomainError("not_list", repr(domain))
    leaves = []
    for element in domain:
        if isinstance(element, str) and element in OPERATORS:
            leaves.append(element)
        elif _is_leaf(element):
            leaves.append(tuple(element))
        else:
            raise SegmentDomainError("bad_leaf", repr(element))
    return leaves


def _is_leaf(element):
    """(field path, operator, value), or Odoo's always true and always false
    leaves (1, "=", 1) and (0, "=", 1) the domain editor may write."""
    if not isinstance(element, list | tuple) or len(element) != 3:
        return False
    left, operator, _value = element
    if not isinstance(operator, str):
        return False
    return isinstance(left, str) or (
        type(left) is int and left in (0, 1) and tuple(element[1:]) == ("=", 1)
    )
