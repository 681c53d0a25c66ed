from odoo import api, models
from odoo.tools import SQL


class CrmValueFigureComplaintCost(models.AbstractModel):
    """Complaints cost to serve: each one's cost (not cancelled ones), on the
    day it was received, added to the cost to serve the core declares."""

    _name = "crm.value.figure.complaint.cost"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Complaint Cost"
    _figure_sequence = 55

    @api.model
    def _get_figures(self, scope):
        self.env["crm.care.complaint"].flush_model(
            ["partner_id", "company_id", "cost", "state", "date_received"]
        )
        return self._fetch_by_partner(
            SQL(
                """
            SELECT partner_id,
                   COALESCE(SUM(cost) FILTER (WHERE date_received >= %(date_from)s), 0)
                       AS cost_to_serve,
                   SUM(cost) AS lifetime_cost_to_serve
              FROM crm_care_complaint
             WHERE company_id = %(company)s AND partner_id = ANY(%(partner_array)s::int[])
               AND state <> 'cancelled' AND cost <> 0
             GROUP BY partner_id
            """,
                **scope,
            )
        )
