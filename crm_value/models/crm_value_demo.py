from datetime import timedelta

from odoo import Command, api, models


class CrmValueDemo(models.AbstractModel):
    """The demo flows XML cannot express: receipts at changing costs, orders
    confirmed and delivered, a return, invoices, a credit note, a foreign-currency
    invoice and payments (some late), then a first recompute."""

    _name = "crm.value.demo"
    _description = "Customer Value Demo Flows"

    # (customer, [(product, quantity, unit price, discount)], days ago, paid after days)
    # paid after None: still open (late when past due).
    DEMO_ORDERS = [
        (
            "demo_customer_jade",
            [
                ("demo_product_oolong", 60, 80.0, 0.0),
                ("demo_product_training", 2, 600.0, 0.0),
            ],
            200,
            20,
        ),
        ("demo_customer_jade", [("demo_product_training", 1, 600.0, 0.0)], 150, 15),
        ("demo_customer_jade", [("demo_product_training", 1, 600.0, 0.0)], 120, 18),
        ("demo_customer_jade", [("demo_product_oolong", 40, 80.0, 0.0)], 90, 25),
        ("demo_customer_jade", [("demo_product_training", 1, 600.0, 0.0)], 60, 12),
        ("demo_customer_jade", [("demo_product_rice", 50, 45.0, 0.0)], 30, 15),
        ("demo_customer_jade", [("demo_product_training", 1, 600.0, 0.0)], 8, None),
        ("demo_customer_westlake", [("demo_product_oolong", 30, 80.0, 5.0)], 150, 30),
        ("demo_customer_westlake", [("demo_product_training", 1, 600.0, 0.0)], 100, 35),
        ("demo_customer_westlake", [("demo_product_rice", 40, 45.0, 0.0)], 45, None),
        ("demo_customer_pearl", [("demo_product_rice", 60, 45.0, 0.0)], 120, 40),
        ("demo_customer_pearl", [("demo_product_rice", 20, 45.0, 0.0)], 20, None),
        # A regular who went quiet: three orders, then nothing for eight months.
        ("demo_customer_panda", [("demo_product_oolong", 5, 80.0, 0.0)], 330, 10),
        ("demo_customer_panda", [("demo_product_oolong", 5, 80.0, 0.0)], 300, 10),
        ("demo_customer_panda", [("demo_product_oolong", 5, 80.0, 0.0)], 270, 10),
        ("demo_customer_panda", [("demo_product_oolong", 8, 80.0, 0.0)], 240, 10),
        ("demo_customer_garden", [("demo_product_rice", 10, 45.0, 0.0)], 60, 75),
        ("demo_customer_garden", [("demo_product_training", 1, 600.0, 0.0)], 15, None),
        ("demo_customer_bargain", [("demo_product_oolong", 20, 80.0, 50.0)], 80, None),
    ]

    @api.model
    def _run_demo_flows(self):
        ref = self.env.ref
        company = self.env.company
        today = company._get_value_today()
        self._receive(ref("crm_value.demo_product_oolong"), [(100, 38.0), (100, 44.0)])
        self._receive(ref("crm_value.demo_product_rice"), [(120, 28.0), (100, 32.0)])
        invoices = {}
        for key, lines, days_ago, paid_after in self.DEMO_ORDERS:
            date = today - timedelta(days=days_ago)
            order = self.env["sale.order"].create(
                {
                    "partner_id": ref(f"crm_value.{key}").id,
                    "date_order": date,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": ref(f"crm_value.{product}").id,
                                "product_uom_qty": quantity,
                                "price_unit": price,
                                "discount": discount,
                            }
                        )
                        for product, quantity, price, discount in lines
                    ],
                }
            )
            order.action_confirm()
            order.date_order = date
            for picking in order.picking_ids:
                for move in picking.move_ids:
                    move.write({"quantity": move.product_uom_qty, "picked": True})
                picking.with_context(skip_backorder=True).button_validate()
            invoice = order._create_invoices()
            invoice.write(
                {
                    "invoice_date": date,
                    "invoice_payment_term_id": ref(
                        "account.account_payment_term_30days"
                    ).id,
                }
            )
            invoice.action_post()
            if paid_after is not None:
                self._pay(invoice, date + timedelta(days=paid_after))
            invoices.setdefault(key, invoice)
        self._return_and_refund(invoices["demo_customer_bargain"])
        self._foreign_invoice(
            ref("crm_value.demo_customer_teehaus"), today - timedelta(days=50)
        )
        ref("crm_value.demo_customer_bargain").activity_schedule(
            "mail.mail_activity_data_call", summary="Complaint about late delivery"
        ).action_done()
        customers = self.env["res.partner"].search([("customer_rank", ">", 0)])
        engine = self.env["crm.value.engine"]
        engine._recompute_partners(company, customers.commercial_partner_id.ids)
        engine._refresh_company(company)

    def _receive(self, product, receipts):
        stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.env.company.id)], limit=1)
            .lot_stock_id
        )
        for quantity, cost in receipts:
            move = self.env["stock.move"].create(
                {
                    "name": product.name,
                    "product_id": product.id,
                    "location_id": self.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": stock.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": quantity,
                    "price_unit": cost,
                }
            )
            move._action_confirm()
            move.write({"quantity": quantity, "picked": True})
            move._action_done()

    def _pay(self, invoice, date):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": date})._create_payments()

    def _return_and_refund(self, invoice):
        """A partial return of the first delivery, credited."""
        order = invoice.line_ids.sale_line_ids.order_id
        delivery = order.picking_ids.filtered(lambda p: p.state == "done")[:1]
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_id=delivery.id,
                active_ids=delivery.ids,
                active_model="stock.picking",
            )
            .create({"picking_id": delivery.id})
        )
        wizard.product_return_moves.quantity = 5
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        for move in returned.move_ids:
            move.write({"quantity": 5, "picked": True})
        returned.button_validate()
        refund = invoice._reverse_moves()
        refund.invoice_line_ids.quantity = 5
        refund.action_post()

    def _foreign_invoice(self, customer, date):
        euro = self.env.ref("base.EUR")
        euro.active = True
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "currency_id": euro.id,
                "invoice_date": date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.env.ref(
                                "crm_value.demo_product_training"
                            ).id,
                            "quantity": 3,
                            "price_unit": 650.0,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self._pay(invoice, date + timedelta(days=12))
