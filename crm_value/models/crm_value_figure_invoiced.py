from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source

AMOUNT = {"aggregator": "sum"}


@figure_source
class CrmValueFigureInvoiced(models.AbstractModel):
    """Revenue, discounts and the cost of invoiced goods without stock
    valuation, from posted customer invoices and credit notes."""

    _name = "crm.value.figure.invoiced"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Invoiced"
    _figure_sequence = 10
    _figures = (
        Figure(
            "revenue",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot=AMOUNT,
            partner={
                "string": "Revenue",
                "help": "Posted customer invoices minus credit notes, untaxed, "
                "product lines, in company currency, over the analysis window.",
            },
        ),
        Figure(
            "lifetime_revenue",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot=AMOUNT,
            partner={"string": "Revenue (all time)"},
        ),
        Figure(
            "discount",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot=AMOUNT,
            partner={
                "string": "Discounts Granted",
                "help": "List price times quantity minus the invoiced amount, on "
                "discounted lines.",
            },
        ),
        Figure(
            "lifetime_discount",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot=AMOUNT,
            partner={"string": "Discounts Granted (all time)"},
        ),
        Figure(
            "cogs",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot={"string": "Cost of Goods", "aggregator": "sum"},
            partner={
                "string": "Cost of Goods",
                "help": "Stock valuation of the goods delivered and invoiced, less "
                "returns; for products without stock valuation, the order line "
                "cost times the invoiced quantity.",
            },
        ),
        Figure(
            "lifetime_cogs",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot={"string": "Lifetime Cost of Goods", "aggregator": "sum"},
            partner={"string": "Cost of Goods (all time)"},
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """Revenue (crm.value.engine._get_revenue_query, the one definition:
        posted customer invoices and credit notes, product lines, untaxed,
        company currency through the balance), the discounts on it, and the
        cost of invoiced lines whose product has no stock valuation (services,
        consumables): the sales order line cost times the invoiced quantity.
        Goods with stock valuation add their cost in crm.value.figure.delivered.cost."""
        company = self.env["res.company"].browse(scope["company"])
        lines = self.env["crm.value.engine"]._get_revenue_query(
            company,
            scope["partner_array"],
            SQL(
                "l.id AS line_id, l.product_id, l.quantity, l.discount, "
                "l.price_unit, m.move_type, m.invoice_currency_rate"
            ),
        )
        return self._fetch_by_partner(
            SQL(
                """
            SELECT r.partner_id,
                   SUM(r.revenue) FILTER (WHERE r.invoice_date >= %(date_from)s) AS revenue,
                   SUM(r.revenue) AS lifetime_revenue,
                   SUM(d.amount) FILTER (WHERE r.invoice_date >= %(date_from)s) AS discount,
                   SUM(d.amount) AS lifetime_discount,
                   SUM(k.sign * r.quantity * c.price / k.rate)
                       FILTER (WHERE r.invoice_date >= %(date_from)s) AS cogs,
                   SUM(k.sign * r.quantity * c.price / k.rate) AS lifetime_cogs
              FROM (%(lines)s) r
              LEFT JOIN product_product pp ON pp.id = r.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN r.move_type = 'out_refund' THEN -1 ELSE 1 END AS sign,
                          COALESCE(NULLIF(r.invoice_currency_rate, 0), 1) AS rate
                   ) k
             CROSS JOIN LATERAL (
                   SELECT CASE
                          WHEN r.discount >= 100 THEN k.sign * r.price_unit * r.quantity / k.rate
                          WHEN r.discount > 0 THEN r.revenue * r.discount / (100 - r.discount)
                          ELSE 0 END AS amount
                   ) d
              LEFT JOIN LATERAL (
                   SELECT AVG(sol.purchase_price) AS price
                     FROM sale_order_line_invoice_rel rel
                     JOIN sale_order_line sol ON sol.id = rel.order_line_id
                    WHERE rel.invoice_line_id = r.line_id
                      -- inside, not in ON: else it runs for every line
                      AND pp.id IS NOT NULL AND NOT COALESCE(pt.is_storable, FALSE)
                   ) c ON TRUE
             GROUP BY r.partner_id
            """,
                lines=lines,
                **scope,
            )
        )
