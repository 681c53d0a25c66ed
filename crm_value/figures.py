"""The figures kept per customer, declared once.

A figure source (an AbstractModel inheriting ``crm.value.figure.source``)
declares the figures it yields as ``Figure`` entries and computes them for a
set of customers in one query. ``@figure_source`` on its class builds, from
those entries, the figure's column on ``crm.value.snapshot`` and the field
mirroring the current snapshot on ``res.partner`` (``value_<name>``), in the
source's own addon: adding a figure is one place.
"""

import operator
from decimal import Decimal
from typing import NamedTuple

from odoo import fields, models

from .groups import INTERNAL, MANAGER
from .tools.field_search import search_with


class Figure(NamedTuple):
    """One figure: its snapshot column `name`, its Odoo field class `type`,
    who reads it (`managers_only`: an amount; else a count or a date any
    employee sees), how the values of several sources combine (`merge`:
    "sum", "min", "max" or "set"), its value before any source gives one
    (`default`: zero for numbers, None for dates), the field arguments on the
    snapshot (`snapshot`: string, help, aggregator, digits) and on the partner
    (`partner`; None: not shown on the partner)."""

    name: str
    type: type
    managers_only: bool = False
    merge: str = "set"
    default: object = 0.0
    snapshot: dict | None = None
    partner: dict | None = None

    @property
    def partner_field(self):
        return mirror_name(self.name)


def mirror_name(column):
    """The partner field mirroring a snapshot column: value_<column> (a
    column already named value_... as is)."""
    return column if column.startswith("value_") else f"value_{column}"


# How the values of several sources combine, by a figure's `merge`: the new
# value and the one before (a "set" figure takes the new one).
MERGES = {"sum": operator.add, "min": min, "max": max, "set": None}

# {partner field: snapshot column} of every figure mirrored on the partner:
# lists sort and group by the column (res.partner._field_to_sql). Filled as
# sources are declared; a name is only ever asked for on a model having it.
PARTNER_MIRRORS = {}


def merge_functions(declared):
    """{figure name: function(value, before)} of the `declared` figures
    ({name: Figure}) that combine (merge_values)."""
    return {
        name: MERGES[figure.merge]
        for name, figure in declared.items()
        if MERGES[figure.merge] is not None
    }


def merge_values(figure, values, merges):
    """Merge one source's `values` ({figure name: value}) into one customer's
    `figure`, with the `merges` of merge_functions; None is no value."""
    for name, value in values.items():
        if value is None:
            continue
        if type(value) is Decimal:
            value = float(value)
        merge = merges.get(name)
        if merge is not None:
            before = figure.get(name)
            if before is not None:
                value = merge(value, before)
        figure[name] = value


def snapshot_column(figure):
    """The snapshot's column of `figure`: read-only, managers-only if an amount."""
    kwargs = dict(figure.snapshot or {}, readonly=True)
    if figure.managers_only:
        kwargs["groups"] = MANAGER
    return figure.type(**kwargs)


def partner_mirror(figure):
    """The partner's field mirroring `figure` from its current snapshot, in
    the current company; searched, sorted and summed on that snapshot."""
    kwargs = dict(
        figure.partner,
        groups=MANAGER if figure.managers_only else INTERNAL,
        compute="_compute_value_amounts"
        if figure.managers_only
        else "_compute_value_public",
        search=search_with("_search_on_current_snapshot", figure.name),
    )
    if figure.type is fields.Monetary:
        kwargs["currency_field"] = "value_currency_id"
    return figure.type(**kwargs)


def _extend(module, model, class_name, new_fields):
    """A definition class extending `model` with `new_fields`, in `module`
    (an addon's Python module): Odoo loads it with that addon, as if written
    there; the fields are added as the model's metaclass adds its own."""
    cls = type(class_name, (models.Model,), {"_inherit": model, "__module__": module})
    for name, field in new_fields.items():
        setattr(cls, name, field)
        field.__set_name__(cls, name)
    return cls


def figure_source(cls):
    """Class decorator of a figure source: its figures become columns
    of crm.value.snapshot and, where they have partner arguments, fields of
    res.partner, declared in the source's addon (load its file after the
    snapshot's model)."""
    figures = cls._figures
    prefix = cls.__name__
    _extend(
        cls.__module__,
        "crm.value.snapshot",
        f"{prefix}Snapshot",
        {figure.name: snapshot_column(figure) for figure in figures},
    )
    mirrored = [figure for figure in figures if figure.partner is not None]
    if mirrored:
        _extend(
            cls.__module__,
            "res.partner",
            f"{prefix}Partner",
            {figure.partner_field: partner_mirror(figure) for figure in mirrored},
        )
        PARTNER_MIRRORS.update(
            (figure.partner_field, figure.name) for figure in mirrored
        )
    return cls
