from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source


@figure_source
class CrmValueFigureRevenueGrowth(models.AbstractModel):
    """Revenue of the period before the analysis window, and the growth of
    the window's revenue over it: year on year with the usual 12-month
    window (a market indicator of the scorecard)."""

    _name = "crm.value.figure.revenue.growth"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Revenue Growth"
    _figure_sequence = 15
    _figures = (
        Figure(
            "revenue_previous",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot={"string": "Revenue, Previous Period", "aggregator": "sum"},
            partner={
                "string": "Revenue, Previous Period",
                "help": "Revenue of as many months as the analysis window, just "
                "before it (the 12 months before the last 12, by default).",
            },
        ),
        Figure(
            "revenue_growth",
            fields.Float,
            managers_only=True,
            default=None,
            snapshot={"string": "Revenue Growth (%)", "aggregator": None},
            partner={
                "aggregator": None,
                "string": "Revenue Growth (%)",
                "digits": (16, 1),
                "help": "Revenue over the analysis window against the period "
                "before it: 100 x (revenue - previous) / previous; empty "
                "without revenue in the previous period.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """Revenue (crm.value.engine._get_revenue_query) invoiced in the
        window's length of months before the window."""
        company = self.env["res.company"].browse(scope["company"])
        lines = self.env["crm.value.engine"]._get_revenue_query(
            company, scope["partner_array"]
        )
        return self._fetch_by_partner(
            SQL(
                """
            SELECT r.partner_id, SUM(r.revenue) AS revenue_previous
              FROM (%(lines)s) r
             WHERE r.invoice_date >= %(previous_from)s
               AND r.invoice_date < %(date_from)s
             GROUP BY r.partner_id
            """,
                lines=lines,
                previous_from=scope["date_from"]
                - relativedelta(months=company.value_window_months),
                date_from=scope["date_from"],
            )
        )

    @api.model
    def _derive_figures(self, figures):
        for figure in figures.values():
            previous = figure["revenue_previous"]
            figure["revenue_growth"] = (
                100.0 * (figure["revenue"] - previous) / previous
                if previous > 0
                else None
            )
