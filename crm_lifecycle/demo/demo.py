"""Demo flows: the orders of the lifecycle's demo customers, each confirmed on
its day, and the lifecycle evaluated at every month-end of the last twenty
months with the clock set to it (crm_value's demo `replay`), reading the value
figures (P(alive)) of that month-end's snapshots: customers end in every
stage, with a history that is the engine's own."""

from datetime import timedelta

from odoo import Command

from odoo.addons.crm_value.demo.demo import (
    moment,
    month_ends,
    recompute,
    replay,
    set_current_snapshots,
)

# Months of stage history replayed: the oldest demo order is a little younger.
HISTORY_MONTHS = 20

# customer: days ago of each confirmed order
DEMO_ORDERS = {
    "demo_customer_imperial": (430, 370, 300, 240, 180, 120, 60, 15),
    "demo_customer_snow": (560, 500),
    "demo_customer_lakeside": (160, 130, 100),
    "demo_customer_ocean": (600, 560, 520, 20),
    "demo_customer_riverside": (450, 420, 390, 120),
}

# customer: why they left (their losses in the history), and what they said
DEMO_CHURN_REASONS = {
    "demo_customer_snow": (
        "churn_reason_competitor",
        "A chain café opened next door and buys from its own roaster.",
    ),
    "demo_customer_ocean": (
        "churn_reason_price",
        "Found a cheaper supplier; came back after our volume offer.",
    ),
    "demo_customer_riverside": (
        "churn_reason_quality",
        "Two batches arrived stale; back after a free replacement.",
    ),
}


def run_demo_flows(env):
    """The stage history of the last twenty months, then today's stages."""
    ref = env.ref
    company = env.company
    today = company._get_value_today()
    events = [
        (
            moment(company, today - timedelta(days=days), 10),
            lambda key=key, days=days: _confirm_order(env, key, days),
        )
        for key, days_ago in DEMO_ORDERS.items()
        for days in days_ago
    ]
    events += [
        (moment(company, day, 21), lambda day=day: _evaluate(env, day))
        for day in month_ends(today, HISTORY_MONTHS)
    ]
    env.flush_all()
    env["crm.lifecycle.queue"].search([]).unlink()
    replay(env, events)
    set_current_snapshots(env, company)
    # Today's figures of everyone, with the orders above, then today's stages.
    recompute(env, company, env["crm.value.engine"]._get_all_customers(company))
    _evaluate(env)
    env["crm.lifecycle.queue"].search([]).unlink()
    _record_churn_reasons(env)
    # A salesperson met Seaview's buyer: moved by hand, then kept there.
    seaview = ref("crm_lifecycle.demo_customer_seaview")
    seaview.lifecycle_stage_id = ref("crm_lifecycle.stage_potential")
    seaview.lifecycle_locked = True
    company.lifecycle_last_full_evaluation = today


# The demo flows the demo data runs, by the name it calls them.
DEMO_FLOWS = {"run_demo_flows": run_demo_flows}


def _confirm_order(env, key, days):
    """One training day ordered by the customer now, confirmed."""
    product = env.ref("crm_value.demo_product_training")
    order = env["sale.order"].create(
        {
            "partner_id": env.ref(f"crm_lifecycle.{key}").id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1})
            ],
        }
    )
    order.action_confirm()
    # Demo data of this addon: uninstalling it removes the orders before the
    # customers they reference.
    env["ir.model.data"]._update_xmlids(
        [
            {
                "xml_id": f"crm_lifecycle.{key}_order_{days}",
                "record": order,
                "noupdate": True,
            }
        ]
    )


def _record_churn_reasons(env):
    """Why the lost demo customers left, as their representative recorded it
    (the wizard's record, on every loss of theirs)."""
    keys = {env.ref(f"crm_lifecycle.{key}").id: key for key in DEMO_CHURN_REASONS}
    losses = env["crm.lifecycle.history"].search(
        [
            ("company_id", "=", env.company.id),
            ("is_churn", "=", True),
            ("partner_id", "in", list(keys)),
        ]
    )
    for partner, moves in losses.grouped("partner_id").items():
        reason, note = DEMO_CHURN_REASONS[keys[partner.id]]
        moves._record_churn_reason(env.ref(f"crm_lifecycle.{reason}"), note)


def _evaluate(env, day=None):
    """Every customer of the company (and a prospect with nothing yet)
    evaluated now, with the value snapshots current on `day` if given."""
    company = env.company
    if day:
        set_current_snapshots(env, company, day)
    engine = env["crm.lifecycle.engine"]
    customers = set(engine._get_all_customers(company))
    customers.add(env.ref("crm_lifecycle.demo_customer_lotus").id)
    engine._evaluate_partners(company, sorted(customers))
