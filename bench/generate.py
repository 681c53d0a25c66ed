"""Fill a fresh database with a believable company for the value benchmark.

    .venv/bin/python bench/generate.py --database bench_1k --customers 1000 \
        [--template bench_tpl] [--seed 42]

Master data (categories, products, salespeople, activity costs) goes through
the ORM; customers and three years of orders, invoices, payments, deliveries,
returns, stock valuation, leads and activities are written with COPY, shaped
as the ORM writes them (balanced journal items, reconciliations, valuation
layers, commercial partners), so the engine reads real-shaped data.
"""

import argparse
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

import numpy as np

try:
    from . import odoo_env
    from .costing import DELIVERY, RECEIPT, value_product
    from .plan import DAYS, draw_plan, payment_delays
    from .writer import CompanyWriter
except ImportError:  # run as a script
    import odoo_env
    from costing import DELIVERY, RECEIPT, value_product
    from plan import DAYS, draw_plan, payment_delays
    from writer import CompanyWriter

PRODUCTS = 200
MARKER = "bench.generated"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    odoo_env.add_common_arguments(parser)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--template", help="copy this database (addons installed, no data) first"
    )
    parser.add_argument(
        "--modules",
        default=odoo_env.ADDONS,
        help="modules to install in a new database (without the addons: "
        "the base of the posting comparison)",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    odoo = odoo_env.setup(args.config)
    if not odoo_env.database_exists(odoo, args.database):
        odoo_env.create_database(
            args.config, args.database, args.modules, args.template
        )
    started = time.monotonic()
    with odoo_env.environment(args.database, commit=True) as env:
        env.cr.execute("SELECT 1 FROM ir_config_parameter WHERE key = %s", [MARKER])
        if env.cr.fetchone():
            sys.exit(
                f"{args.database} already holds generated data: drop it "
                f"(dropdb {args.database}) or choose another --database."
            )
        generate(env, args.customers, args.seed)
        env["ir.config_parameter"].set_param(
            MARKER, f"{args.customers} customers, seed {args.seed}"
        )
    sys.stdout.write(f"Generated in {time.monotonic() - started:.1f} s\n")


def generate(env, customers, seed):
    rng = np.random.default_rng(seed)
    today = date.today()
    master = make_master_data(env, rng)
    env.flush_all()
    plan = draw_plan(rng, customers, PRODUCTS)
    writer = CompanyWriter(env, master, day_zero=today - timedelta(days=DAYS))
    log("partners", writer.write_partners(plan, rng))
    flows = draw_flows(rng, plan, master)
    log("orders, invoices, payments, deliveries", writer.write_flows(plan, flows))
    log("stock valuation", write_valuation(writer, master, flows, rng))
    log("leads and activities", writer.write_crm(plan, rng))
    writer.finish()
    env.invalidate_all()
    env.registry.clear_cache()


def log(step, counts):
    text = ", ".join(f"{count} {table}" for table, count in counts.items())
    sys.stdout.write(f"{step}: {text}\n")


def make_master_data(env, rng):
    """Categories (FIFO, average cost, services), 200 products, salespeople,
    countries and the cost of activities, through the ORM."""
    company = env.company
    if "value_handling_cost" in company._fields:
        company.value_handling_cost = 2.5
    Category = env["product.category"]
    categories = {
        "fifo": Category.create(
            {"name": "Goods (FIFO)", "property_cost_method": "fifo"}
        ),
        "average": Category.create(
            {"name": "Goods (average cost)", "property_cost_method": "average"}
        ),
        "service": Category.create({"name": "Services"}),
        "consumable": Category.create({"name": "Consumables"}),
    }
    kinds = rng.permutation(
        ["fifo"] * 80 + ["average"] * 70 + ["service"] * 30 + ["consumable"] * 20
    )
    costs = np.round(rng.lognormal(3.0, 1.0, PRODUCTS), 2) + 0.5
    prices = np.round(costs * rng.uniform(1.2, 2.5, PRODUCTS), 2)
    products = env["product.product"].create(
        [
            {
                "name": f"{kind.title()} item {index + 1:03d}",
                "type": "service" if kind == "service" else "consu",
                "is_storable": kind in ("fifo", "average"),
                "categ_id": categories[kind].id,
                "list_price": float(prices[index]),
                "standard_price": float(costs[index]),
                "invoice_policy": "order",
            }
            for index, kind in enumerate(kinds)
        ]
    )
    users = env["res.users"].create(
        [
            {
                "name": f"Salesperson {index + 1}",
                "login": f"bench_sales_{index + 1}",
                "groups_id": [(4, env.ref("sales_team.group_sale_salesman").id)],
            }
            for index in range(6)
        ]
    )
    activity_costs = {
        "mail.mail_activity_data_email": 1.0,
        "mail.mail_activity_data_call": 5.0,
        "mail.mail_activity_data_meeting": 40.0,
        "mail.mail_activity_data_todo": 3.0,
    }
    activity_types = [env.ref(xmlid) for xmlid in activity_costs]
    if "value_cost" in env["mail.activity.type"]._fields:
        for activity_type, cost in zip(
            activity_types, activity_costs.values(), strict=True
        ):
            activity_type.value_cost = cost
    journal = env["account.journal"]
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("code", "=", "121000")], limit=1
    )
    warehouse = env["stock.warehouse"].search([], limit=1)
    return {
        "company": company,
        "currency_id": company.currency_id.id,
        "products": products,
        "kinds": list(kinds),
        "costs": costs,
        "prices": prices,
        "users": users,
        "countries": env["res.country"].search([], limit=12, order="id").ids,
        "activity_types": [t.id for t in activity_types],
        "sale_journal": journal.search([("type", "=", "sale")], limit=1),
        "bank_journal": journal.search([("type", "=", "bank")], limit=1),
        "receivable_id": receivable.id,
        "warehouse": warehouse,
        "vendor": env["res.partner"].create(
            {"name": "Main Supplier", "is_company": True}
        ),
        "team_id": env["crm.team"].search([], limit=1).id,
        "stages": env["crm.stage"].search([], order="sequence"),
        "subtype_id": env.ref("mail.mt_activities").id,
    }


def draw_flows(rng, plan, master):
    """Every random draw of the orders' lifecycle, made up front so the data
    does not depend on the order rows are written in."""
    orders = len(plan.order_customer)
    storable = np.array([kind in ("fifo", "average") for kind in master["kinds"]])
    goods = np.array([kind != "service" for kind in master["kinds"]])
    line_storable = storable[plan.line_product]
    sold = plan.order_state == 0
    has_storable = (
        np.bincount(plan.line_order, weights=line_storable, minlength=orders) > 0
    )
    to_day = lambda days: np.minimum(plan.order_day + days, DAYS)  # noqa: E731
    returned = sold & has_storable & (rng.random(orders) < 0.04)
    adjusted = sold & ~returned & (rng.random(orders) < 0.01)
    deliver_day = to_day(rng.integers(0, 4, orders))
    return {
        "line_storable": line_storable,
        "line_goods": goods[plan.line_product],
        "invoice_day": to_day(rng.integers(0, 5, orders)),
        "deliver_day": deliver_day,
        "returned": returned,
        "return_day": np.minimum(deliver_day + rng.integers(5, 31, orders), DAYS),
        "adjusted": adjusted,
        "adjust_day": to_day(rng.integers(10, 40, orders)),
        "pay_delay": payment_delays(rng, plan.payer[plan.order_customer]),
        "events": defaultdict(list),  # product index: costing events
    }


def write_valuation(writer, master, flows, rng):
    """Monthly receipts covering each storable product's demand, then the
    FIFO / average cost layers of receipts, deliveries and returns."""
    events = flows["events"]
    counts = defaultdict(int)
    for product, product_events in sorted(events.items()):
        demand = defaultdict(float)
        for day, kind, _key, qty, _cost in product_events:
            if kind == DELIVERY:
                demand[day // 30] += qty
        base = master["costs"][product]
        for month in range(DAYS // 30 + 1):
            qty = demand.get(month, 0) + (20 if month == 0 else 0)
            if qty:
                cost = round(base * (1 + 0.004 * month) * rng.normal(1, 0.03), 2)
                key = writer.write_receipt(product, month * 30, qty, counts)
                product_events.append((month * 30, RECEIPT, key, qty, cost))
        # Receipts first on a day, then deliveries, then returns.
        product_events.sort(key=lambda event: (event[0], event[1]))
        method = master["kinds"][product]
        layers, average = value_product(product_events, method)
        writer.write_layers(product, product_events, layers, average, counts)
    writer.flush(counts)
    return counts


if __name__ == "__main__":
    main()
