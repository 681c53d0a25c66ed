from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source

COUNT = {"aggregator": "sum"}


@figure_source
class CrmValueFigurePurchases(models.AbstractModel):
    """Purchases (crm.value.engine._get_purchases_query, the one definition
    of "bought"): counts, first and last sale, what is still to invoice, and
    the company's handling cost per order, counted once the order is
    invoiced and held until then."""

    _name = "crm.value.figure.purchases"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Purchases"
    _figure_sequence = 30
    # Adds the handling cost to cost_to_serve and lifetime_cost_to_serve
    # (crm.value.figure.cost.to.serve) and to pending_cost.
    _figures = (
        Figure(
            "order_count",
            fields.Integer,
            default=0,
            snapshot={"string": "Orders", "aggregator": "sum"},
            partner={
                "string": "Orders (window)",
                "help": "Purchases over the analysis window: confirmed sales "
                "orders, and posted invoices with no sales order.",
            },
        ),
        Figure(
            "lifetime_order_count",
            fields.Integer,
            default=0,
            snapshot={"string": "Lifetime Orders", "aggregator": "sum"},
            partner={"string": "Orders (all time)"},
        ),
        Figure(
            "first_sale_date",
            fields.Date,
            merge="min",
            default=None,
            snapshot={},
            partner={"string": "First Sale"},
        ),
        Figure(
            "last_sale_date",
            fields.Date,
            merge="max",
            default=None,
            snapshot={},
            partner={"string": "Last Sale"},
        ),
        Figure(
            "to_invoice",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot={
                "aggregator": "sum",
                "help": "Confirmed orders' amount still to invoice, untaxed, in "
                "company currency (the orders' own amount to invoice).",
            },
            partner={
                "string": "To Invoice",
                "help": "Confirmed orders' amount still to invoice, untaxed, in "
                "company currency: business not in the profit yet.",
            },
        ),
        Figure(
            "lifetime_invoiced_count",
            fields.Integer,
            default=0,
            snapshot={
                "string": "Invoiced Purchases (all time)",
                "aggregator": "sum",
                "help": "Purchases whose profit counts: invoices without an "
                "order, and orders with a posted invoice.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """Purchases: count in the window and ever, first and last; how many
        are invoiced (an invoice, or an order with a posted invoice); the
        confirmed orders' amount still to invoice (Odoo's untaxed amount to
        invoice of their lines, in company currency). The handling cost of
        the orders invoiced counts on the date of their first invoice; that
        of the orders not invoiced yet is held."""
        company = self.env["res.company"].browse(scope["company"])
        rows = self._fetch_by_partner(
            SQL(
                """
            WITH purchases AS (%(purchases)s),
            invoiced AS (
                SELECT b.order_id, MIN(m.invoice_date) AS invoiced_on
                  FROM purchases b
                  JOIN sale_order_line sol ON sol.order_id = b.order_id
                  JOIN sale_order_line_invoice_rel r ON r.order_line_id = sol.id
                  JOIN account_move_line l ON l.id = r.invoice_line_id
                  JOIN account_move m ON m.id = l.move_id
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
                 GROUP BY 1
            ), to_invoice AS (
                SELECT b.order_id,
                       SUM(sol.untaxed_amount_to_invoice
                           / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS to_invoice
                  FROM purchases b
                  JOIN sale_order so ON so.id = b.order_id
                  JOIN sale_order_line sol ON sol.order_id = so.id
                 WHERE sol.untaxed_amount_to_invoice <> 0
                 GROUP BY 1
            )
            SELECT b.partner_id,
                   COUNT(*) FILTER (WHERE b.purchased_at >= %(date_from)s) AS order_count,
                   COUNT(*) AS lifetime_order_count,
                   COUNT(*) FILTER (WHERE b.order_id IS NULL OR i.invoiced_on IS NOT NULL)
                       AS lifetime_invoiced_count,
                   COUNT(*) FILTER (WHERE i.invoiced_on >= %(date_from)s)
                       AS invoiced_order_count,
                   COUNT(i.invoiced_on) AS lifetime_invoiced_order_count,
                   COUNT(*) FILTER (WHERE b.order_id IS NOT NULL AND i.invoiced_on IS NULL)
                       AS pending_order_count,
                   MIN(b.purchased_at)::date AS first_sale_date,
                   MAX(b.purchased_at)::date AS last_sale_date,
                   SUM(t.to_invoice) AS to_invoice
              FROM purchases b
              LEFT JOIN invoiced i ON i.order_id = b.order_id
              LEFT JOIN to_invoice t ON t.order_id = b.order_id
             GROUP BY 1
            """,
                purchases=self.env["crm.value.engine"]._get_purchases_query(
                    company, scope["partner_array"]
                ),
                **scope,
            )
        )
        handling = company.value_handling_cost
        for values in rows.values():
            invoiced = values.pop("invoiced_order_count")
            lifetime_invoiced = values.pop("lifetime_invoiced_order_count")
            pending = values.pop("pending_order_count")
            values["cost_to_serve"] = handling * invoiced
            values["lifetime_cost_to_serve"] = handling * lifetime_invoiced
            values["pending_cost"] = handling * pending
        return rows
