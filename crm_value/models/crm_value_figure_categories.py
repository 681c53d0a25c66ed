from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source


@figure_source
class CrmValueFigureCategories(models.AbstractModel):
    """The breadth of what the customer relies on us for: the functional
    axis of the value vector, read by the scoring from the snapshot."""

    _name = "crm.value.figure.categories"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Categories Bought"
    _figure_sequence = 60
    _figures = (
        Figure(
            "categories_bought",
            fields.Integer,
            default=0,
            snapshot={
                "aggregator": "avg",
                "help": "Product categories the customer was ever invoiced for.",
            },
        ),
        Figure(
            "categories_new",
            fields.Integer,
            default=0,
            snapshot={
                "string": "New Categories",
                "aggregator": "avg",
                "help": "Product categories first invoiced to the customer "
                "within the analysis window (the last 12 months, by default).",
            },
            partner={
                "string": "New Categories Adopted",
                "help": "Product categories first invoiced to the customer "
                "within the analysis window (the last 12 months, by default).",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """Number of product categories ever invoiced to each customer, and of
        those first invoiced within the analysis window."""
        return self._fetch_by_partner(
            SQL(
                """
            SELECT partner_id, COUNT(*) AS categories_bought,
                   COUNT(*) FILTER (WHERE first_invoiced >= %(date_from)s)
                       AS categories_new
              FROM (
                -- one row per customer and category first: hashed, where
                -- COUNT(DISTINCT) sorts
                SELECT m.commercial_partner_id AS partner_id, pt.categ_id,
                       MIN(m.invoice_date) AS first_invoiced
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type = 'out_invoice' AND l.display_type = 'product'
                   AND m.commercial_partner_id = ANY(%(partner_array)s::int[])
                 GROUP BY 1, 2
            ) bought
             GROUP BY 1
            """,
                **scope,
            )
        )
