"""The demo's last eighteen months, replayed as they would have happened.

Goods are received, orders confirmed, delivered and invoiced, invoices paid
(some late), goods returned and credited, each on its own day with the clock
set to that moment (freezegun, as Odoo's own tests set it); and the customer
value engine runs at every month-end. The snapshots are the engine's own
history, the tier moves month after month are real, and each order keeps the
tier its customer had on the day it was confirmed. The other addons' demos
replay their part (stages, surveys, complaints) with the same clock
(`replay`, `moment`, `month_ends`, `set_current_snapshots`, `recompute`)."""

import calendar
from datetime import date, datetime, time, timedelta

import pytz

from odoo import Command
from odoo.tools import SQL

# Months of history the demo replays: the oldest demo order is a little younger.
HISTORY_MONTHS = 18

# customer: [(days ago, ((product, quantity, discount %), ...), paid after
# days)], at the products' list prices. Paid after None, or after today:
# still open (late when past due).
DEMO_ORDERS = {
    # A key account growing into the top of the pyramid.
    "demo_customer_jade": [
        (520, (("oolong", 20, 0),), 20),
        (460, (("training", 1, 0),), 15),
        (400, (("oolong", 30, 0),), 20),
        (340, (("training", 1, 0),), 18),
        (280, (("oolong", 40, 0), ("training", 2, 0)), 20),
        (230, (("training", 1, 0),), 15),
        (200, (("oolong", 60, 0), ("training", 2, 0)), 20),
        (150, (("training", 1, 0),), 15),
        (120, (("training", 1, 0),), 18),
        (90, (("oolong", 40, 0),), 25),
        (60, (("training", 1, 0),), 12),
        (30, (("rice", 50, 0),), 15),
        (8, (("training", 1, 0),), None),
    ],
    # Once the biggest customer, buying less and less.
    "demo_customer_westlake": [
        (530, (("oolong", 50, 0),), 30),
        (480, (("training", 2, 0),), 30),
        (430, (("oolong", 40, 0),), 35),
        (380, (("training", 2, 0),), 30),
        (330, (("oolong", 15, 0),), 30),
        (250, (("rice", 30, 0),), 35),
        (150, (("oolong", 15, 5),), 30),
        (100, (("training", 1, 0),), 35),
        (45, (("rice", 40, 0),), None),
    ],
    # A small buyer growing: bigger orders, then a second product.
    "demo_customer_pearl": [
        (450, (("rice", 10, 0),), 40),
        (300, (("rice", 15, 0),), 40),
        (200, (("rice", 30, 0),), 40),
        (120, (("rice", 60, 0),), 40),
        (75, (("oolong", 30, 0),), 40),
        (20, (("rice", 20, 0),), None),
    ],
    # A regular who went quiet: an order every month or two, then nothing
    # for eight months.
    "demo_customer_panda": [
        *((days, (("oolong", 5, 0),), 10) for days in (500, 450, 400, 360)),
        *((days, (("oolong", 5, 0),), 10) for days in (330, 300, 270)),
        (240, (("oolong", 8, 0),), 10),
    ],
    # New this season, pays late.
    "demo_customer_garden": [
        (110, (("rice", 10, 0),), 60),
        (60, (("rice", 10, 0),), 75),
        (15, (("training", 1, 0),), None),
    ],
    # Soon buys only at half price, returns part of it, does not pay: high
    # credit risk.
    "demo_customer_bargain": [
        (160, (("oolong", 5, 10),), None),
        (110, (("oolong", 20, 50),), None),
        (80, (("oolong", 20, 50),), None),
    ],
}
# (customer, days ago of the order, quantity): returned ten days after the
# delivery, and credited.
DEMO_RETURNS = [("demo_customer_bargain", 80, 5)]
# (product, days ago, quantity, unit cost): costs rise over the months.
DEMO_RECEIPTS = [
    ("oolong", 540, 150, 38.0),
    ("rice", 540, 150, 28.0),
    ("oolong", 360, 150, 41.0),
    ("rice", 270, 150, 32.0),
    ("oolong", 180, 200, 44.0),
]


def run_demo_flows(env):
    """The receipts, orders, payments, returns and month-end recomputes of
    the last eighteen months, then today's figures of every customer."""
    ref = env.ref
    company = env.company
    today = company._get_value_today()
    customers = set()
    events = [
        (
            moment(company, today - timedelta(days=days_ago), 8),
            lambda product=product, quantity=quantity, cost=cost: _receive(
                env, ref(f"crm_value.demo_product_{product}"), [(quantity, cost)]
            ),
        )
        for product, days_ago, quantity, cost in DEMO_RECEIPTS
    ]
    invoices = {}  # (customer, days ago): its order's invoice, once made
    events += _order_events(env, today, customers, invoices)
    teehaus = ref("crm_value.demo_customer_teehaus")
    events += [
        (
            moment(company, today - timedelta(days=50), 10),
            lambda: (
                customers.add(teehaus.id),
                invoices.update({"teehaus": _foreign_invoice(env, teehaus)}),
            ),
        ),
        (
            moment(company, today - timedelta(days=38), 11),
            lambda: _pay(env, invoices["teehaus"]),
        ),
        (
            moment(company, today - timedelta(days=75), 15),
            lambda: (
                ref("crm_value.demo_customer_bargain")
                .activity_schedule(
                    "mail.mail_activity_data_call",
                    summary="Complaint about late delivery",
                )
                .action_done()
            ),
        ),
    ]
    events += [
        (
            moment(company, day, 20),
            lambda: recompute(env, company, sorted(customers)),
        )
        for day in month_ends(today, HISTORY_MONTHS)
    ]
    replay(env, events)
    all_customers = env["crm.value.engine"]._get_all_customers(company)
    recompute(env, company, all_customers)
    # What the night does after it: the tiers' relationship levels by the
    # numbers, and the late payer's salesperson asked to look into it.
    env["crm.value.tier"]._apply_relationship_proposals(company)
    env["crm.value.risk"]._on_risk_refreshed(company, all_customers)


def apply_tier_terms(env):
    """The customers get their tier's terms now the company applies them
    (the history before was sold at list prices)."""
    engine = env["crm.value.engine"]
    customers = env["res.partner"].browse(engine._get_all_customers(env.company))
    customers._apply_value_tier_terms()


# The demo flows the demo data runs, by the name it calls them.
DEMO_FLOWS = {"run_demo_flows": run_demo_flows, "apply_tier_terms": apply_tier_terms}


# ----------------------------------------------------------------------
# The clock (used by the other addons' demos too)
# ----------------------------------------------------------------------
def replay(env, events):
    """Run each event, a (moment, function) pair, in order of its moment (a
    naive UTC datetime) with the clock stopped at that moment, as Odoo's
    tests freeze it: every date the ORM and the engines take from "now"
    (order and delivery dates, invoice and payment dates, activities done,
    snapshots, stage moves, survey answers) is the event's.

    Demo data only: the clock is the process's, frozen until the replay ends
    (seconds), so install demo data into a database nobody is using (the
    scripts install it with --stop-after-init)."""
    from freezegun import freeze_time  # Odoo's tests' dependency

    events = sorted(events, key=lambda event: event[0])
    if not events:
        return
    with freeze_time(events[0][0]) as clock:
        for when, function in events:
            clock.move_to(when)
            function()
        env.flush_all()


def moment(company, day, hour):
    """The naive UTC moment of `hour` o'clock on `day` in the company's time
    zone (the company's day of that moment is `day`)."""
    local = pytz.timezone(company._get_value_tz()).localize(
        datetime.combine(day, time(hour))
    )
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def month_ends(today, months):
    """The last day of each of the `months` months before today's."""
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        ends.append(date(year, month, calendar.monthrange(year, month)[1]))
    return sorted(ends)


def set_current_snapshots(env, company, day=None):
    """Make each customer's newest snapshot up to `day` (default: the newest
    of all) its current one, so what reads the current value figures
    (P(alive), scores in the lifecycle rules) reads them as they were on
    `day`. Customers with no snapshot by then have none."""
    cr = env.cr
    env.flush_all()
    cr.execute(
        SQL(
            "UPDATE crm_value_snapshot SET is_current = FALSE"
            " WHERE company_id = %s AND is_current",
            company.id,
        )
    )
    cr.execute(
        SQL(
            """
        UPDATE crm_value_snapshot SET is_current = TRUE WHERE id IN (
            SELECT DISTINCT ON (partner_id) id FROM crm_value_snapshot
             WHERE company_id = %s AND (%s::date IS NULL OR date <= %s::date)
             ORDER BY partner_id, date DESC, id DESC)
        """,
            company.id,
            day,
            day,
        )
    )
    env["crm.value.snapshot"].invalidate_model(["is_current"])


def recompute(env, company, partner_ids):
    """The engine's run over these customers, as the nightly one."""
    engine = env["crm.value.engine"]
    engine._recompute_partners(company, partner_ids)
    env["crm.value.scoring"]._refresh_company(company)


# ----------------------------------------------------------------------
# Events
# ----------------------------------------------------------------------
def _order_events(env, today, customers, invoices):
    """The events of DEMO_ORDERS and DEMO_RETURNS: each order sold on its day
    (its customer added to `customers`, its invoice to `invoices`), paid,
    part of it returned."""
    ref, company, events = env.ref, env.company, []
    returns = {(key, days): qty for key, days, qty in DEMO_RETURNS}
    for key, orders in DEMO_ORDERS.items():
        customer = ref(f"crm_value.{key}")
        for days_ago, lines, paid_after in orders:
            day, order_key = today - timedelta(days=days_ago), (key, days_ago)
            events.append(
                (
                    moment(company, day, 10),
                    lambda order_key=order_key, customer=customer, lines=lines: (
                        customers.add(customer.id),
                        invoices.update({order_key: _sell(env, customer, lines)}),
                    ),
                )
            )
            paid_on = paid_after is not None and day + timedelta(days=paid_after)
            if paid_on and paid_on < today:
                events.append(
                    (
                        moment(company, paid_on, 11),
                        lambda order_key=order_key: _pay(env, invoices[order_key]),
                    )
                )
            if order_key in returns:
                events.append(
                    (
                        moment(company, day + timedelta(days=10), 14),
                        lambda order_key=order_key: _return_and_refund(
                            env, invoices[order_key], returns[order_key]
                        ),
                    )
                )
    return events


def _sell(env, customer, lines):
    """An order confirmed now, delivered and invoiced the same day: its
    invoice."""
    ref = env.ref
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": ref(f"crm_value.demo_product_{product}").id,
                        "product_uom_qty": quantity,
                        "discount": discount,
                    }
                )
                for product, quantity, discount in lines
            ],
        }
    )
    order.action_confirm()
    for picking in order.picking_ids:
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        picking.with_context(skip_backorder=True).button_validate()
    invoice = order._create_invoices()
    invoice.invoice_payment_term_id = ref("account.account_payment_term_30days")
    invoice.action_post()
    return invoice


def _receive(env, product, receipts):
    stock = (
        env["stock.warehouse"]
        .search([("company_id", "=", env.company.id)], limit=1)
        .lot_stock_id
    )
    for quantity, cost in receipts:
        move = env["stock.move"].create(
            {
                "name": product.name,
                "product_id": product.id,
                "location_id": env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": stock.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": quantity,
                "price_unit": cost,
            }
        )
        move._action_confirm()
        move.write({"quantity": quantity, "picked": True})
        move._action_done()


def _pay(env, invoice):
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create({})._create_payments()


def _return_and_refund(env, invoice, quantity):
    """A partial return of the invoice's delivery, credited."""
    order = invoice.line_ids.sale_line_ids.order_id
    delivery = order.picking_ids.filtered(lambda p: p.state == "done")[:1]
    wizard = (
        env["stock.return.picking"]
        .with_context(
            active_id=delivery.id,
            active_ids=delivery.ids,
            active_model="stock.picking",
        )
        .create({"picking_id": delivery.id})
    )
    wizard.product_return_moves.quantity = quantity
    returned = env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
    for move in returned.move_ids:
        move.write({"quantity": quantity, "picked": True})
    returned.button_validate()
    refund = invoice._reverse_moves()
    refund.invoice_line_ids.quantity = quantity
    refund.action_post()


def _foreign_invoice(env, customer):
    euro = env.ref("base.EUR")
    euro.active = True
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "currency_id": euro.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": env.ref("crm_value.demo_product_training").id,
                        "quantity": 3,
                        "price_unit": 650.0,
                    }
                )
            ],
        }
    )
    invoice.action_post()
    return invoice
