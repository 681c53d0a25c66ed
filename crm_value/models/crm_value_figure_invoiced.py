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
        """Revenue and discounts from posted customer invoices and credit notes
        (product lines, untaxed, company currency through the balance), and the
        cost of invoiced lines whose product has no stock valuation (services,
        consumables): the sales order line cost times the invoiced quantity.
        Goods with stock valuation add their cost in crm.value.figure.delivered.cost."""
        return self._fetch_by_partner(
            SQL(
                """
            SELECT m.commercial_partner_id AS partner_id,
                   SUM(-l.balance) FILTER (WHERE m.invoice_date >= %(date_from)s) AS revenue,
                   SUM(-l.balance) AS lifetime_revenue,
                   SUM(d.amount) FILTER (WHERE m.invoice_date >= %(date_from)s) AS discount,
                   SUM(d.amount) AS lifetime_discount,
                   SUM(k.sign * l.quantity * c.price / k.rate)
                       FILTER (WHERE m.invoice_date >= %(date_from)s) AS cogs,
                   SUM(k.sign * l.quantity * c.price / k.rate) AS lifetime_cogs
              FROM account_move_line l
              JOIN account_move m ON m.id = l.move_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END AS sign,
                          COALESCE(NULLIF(m.invoice_currency_rate, 0), 1) AS rate
                   ) k
             CROSS JOIN LATERAL (
                   SELECT CASE
                          WHEN l.discount >= 100 THEN k.sign * l.price_unit * l.quantity / k.rate
                          WHEN l.discount > 0 THEN -l.balance * l.discount / (100 - l.discount)
                          ELSE 0 END AS amount
                   ) d
              LEFT JOIN LATERAL (
                   SELECT AVG(sol.purchase_price) AS price
                     FROM sale_order_line_invoice_rel r
                     JOIN sale_order_line sol ON sol.id = r.order_line_id
                    WHERE r.invoice_line_id = l.id
                      -- inside, not in ON: else it runs for every line
                      AND pp.id IS NOT NULL AND NOT COALESCE(pt.is_storable, FALSE)
                   ) c ON TRUE
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND l.display_type = 'product'
               AND m.commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY m.commercial_partner_id
            """,
                **scope,
            )
        )
