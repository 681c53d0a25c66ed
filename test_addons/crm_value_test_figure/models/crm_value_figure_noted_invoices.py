from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.figures import Figure, figure_source


@figure_source
class CrmValueFigureNotedInvoices(models.AbstractModel):
    """Posted customer invoices carrying a note (terms and conditions), and
    their untaxed amount: a count any employee reads, an amount for
    managers only."""

    _name = "crm.value.figure.noted.invoices"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Noted Invoices"
    _figures = (
        Figure(
            "noted_invoice_count",
            fields.Integer,
            default=0,
            snapshot={"aggregator": "sum"},
            partner={"string": "Invoices with a Note"},
        ),
        Figure(
            "noted_invoice_amount",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot={"aggregator": "sum"},
            partner={"string": "Invoiced with a Note"},
        ),
    )

    @api.model
    def _get_figures(self, scope):
        return self._fetch_by_partner(
            SQL(
                """
            SELECT commercial_partner_id AS partner_id,
                   COUNT(*) AS noted_invoice_count,
                   SUM(amount_untaxed_signed) AS noted_invoice_amount
              FROM account_move
             WHERE company_id = %(company)s AND state = 'posted'
               AND move_type = 'out_invoice'
               AND NULLIF(regexp_replace(narration, '<[^>]*>', '', 'g'), '') IS NOT NULL
               AND commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY 1
            """,
                **scope,
            )
        )
