import importlib.util
from pathlib import Path

from lxml import etree

from odoo import Command
from odoo.osv import expression
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from odoo.addons.stock_account.tests.test_anglo_saxon_valuation_reconciliation_common import (
    ValuationReconciliationTestCommon,
)


def load_migration(addon, version, script):
    """The module of a migration script (`script`, e.g. "post-migrate.py") of
    `addon` at `version`: migrations/ is no package, Odoo loads its files by
    path, and so do the tests that run them."""
    path = Path(__file__).parents[2] / addon / "migrations" / version / script
    name = f"odoo.addons.{addon}.migrations.{version}.{script[:-3]}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def open_action(env, xmlid, user):
    """Open a window action as `user` the way the web client does.

    Reads the action, loads its views and searches its first page, so any missing
    access right on the way raises AccessError. Returns the records found.
    """
    env = env(user=user)
    action = env["ir.actions.actions"]._for_xml_id(xmlid)
    model = env[action["res_model"]]
    eval_context = {"uid": user.id, "context_today": lambda: None}
    context = dict(safe_eval(action.get("context") or "{}", eval_context))
    model = model.with_context(**context)
    views = [(False, mode) for mode in action["view_mode"].split(",")]
    model.get_views([*views, (False, "search")])
    domain = safe_eval(action.get("domain") or "[]", eval_context)
    result = model.web_search_read(domain, {"display_name": {}}, limit=80)
    return model.browse([row["id"] for row in result["records"]])


def search_defaults_domain(env, xmlid):
    """The domain of a window action's default filters, combined the way the
    web client combines them: filters between two separators of the search
    view are OR-ed, the groups AND-ed."""
    action = env["ir.actions.actions"]._for_xml_id(xmlid)
    context = safe_eval(action.get("context") or "{}", {"uid": env.uid})
    wanted = {
        key.removeprefix("search_default_")
        for key, value in context.items()
        if key.startswith("search_default_") and value
    }
    arch = env[action["res_model"]].get_views([(False, "search")])["views"]
    groups, group = [], []
    for node in etree.fromstring(arch["search"]["arch"]).iter("filter", "separator"):
        if node.tag == "separator":
            groups.append(group)
            group = []
        elif node.get("name") in wanted and node.get("domain"):
            group.append(safe_eval(node.get("domain"), {"uid": env.uid}))
    groups.append(group)
    return expression.AND(
        [expression.OR(domains) for domains in groups if domains]
        + [safe_eval(action.get("domain") or "[]", {"uid": env.uid})]
    )


class CrmValueCommon(ValuationReconciliationTestCommon):
    """A company with FIFO and average-cost goods, a service, and helpers that
    run the real flows: receipts, confirmed orders, validated deliveries and
    returns, posted invoices and credit notes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The test user works in every company, as a manager of a one-company
        # database does: the shared tiers and rules are theirs to change
        # (crm.value.shared.mixin).
        cls.env.user.company_ids |= cls.env["res.company"].sudo().search([])
        cls.company = cls.env.company
        cls.company.value_handling_cost = 0.0
        cls.stock_location = cls.company_data["default_warehouse"].lot_stock_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.avg_categ = cls.stock_account_product_categ.copy(
            {"property_cost_method": "average"}
        )
        cls.fifo_product = cls._create_goods(
            "Tea (FIFO)", cls.stock_account_product_categ
        )
        cls.avg_product = cls._create_goods("Rice (average cost)", cls.avg_categ)
        cls.service = cls.env["product.product"].create(
            {
                "name": "Installation",
                "type": "service",
                "list_price": 100.0,
                "standard_price": 30.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.engine = cls.env["crm.value.engine"]
        cls.scoring = cls.env["crm.value.scoring"]
        cls.ranking = cls.env["crm.value.ranking"]

    @classmethod
    def _create_goods(cls, name, categ):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "categ_id": categ.id,
                "list_price": 20.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, **values}
        )

    def _receive(self, product, quantity, unit_cost):
        move = self.env["stock.move"].create(
            {
                "name": f"receive {quantity} @ {unit_cost}",
                "product_id": product.id,
                "location_id": self.supplier_location.id,
                "location_dest_id": self.stock_location.id,
                "product_uom": product.uom_id.id,
                "product_uom_qty": quantity,
                "price_unit": unit_cost,
            }
        )
        move._action_confirm()
        move.write({"quantity": quantity, "picked": True})
        move._action_done()
        return move

    def _sell(self, customer, lines, **values):
        """Confirmed order; lines are (product, quantity, unit price[, discount])."""
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": price,
                            "discount": discount[0] if discount else 0.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                    for product, quantity, price, *discount in lines
                ],
                **values,
            }
        )
        order.action_confirm()
        return order

    def _deliver(self, order):
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        picking.action_assign()
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _return(self, picking, quantity):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        for move in returned.move_ids:
            move.write({"quantity": quantity, "picked": True})
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def _invoice(self, order, date=None):
        invoice = order._create_invoices()
        if date:
            invoice.invoice_date = date
        invoice.action_post()
        return invoice

    def _order_on(self, customer, date, amount):
        """A service order confirmed and invoiced on `date` (cost 30%)."""
        order = self._sell(customer, [(self.service, 1, amount)])
        order.date_order = date
        self._invoice(order, date)
        return order

    def _refund(self, invoice, quantity):
        """Post a credit note for `quantity` units of the invoice's first line."""
        reversal = invoice._reverse_moves()
        reversal.invoice_line_ids[1:].unlink()
        reversal.invoice_line_ids.quantity = quantity
        reversal.action_post()
        return reversal

    def _direct_invoice(self, customer, amount, company=None, currency=None, **values):
        """A posted invoice of the service without a sales order."""
        company = company or self.company
        invoice = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.service.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                    **values,
                }
            )
        )
        invoice.action_post()
        return invoice

    def _recompute(self, *customers, company=None):
        company = company or self.company
        self.engine._recompute_partners(company, [c.id for c in customers])
        self.scoring._refresh_company(company)

    def _snapshot(self, customer, company=None):
        return self.env["crm.value.snapshot"].search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", (company or self.company).id),
                ("is_current", "=", True),
            ]
        )

    def assertFigures(self, customer, company=None, **expected):
        snapshot = self._snapshot(customer, company)
        self.assertTrue(snapshot, f"no current snapshot for {customer.name}")
        for name, value in expected.items():
            self.assertAlmostEqual(snapshot[name], value, places=2, msg=name)
