"""Posting an invoice and validating a delivery, timed one by one (median).

Each sample runs in a savepoint rolled back afterwards, so the database is
left as it was. While a posted invoice is still uncommitted, a second
connection tries to lock its customer's row: a held lock would block it.
"""

import statistics
import time

try:
    from . import odoo_env, probes
except ImportError:  # run as a script
    import odoo_env
    import probes

# Statements that write or lock partner rows.
PARTNER_WRITES = (
    r"(UPDATE\s+\"?res_partner\"?\s"
    r"|FROM\s+\"?res_partner\"?.*FOR\s+(NO\s+KEY\s+)?UPDATE)"
)


def measure_posting(database, samples):
    with odoo_env.environment(database) as env:
        env = env(user=env.ref("base.user_admin").id)
        customers = env["res.partner"].search(
            [("customer_rank", ">", 0), ("is_company", "=", True)], limit=samples + 3
        )
        Product = env["product.product"]
        services = Product.search([("type", "=", "service")], limit=2)
        goods = Product.search(
            [("is_storable", "=", True), ("qty_available", ">", 5)], limit=2
        )
        invoice_times, delivery_times, watched, locked = [], [], set(), []
        queries = {"invoice": [], "delivery": []}
        for index, customer in enumerate(customers):
            with probes.capturing(PARTNER_WRITES) as capture:
                seconds, lock = _post_invoice(
                    env, customer, services | goods, index == 0
                )
            if index >= 3:  # the first ones warm caches
                invoice_times.append(seconds)
                watched.update(capture.watched)
                queries["invoice"].append(capture.count)
            if lock is not None:
                locked.append(lock)
            with probes.capturing() as delivery:
                delivery_times.append(_validate_delivery(env, customer, goods))
            queries["delivery"].append(delivery.count)
    return {
        "database": database,
        "samples": len(invoice_times),
        "invoice_ms": _median_ms(invoice_times),
        "delivery_ms": _median_ms(delivery_times[3:]),
        "invoice_queries": statistics.median(queries["invoice"] or [0]),
        "delivery_queries": statistics.median(queries["delivery"][3:] or [0]),
        "delivery_slowest_queries": delivery.slowest(6),
        "partner_row_locked_after_post": locked[0] if locked else None,
        "partner_statements_in_post": sorted(watched),
    }


def _median_ms(samples):
    return round(statistics.median(samples) * 1000, 2) if samples else None


def _post_invoice(env, customer, products, check_lock):
    cr = env.cr
    cr.execute("SAVEPOINT bench_post")
    move = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_line_ids": [
                (0, 0, {"product_id": p.id, "quantity": 2, "price_unit": 50.0})
                for p in products
            ],
        }
    )
    env.flush_all()
    started = time.perf_counter()
    move.action_post()
    env.flush_all()
    seconds = time.perf_counter() - started
    lock = _partner_row_locked(cr.dbname, customer.id) if check_lock else None
    cr.execute("ROLLBACK TO SAVEPOINT bench_post")
    env.invalidate_all()
    return seconds, lock


def _partner_row_locked(database, partner_id):
    """Whether another transaction finds the customer's row locked now."""
    import odoo

    with odoo.sql_db.db_connect(database).cursor() as other:
        try:
            other.execute(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE NOWAIT",
                [partner_id],
            )
        except Exception:  # noqa: BLE001 - LockNotAvailable: the row is held
            return True
        return False


def _validate_delivery(env, customer, products):
    cr = env.cr
    cr.execute("SAVEPOINT bench_delivery")
    picking_type = env.ref("stock.picking_type_out")
    picking = env["stock.picking"].create(
        {
            "partner_id": customer.id,
            "picking_type_id": picking_type.id,
            "location_id": picking_type.default_location_src_id.id,
            "location_dest_id": env.ref("stock.stock_location_customers").id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": p.name,
                        "product_id": p.id,
                        "product_uom_qty": 1,
                        "product_uom": p.uom_id.id,
                        "location_id": picking_type.default_location_src_id.id,
                        "location_dest_id": env.ref(
                            "stock.stock_location_customers"
                        ).id,
                    },
                )
                for p in products
            ],
        }
    )
    picking.action_confirm()
    picking.action_assign()
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    env.flush_all()
    started = time.perf_counter()
    picking.button_validate()
    env.flush_all()
    seconds = time.perf_counter() - started
    cr.execute("ROLLBACK TO SAVEPOINT bench_delivery")
    env.invalidate_all()
    return seconds
