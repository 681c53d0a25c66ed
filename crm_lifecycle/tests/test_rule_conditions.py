"""The pure part of lifecycle rules (crm_lifecycle/rule_conditions.py), no
Odoo: the recency check and the rewrite of conditions written the old way."""

import importlib.util
from datetime import date, datetime
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "crm_lifecycle_rule_conditions",
    Path(__file__).resolve().parent.parent / "rule_conditions.py",
)
conditions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conditions)
recency_met = conditions.recency_met


def facts(last_order_at, days_since_order=0, order_interval=0.0):
    return {
        "last_order_date": last_order_at.date(),
        "last_order_at": last_order_at,
        "days_since_order": days_since_order,
        "order_interval": order_interval,
    }


def test_order_later_the_same_day_wins_the_customer_back():
    moved_lost = datetime(2026, 3, 10, 9, 30)
    assert recency_met(
        "since_stage", 0, 0, facts(datetime(2026, 3, 10, 15)), moved_lost
    )


def test_order_earlier_the_same_day_does_not():
    moved_lost = datetime(2026, 3, 10, 9, 30)
    assert not recency_met(
        "since_stage", 0, 0, facts(datetime(2026, 3, 10, 8)), moved_lost
    )
    assert not recency_met("since_stage", 0, 0, facts(moved_lost), moved_lost)


def test_a_stage_known_by_its_day_counts_from_its_first_moment():
    order = facts(datetime(2026, 3, 10, 0, 5))
    assert recency_met("since_stage", 0, 0, order, date(2026, 3, 10))
    assert not recency_met("since_stage", 0, 0, order, date(2026, 3, 11))


def test_since_stage_without_orders_or_stage():
    assert not recency_met("since_stage", 0, 0, None, datetime(2026, 3, 10))
    assert recency_met("since_stage", 0, 0, facts(datetime(2026, 1, 1)), None)


def test_silence_and_recent_use_the_usual_interval_else_the_days():
    at = datetime(2026, 1, 1)
    assert recency_met("silent", 90, 3.0, facts(at, 100, 30.0), None)
    assert not recency_met("silent", 90, 3.0, facts(at, 80, 30.0), None)
    assert recency_met("silent", 90, 3.0, facts(at, 91, 0.0), None)
    assert recency_met("recent", 90, 0, facts(at, 90), None)
    assert not recency_met("recent", 0, 0, facts(at, 1), None)
    assert recency_met("none", 0, 0, None, None)


def test_old_conditions_are_rewritten_to_plain_names():
    rewrite = conditions.rewrite_legacy_condition
    assert rewrite(
        "[('lifecycle_order_count', '>=', company.lifecycle_loyal_order_count), "
        "('lifecycle_first_order_date', '<=', today - relativedelta("
        "days=company.lifecycle_loyal_tenure_days))]"
    ) == (
        "[('lifecycle_order_count', '>=', loyal_order_count), "
        "('lifecycle_first_order_date', '<=', today - relativedelta("
        "days=loyal_tenure_days))]"
    )
    assert rewrite("[('value_p_alive', '<', company . lifecycle_at_risk_p_alive)]") == (
        "[('value_p_alive', '<', at_risk_p_alive)]"
    )
    # Anything else of the company is no setting: left for the engine to refuse.
    for text in (
        "[('id', '=', company.env['res.users'].sudo().id)]",
        "[('id', '=', company.lifecycle_last_full_evaluation)]",
        "[('name', '=', 'company.lifecycle')]",
        "[]",
        "",
        False,
    ):
        assert rewrite(text) == text
    assert rewrite("[('x', '=', mycompany.lifecycle_lost_days)]") == (
        "[('x', '=', mycompany.lifecycle_lost_days)]"
    )


def test_names_a_condition_reads():
    known = {"today", "relativedelta", "loyal_order_count"}
    assert conditions.unknown_names("[('a', '=', company.env)]", known) == ["company"]
    assert (
        conditions.unknown_names(
            "[('a', 'in', [x for x in (1, 2)]), ('b', '<', today)]", known
        )
        == []
    )
    assert conditions.unknown_names("[('a', '=', env['x'], cr)]", known) == [
        "cr",
        "env",
    ]
    assert conditions.unknown_names("[('a', '=', ", known) == []
    assert conditions.legacy_replacements(
        "[('a', '>=', company.lifecycle_active_days), ('b', '=', company.lifecycle_x)]"
    ) == [
        ("company.lifecycle_active_days", "active_days"),
        ("company.lifecycle_x", None),
    ]


def test_conditions_are_plain_values_and_date_arithmetic():
    for text in (
        "[('lifecycle_order_count', '>=', loyal_order_count)]",
        "[('lifecycle_first_order_date', '<=', today - relativedelta(days=30))]",
        "[('a', '>=', datetime.date(2026, 1, 1)), ('b', '<', -at_risk_p_alive * 2)]",
        "['|', ('a', '=', 'x'), ('b', 'in', [1, 2]), ('c', '!=', False)]",
        "[('a', '>=', today.replace(day=1) - timedelta(days=1))]",
    ):
        assert conditions.disallowed_constructs(text) == [], text


def test_format_strings_and_code_are_refused():
    leak = "[('name', '{0.__init__.__globals__[sys]}'.format(relativedelta), 1)]"
    assert conditions.disallowed_constructs(leak) == ["attribute format"]
    assert conditions.disallowed_constructs("[('a', '=', 'x'.format_map({}))]") == [
        "Dict",
        "attribute format_map",
    ]
    assert conditions.disallowed_constructs("[('a', '=', [x for x in y][0])]") == [
        "ListComp",
        "Store",
        "Subscript",
        "comprehension",
    ]
    assert conditions.disallowed_constructs("[('a', '=', (lambda: 1)())]") == [
        "Lambda",
        "arguments",
        "call",
    ]
    assert conditions.disallowed_constructs("[('a', '=', '%s' % today)]") == ["Mod"]
    assert conditions.disallowed_constructs("[('a', '=', today.__class__)]") == [
        "attribute __class__"
    ]
