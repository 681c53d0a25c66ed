"""Rows of the generated company, shaped as the ORM writes them, via COPY."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import numpy as np

try:
    from .bulk import IdPool, copy_dicts
    from .costing import DELIVERY, RECEIPT, RETURN
    from .plan import DAYS
    from .writer_accounting import AccountingWriter
except ImportError:  # run as a script
    from bulk import IdPool, copy_dicts
    from costing import DELIVERY, RECEIPT, RETURN
    from plan import DAYS
    from writer_accounting import AccountingWriter

# Parents before children: COPY checks foreign keys row by row.
FLOW_TABLES = (
    "sale_order",
    "sale_order_line",
    "account_full_reconcile",
    "account_move",
    "account_move_line",
    "account_partial_reconcile",
    "sale_order_line_invoice_rel",
    "stock_picking",
    "stock_move",
    "stock_move_line",
    "stock_valuation_layer",
    "stock_quant",
)
WORDS = (
    "North South East West Blue Green Red Silver Golden Rapid Bright Prime Royal "
    "Alpine Coastal Urban Rural Grand Little Smart"
).split()
NOUNS = (
    "Bakery Garage Pharmacy Studio Market Clinic Hotel Cafe Works Traders Farm "
    "Printing Electric Plumbing Dental Florist Books Optics Fitness Logistics"
).split()
SUFFIXES = ("Ltd", "LLC", "& Co", "Group", "Inc", "SARL", "GmbH")
ADMIN = 2


class CompanyWriter(AccountingWriter):
    def __init__(self, env, master, day_zero):
        self.env, self.cr, self.m = env, env.cr, master
        self.day_zero = day_zero
        self.now = datetime.now().replace(microsecond=0)
        self.company_id = master["company"].id
        self.ids = defaultdict(lambda: None)
        self.rows = defaultdict(list)
        self.counters = defaultdict(int)
        self.pools = {}
        self.products = master["products"]
        self.product_ids = self.products.ids
        self.categ_ids = [p.categ_id.id for p in self.products]
        self.product_names = [p.display_name for p in self.products]
        self.salespeople = master["users"].ids
        self.salesperson_partners = master["users"].partner_id.ids
        self.warehouse = master["warehouse"]
        self.last_order = {}

    # -- helpers ------------------------------------------------------------
    def next_id(self, table):
        if table not in self.pools:
            self.pools[table] = IdPool(self.cr, table)
        return self.pools[table]()

    def date(self, day):
        return self.day_zero + timedelta(days=int(day))

    def moment(self, day, second=43200):
        moment = datetime.combine(self.date(day), time()) + timedelta(
            seconds=int(second)
        )
        return min(moment, self.now)

    def name(self, prefix, day=None, width=5):
        """Next name of a sequence, per year when dated (INV/2025/00042)."""
        if day is not None:
            prefix = f"{prefix}/{self.date(day).year}/"
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:0{width}d}", prefix

    def audit(self, moment=None):
        moment = moment or self.now
        return {
            "create_uid": ADMIN,
            "write_uid": ADMIN,
            "create_date": moment,
            "write_date": moment,
        }

    def add(self, table, row):
        row["id"] = row.get("id") or self.next_id(table)
        self.rows[table].append(row)
        return row["id"]

    def flush(self, counts):
        for table in FLOW_TABLES:
            counts[table] += copy_dicts(self.cr, table, self.rows.pop(table, ()))

    # -- customers ------------------------------------------------------------
    def write_partners(self, plan, rng):
        """Customers are companies; 30% have a contact person who orders and
        is invoiced for them (commercial partner: the company)."""
        n = plan.customers
        self.partner_ids = np.array([self.next_id("res_partner") for _ in range(n)])
        words = rng.integers(0, len(WORDS), n), rng.integers(0, len(NOUNS), n)
        suffix = rng.integers(0, len(SUFFIXES), n)
        contact_ids = np.zeros(n, dtype=int)
        rows = []
        for index, pid in enumerate(self.partner_ids.tolist()):
            name = (
                f"{WORDS[words[0][index]]} {NOUNS[words[1][index]]} "
                f"{SUFFIXES[suffix[index]]} {index + 1}"
            )
            common = {
                "user_id": self.salespeople[plan.salesperson[index]],
                "country_id": self.m["countries"][plan.country[index]],
                **self.audit(),
            }
            rows.append(self._partner(pid, name, pid, None, True, common))
            if plan.has_contact[index]:
                contact = self.next_id("res_partner")
                contact_ids[index] = contact
                rows.append(
                    self._partner(
                        contact, f"{name}, Buyer {index + 1}", pid, pid, False, common
                    )
                )
        self.contact_ids = contact_ids
        return {"res_partner": copy_dicts(self.cr, "res_partner", rows)}

    @staticmethod
    def _partner(pid, name, commercial, parent, is_company, common):
        company_name = name.split(", ")[0]
        return {
            "id": pid,
            "name": name.split(", ")[-1] if parent else name,
            "complete_name": name,
            "commercial_partner_id": commercial,
            "commercial_company_name": company_name,
            "parent_id": parent,
            "is_company": is_company,
            "type": "contact",
            "active": True,
            "lang": "en_US",
            "email": f"contact{pid}@example.com",
            "customer_rank": 0,
            "supplier_rank": 0,
            "autopost_bills": "ask",
            "partner_share": True,
            "employee": False,
            "color": 0,
            **common,
        }

    # -- orders and what follows them -------------------------------------------
    def write_flows(self, plan, flows, chunk=5000):
        """Orders in date order; each confirmed one invoiced, delivered, maybe
        returned or credited, and paid on the customer's habits."""
        counts = defaultdict(int)
        order_ids = np.lexsort((plan.order_second, plan.order_day))
        starts = np.searchsorted(plan.line_order, np.arange(len(order_ids) + 1))
        prices = self.m["prices"][plan.line_product]
        self.flows = flows
        for position, order in enumerate(order_ids.tolist()):
            lines = range(starts[order], starts[order + 1])
            self._write_order(plan, flows, order, lines, prices)
            if position % chunk == chunk - 1:
                self.flush(counts)
        self.flush(counts)
        return counts

    def _write_order(self, plan, flows, order, lines, prices):
        customer = plan.order_customer[order]
        commercial = int(self.partner_ids[customer])
        partner = (
            int(self.contact_ids[customer])
            if plan.order_by_contact[order]
            else commercial
        )
        state = ("sale", "draft", "cancel")[plan.order_state[order]]
        day = plan.order_day[order]
        moment = self.moment(day, plan.order_second[order])
        sold = state == "sale"
        so_id = self.next_id("sale_order")
        self.last_order[customer] = so_id
        so_name, _prefix = self.name("S", width=5)
        items = []
        for line in lines:
            product = plan.line_product[line]
            qty, discount = int(plan.line_qty[line]), float(plan.line_discount[line])
            price = float(prices[line])
            items.append(
                {
                    "line": line,
                    "product": product,
                    "qty": qty,
                    "discount": discount,
                    "price": price,
                    "subtotal": round(price * qty * (1 - discount / 100), 2),
                    "cost": round(
                        float(self.m["costs"][product]) * (1 + 0.004 * (day // 30)), 2
                    ),
                    "returned": 0,
                    "sol_id": self.next_id("sale_order_line"),
                }
            )
        context = {
            "so_id": so_id,
            "so_name": so_name,
            "partner": partner,
            "commercial": commercial,
            "salesperson": self.salespeople[plan.salesperson[customer]],
            "day": day,
        }
        delivery = self._write_delivery(flows, order, items, context) if sold else None
        if sold:
            self._write_invoicing(flows, order, items, context, delivery)
        total = round(sum(item["subtotal"] for item in items), 2)
        margin = round(sum(i["subtotal"] - i["cost"] * i["qty"] for i in items), 2)
        self.add(
            "sale_order",
            {
                "id": so_id,
                "name": so_name,
                "state": state,
                "company_id": self.company_id,
                "partner_id": partner,
                "partner_invoice_id": partner,
                "partner_shipping_id": partner,
                "date_order": moment,
                "currency_id": self.m["currency_id"],
                "currency_rate": 1.0,
                "user_id": context["salesperson"],
                "team_id": self.m["team_id"],
                "amount_untaxed": total,
                "amount_tax": 0.0,
                "amount_total": total,
                "margin": margin,
                "margin_percent": margin / total if total else 0.0,
                "invoice_status": "invoiced" if sold else "no",
                "delivery_status": "full" if delivery else None,
                "effective_date": delivery["moment"] if delivery else None,
                "picking_policy": "direct",
                "warehouse_id": self.warehouse.id,
                "locked": False,
                "require_signature": False,
                "require_payment": False,
                "prepayment_percent": 1.0,
                **self.audit(moment),
            },
        )
        for sequence, item in enumerate(items):
            self._write_order_line(item, sequence, so_id, context, state, moment)

    def _write_order_line(self, item, sequence, so_id, context, state, moment):
        sold = state == "sale"
        kind = self.m["kinds"][item["product"]]
        qty, done = item["qty"], item["qty"] - item["returned"] if sold else 0
        invoiced = (
            round(item["subtotal"] - item.get("refunded", 0.0), 2) if sold else 0.0
        )
        self.add(
            "sale_order_line",
            {
                "id": item["sol_id"],
                "order_id": so_id,
                "sequence": 10 + sequence,
                "company_id": self.company_id,
                "currency_id": self.m["currency_id"],
                "order_partner_id": context["partner"],
                "salesman_id": context["salesperson"],
                "product_id": self.product_ids[item["product"]],
                "product_uom": 1,
                "state": state,
                "name": self.product_names[item["product"]],
                "product_uom_qty": qty,
                "price_unit": item["price"],
                "technical_price_unit": item["price"],
                "discount": item["discount"],
                "price_subtotal": item["subtotal"],
                "price_total": item["subtotal"],
                "price_tax": 0.0,
                "price_reduce_taxexcl": round(item["subtotal"] / qty, 2),
                "price_reduce_taxinc": round(item["subtotal"] / qty, 2),
                "qty_delivered_method": "manual" if kind == "service" else "stock_move",
                "qty_delivered": done,
                "qty_invoiced": done,
                "qty_to_invoice": 0,
                "invoice_status": "invoiced" if sold else "no",
                "untaxed_amount_invoiced": invoiced,
                "untaxed_amount_to_invoice": 0.0,
                "customer_lead": 0.0,
                "is_downpayment": False,
                "is_expense": False,
                "purchase_price": item["cost"],
                "margin": round(item["subtotal"] - item["cost"] * qty, 2),
                "margin_percent": (
                    (item["subtotal"] - item["cost"] * qty) / item["subtotal"]
                    if item["subtotal"]
                    else 0.0
                ),
                "warehouse_id": self.warehouse.id,
                **self.audit(moment),
            },
        )

    # -- stock ----------------------------------------------------------------
    def _write_delivery(self, flows, order, items, context):
        """The delivery of the order's goods; storable ones enter costing."""
        goods = [i for i in items if self.m["kinds"][i["product"]] != "service"]
        if not goods:
            return None
        day = flows["deliver_day"][order]
        delivery = self._write_picking(
            "WH/OUT", day, 8, 5, context["partner"], context, 2, goods, DELIVERY
        )
        if flows["returned"][order]:
            item = next(i for i in goods if self._storable(i))
            item["returned"] = max(1, item["qty"] // 2)
            return_day = flows["return_day"][order]
            origin = item["move_id"]
            returned = dict(item, qty=item["returned"])
            self._write_picking(
                "WH/IN",
                return_day,
                5,
                8,
                context["partner"],
                context,
                1,
                [returned],
                RETURN,
                return_of=(delivery["id"], origin),
            )
            delivery["return"] = (return_day, item)
        return delivery

    def _storable(self, item):
        return self.m["kinds"][item["product"]] in ("fifo", "average")

    def _write_picking(self, prefix, day, source, dest, partner, context, type_id,
                       items, kind, return_of=None):  # fmt: skip
        moment = self.moment(day, 43200)
        name, _prefix = self.name(prefix, width=5)
        picking_id = self.add(
            "stock_picking",
            {
                "name": name,
                "origin": context["so_name"] if context else None,
                "partner_id": partner,
                "picking_type_id": type_id,
                "location_id": source,
                "location_dest_id": dest,
                "company_id": self.company_id,
                "state": "done",
                "move_type": "direct",
                "priority": "0",
                "scheduled_date": moment,
                "date": moment,
                "date_done": moment,
                "sale_id": context["so_id"] if context else None,
                "return_id": return_of[0] if return_of else None,
                "is_locked": True,
                "printed": False,
                **self.audit(moment),
            },
        )
        moves = []
        for item in items:
            move_id = self.add(
                "stock_move",
                {
                    "name": self.product_names[item["product"]],
                    "reference": name,
                    "origin": context["so_name"] if context else name,
                    "product_id": self.product_ids[item["product"]],
                    "product_uom": 1,
                    "product_uom_qty": item["qty"],
                    "product_qty": item["qty"],
                    "quantity": item["qty"],
                    "location_id": source,
                    "location_dest_id": dest,
                    "picking_id": picking_id,
                    "picking_type_id": type_id,
                    "company_id": self.company_id,
                    "warehouse_id": self.warehouse.id,
                    "sale_line_id": item.get("sol_id"),
                    "origin_returned_move_id": return_of[1] if return_of else None,
                    "to_refund": bool(return_of),
                    "state": "done",
                    "date": moment,
                    "procure_method": "make_to_stock",
                    "price_unit": item.get("unit_cost", 0.0),
                    "priority": "0",
                    "sequence": 10,
                    "picked": True,
                    "scrapped": False,
                    "additional": False,
                    "is_inventory": False,
                    "propagate_cancel": False,
                    **self.audit(moment),
                },
            )
            self.add(
                "stock_move_line",
                {
                    "move_id": move_id,
                    "picking_id": picking_id,
                    "reference": name,
                    "product_id": self.product_ids[item["product"]],
                    "product_uom_id": 1,
                    "quantity": item["qty"],
                    "quantity_product_uom": item["qty"],
                    "location_id": source,
                    "location_dest_id": dest,
                    "company_id": self.company_id,
                    "state": "done",
                    "date": moment,
                    "picked": True,
                    **self.audit(moment),
                },
            )
            moves.append(move_id)
            if kind == DELIVERY:
                item["move_id"] = move_id
            if kind != RECEIPT and self._storable(item):
                origin = return_of[1] if return_of else item.get("unit_cost")
                self.flows["events"][item["product"]].append(
                    (int(day), kind, move_id, item["qty"], origin)
                )
        return {"id": picking_id, "moment": moment, "moves": moves}

    def write_receipt(self, product, day, qty, counts):
        """A purchase receipt from the main supplier; returns its move id."""
        picking = self._write_picking("WH/IN", day, 4, 8, self.m["vendor"].id, None,
                                      1, [{"product": product, "qty": qty}], RECEIPT)  # fmt: skip
        if len(self.rows["stock_move"]) > 50_000:
            self.flush(counts)
        return picking["moves"][0]

    def write_layers(self, product, events, layers, average, counts):
        """Valuation layers, the quant on hand and the product's cost."""
        on_hand, oldest = 0.0, None
        for event, layer in zip(events, layers, strict=True):
            incoming = layer.quantity > 0
            if incoming and layer.remaining_qty > 0:
                on_hand += layer.remaining_qty
                oldest = oldest or layer.unit_cost
            moment = self.moment(event[0], 43200)
            self.add(
                "stock_valuation_layer",
                {
                    "company_id": self.company_id,
                    "product_id": self.product_ids[product],
                    "categ_id": self.categ_ids[product],
                    "stock_move_id": layer.key,
                    "description": self.product_names[product],
                    "quantity": layer.quantity,
                    "unit_cost": round(layer.unit_cost, 6),
                    "value": layer.value,
                    "remaining_qty": layer.remaining_qty if incoming else 0.0,
                    "remaining_value": round(layer.remaining_qty * layer.unit_cost, 2)
                    if incoming
                    else 0.0,
                    **self.audit(moment),
                },
            )
        self.add(
            "stock_quant",
            {
                "product_id": self.product_ids[product],
                "location_id": 8,
                "company_id": self.company_id,
                "quantity": on_hand,
                "reserved_quantity": 0,
                "in_date": self.now,
                **self.audit(),
            },
        )
        method = self.m["kinds"][product]
        cost = average if method == "average" else (oldest or average)
        self.cr.execute(
            "UPDATE product_product SET standard_price = jsonb_build_object(%s, %s)"
            " WHERE id = %s",
            [str(self.company_id), round(float(cost), 2), self.product_ids[product]],
        )
        if len(self.rows["stock_valuation_layer"]) > 50_000:
            self.flush(counts)

    # -- leads, activities, and the end -------------------------------------------
    def write_crm(self, plan, rng):
        """Leads and opportunities for a third of the customers, completed
        activities (what the cost to serve counts) and a few open ones."""
        stages = self.m["stages"]
        leads = []
        for index in np.flatnonzero(rng.random(plan.customers) < 0.35).tolist():
            for _ in range(1 + rng.poisson(0.3)):
                leads.append(self._lead(plan, rng, index, stages))
        counts = {"crm_lead": copy_dicts(self.cr, "crm_lead", leads)}
        counts["mail_message"] = copy_dicts(
            self.cr, "mail_message", self._done_activities(plan, rng)
        )
        counts["mail_activity"] = copy_dicts(
            self.cr, "mail_activity", self._open_activities(plan, rng)
        )
        return counts

    def _lead(self, plan, rng, index, stages):
        partner = int(self.partner_ids[index])
        day = int(rng.integers(0, DAYS + 1))
        opportunity = rng.random() < 0.6
        stage = stages[int(rng.integers(0, len(stages)))] if opportunity else stages[0]
        lost = rng.random() < 0.15
        probability = (
            0.0 if lost else (100.0 if stage.is_won else 10.0 + 20 * stage.sequence)
        )
        return {
            "name": f"{'Opportunity' if opportunity else 'Lead'} {partner}",
            "type": "opportunity" if opportunity else "lead",
            "partner_id": partner,
            "partner_name": None,
            "email_from": f"contact{partner}@example.com",
            "user_id": self.salespeople[plan.salesperson[index]],
            "team_id": self.m["team_id"],
            "company_id": self.company_id,
            "stage_id": stage.id,
            "active": not lost,
            "probability": min(probability, 100.0),
            "automated_probability": min(probability, 100.0),
            "expected_revenue": float(round(rng.lognormal(7, 1), 2)),
            "priority": "0",
            "color": 0,
            "date_open": self.moment(day),
            "date_last_stage_update": self.moment(day),
            "date_closed": self.moment(day) if stage.is_won or lost else None,
            **self.audit(self.moment(day)),
        }

    def _done_activities(self, plan, rng):
        types = self.m["activity_types"]
        counts = rng.poisson(2.0, plan.customers)
        for index in np.flatnonzero(counts).tolist():
            partner = int(self.partner_ids[index])
            for _ in range(counts[index]):
                day = int(rng.integers(0, DAYS + 1))
                order = self.last_order.get(index)
                on_order = order and rng.random() < 0.3
                yield {
                    "model": "sale.order" if on_order else "res.partner",
                    "res_id": order if on_order else partner,
                    "record_company_id": self.company_id if on_order else None,
                    "message_type": "notification",
                    "subtype_id": self.m["subtype_id"],
                    "mail_activity_type_id": types[int(rng.integers(0, len(types)))],
                    "author_id": self.salesperson_partners[plan.salesperson[index]],
                    "body": "<p>Done</p>",
                    "is_internal": False,
                    "date": self.moment(day),
                    **self.audit(self.moment(day)),
                }

    def _open_activities(self, plan, rng):
        self.cr.execute("SELECT id FROM ir_model WHERE model = 'res.partner'")
        model_id = self.cr.fetchone()[0]
        types = self.m["activity_types"]
        for index in np.flatnonzero(rng.random(plan.customers) < 0.05).tolist():
            yield {
                "res_model_id": model_id,
                "res_model": "res.partner",
                "res_id": int(self.partner_ids[index]),
                "activity_type_id": types[int(rng.integers(0, len(types)))],
                "summary": "Follow up",
                "date_deadline": self.date(DAYS + int(rng.integers(-10, 20))),
                "user_id": self.salespeople[plan.salesperson[index]],
                "automated": False,
                **self.audit(),
            }

    def finish(self):
        """What posting and the sequences would have left: customer ranks,
        next sequence numbers; then fresh planner statistics."""
        self.cr.execute(
            """
            UPDATE res_partner p SET customer_rank = c.count
              FROM (SELECT partner_id, COUNT(*) AS count FROM (
                        SELECT partner_id FROM account_move
                         WHERE move_type IN ('out_invoice', 'out_refund')
                        UNION ALL
                        SELECT commercial_partner_id FROM account_move
                         WHERE move_type IN ('out_invoice', 'out_refund')
                           AND commercial_partner_id <> partner_id) m
                     GROUP BY partner_id) c
             WHERE c.partner_id = p.id
            """
        )
        env = self.env
        env["ir.sequence"].search([("code", "=", "sale.order")]).number_next = (
            self.counters["S"] + 1
        )
        for type_xmlid, prefix in (("stock.picking_type_out", "WH/OUT"),
                                   ("stock.picking_type_in", "WH/IN")):  # fmt: skip
            env.ref(type_xmlid).sequence_id.number_next = self.counters[prefix] + 1
        env.flush_all()
        for table in (*FLOW_TABLES, "res_partner", "crm_lead", "mail_message"):
            self.cr.execute(f"ANALYZE {table}")
