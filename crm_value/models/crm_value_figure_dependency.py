from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source
from ..sql_arrays import array_literal

DAYS_A_YEAR = 365.25


@figure_source
class CrmValueFigureDependency(models.AbstractModel):
    """The dependency degree (客户依赖程度): the share of the customer's volume
    that goes through us, in percent.

    Our books know only our side: what we delivered and invoiced to them.
    Their whole volume (what they spend with every supplier) is not in our
    ERP, so it is an estimate on the customer (value_logistics_volume, a
    year's worth). From deliveries, the degree is our revenue from them
    over the analysis window, brought to a year, against that estimate (at
    most 100); a customer whose volume is not estimated has no degree. A
    manual estimate (value_dependency_source = manual) is taken as is."""

    _name = "crm.value.figure.dependency"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Dependency Degree"
    _figure_sequence = 90
    _figures = (
        Figure(
            "dependency_degree",
            fields.Float,
            default=None,
            # Our revenue from them over their volume: with the volume (an
            # estimate anyone may enter) it tells the revenue, an amount.
            managers_only=True,
            snapshot={
                "string": "Dependency Degree (%)",
                "aggregator": "avg",
                "digits": (16, 1),
            },
            partner={
                "string": "Dependency Degree (%)",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "The share of the customer's volume going through us: "
                "our invoiced deliveries over the analysis window, per year, "
                "against their estimated yearly volume, or a manual estimate.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        self.env["res.partner"].flush_model(
            [
                "value_dependency_source",
                "value_logistics_volume",
                "value_dependency_manual",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT id, value_dependency_source, value_logistics_volume,
                   value_dependency_manual
              FROM res_partner
             WHERE id = ANY(%(partner_array)s::int[])
               AND (value_dependency_source = 'manual' OR value_logistics_volume > 0)
            """,
                **scope,
            )
        )
        inputs = self.env.cr.fetchall()
        figures = {
            pid: {"dependency_degree": float(manual or 0.0)}
            for pid, source, _volume, manual in inputs
            if source == "manual"
        }
        volumes = {
            pid: float(volume)
            for pid, source, volume, _manual in inputs
            if source != "manual"
        }
        if not volumes:
            return figures
        engine = self.env["crm.value.engine"]
        company = self.env["res.company"].browse(scope["company"])
        days = max((scope["today"] - scope["date_from"]).days + 1, 1)
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, SUM(revenue) FROM (%(revenue)s) lines
             WHERE invoice_date >= %(date_from)s AND invoice_date <= %(today)s
             GROUP BY 1
            """,
                revenue=engine._get_revenue_query(
                    company, array_literal(list(volumes))
                ),
                date_from=scope["date_from"],
                today=scope["today"],
            )
        )
        revenue = dict(self.env.cr.fetchall())
        for pid, volume in volumes.items():
            yearly = float(revenue.get(pid) or 0.0) * DAYS_A_YEAR / days
            figures[pid] = {"dependency_degree": min(100.0, 100.0 * yearly / volume)}
        return figures
