from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.figures import Figure, figure_source

from .crm_care_complaint_stage import DONE_STATES

# Complaints of the window, counted by _get_figures for _derive_figures
# (never stored).
COMPLAINT_COUNT = "care_complaint_window_count"


@figure_source
class CrmValueFigureComplaintRate(models.AbstractModel):
    """How often the customer complains, and how often we kept our promise
    when they did, over the analysis window."""

    _name = "crm.value.figure.complaint.rate"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Complaint Rate"
    _figure_sequence = 56
    _figures = (
        Figure(
            "complaint_rate",
            fields.Float,
            default=None,
            snapshot={
                "string": "Complaints per 100 Orders",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "Complaints received over the analysis window (not "
                "cancelled) per 100 purchases of the window; empty without "
                "purchases.",
            },
            partner={
                "string": "Complaints per 100 Orders",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "Complaints received over the analysis window, cancelled "
                "ones left out, per 100 purchases of the window (confirmed sales "
                "orders, and invoices without one): lower is better. Empty "
                "without purchases.",
            },
        ),
        Figure(
            "complaint_sla_kept",
            fields.Float,
            default=None,
            snapshot={
                "string": "Complaints within SLA (%)",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "Share of the window's complaints whose SLA outcome is "
                "known that were answered and resolved within their deadlines.",
            },
            partner={
                "string": "Complaints within SLA (%)",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "Of the complaints received over the analysis window "
                "under an SLA policy and either resolved or already late, the "
                "share answered and resolved within both deadlines (the average "
                "of their SLA compliance). Open complaints still on time wait; "
                "empty without any.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """The window's complaints (not cancelled), and the average SLA
        compliance (100 kept, 0 missed) of those resolved or already late."""
        self.env["crm.care.complaint"].flush_model(
            [
                "partner_id",
                "company_id",
                "state",
                "date_received",
                "sla_policy_id",
                "sla_status",
                "sla_compliance",
            ]
        )
        return self._fetch_by_partner(
            SQL(
                """
            SELECT partner_id,
                   COUNT(*) AS %(count)s,
                   AVG(sla_compliance) FILTER (
                       WHERE sla_policy_id IS NOT NULL
                         AND (state IN %(done)s OR sla_status = 'late')
                   ) AS complaint_sla_kept
              FROM crm_care_complaint
             WHERE company_id = %(company)s AND partner_id = ANY(%(partner_array)s::int[])
               AND state <> 'cancelled' AND date_received >= %(date_from)s
             GROUP BY partner_id
            """,
                count=SQL.identifier(COMPLAINT_COUNT),
                done=DONE_STATES,
                **scope,
            )
        )

    @api.model
    def _derive_figures(self, figures):
        """Complaints per 100 purchases of the window (order_count, the one
        definition of a purchase), once the purchases are counted."""
        for values in figures.values():
            complaints = values.pop(COMPLAINT_COUNT, 0)
            orders = values.get("order_count")
            values["complaint_rate"] = 100.0 * complaints / orders if orders else None
