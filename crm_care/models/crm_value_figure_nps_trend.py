from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.figures import Figure, figure_source


@figure_source
class CrmValueFigureNpsTrend(models.AbstractModel):
    """Whether the customer recommends us more than before: their NPS over
    the analysis window against the window before it."""

    _name = "crm.value.figure.nps.trend"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: NPS Trend"
    _figure_sequence = 75
    _figures = (
        Figure(
            "nps_trend",
            fields.Float,
            default=None,
            snapshot={
                "string": "NPS Trend",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "The customer's NPS over the analysis window minus their "
                "NPS over the window of the same length before it; empty "
                "without an answer in both.",
            },
            partner={
                "string": "NPS Trend",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "The customer's Net Promoter Score (answers averaged: "
                "promoter 100, passive 0, detractor -100) over the analysis "
                "window, minus the same over the window of the same length "
                "before it: positive when they recommend us more. Empty without "
                "an NPS answer in both windows.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """The average NPS value of the completed NPS answers (not tests)
        finished in the window minus that of the window before, of as many
        days."""
        self.env["survey.user_input"].flush_model(
            [
                "care_partner_id",
                "state",
                "test_entry",
                "care_nps_class",
                "care_nps_value",
                "end_datetime",
            ]
        )
        return self._fetch_by_partner(
            SQL(
                """
            SELECT partner_id, now_nps - before_nps AS nps_trend FROM (
                SELECT care_partner_id AS partner_id,
                       AVG(care_nps_value) FILTER (WHERE end_datetime >= %(date_from)s)
                           AS now_nps,
                       AVG(care_nps_value) FILTER (WHERE end_datetime < %(date_from)s)
                           AS before_nps
                  FROM survey_user_input
                 WHERE care_partner_id = ANY(%(partner_array)s::int[])
                   AND state = 'done' AND test_entry IS NOT TRUE
                   AND care_nps_class IS NOT NULL
                   AND end_datetime >= %(date_from)s::date
                       - (%(today)s::date - %(date_from)s::date)
                 GROUP BY 1
            ) nps
             WHERE now_nps IS NOT NULL AND before_nps IS NOT NULL
            """,
                **scope,
            )
        )
