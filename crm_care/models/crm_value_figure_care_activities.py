from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.figures import Figure, figure_source


@figure_source
class CrmValueFigureCareActivities(models.AbstractModel):
    """How well the customer is looked after: the activities done with them
    (touches, mail.activity._get_care_touches_query, the coverage report's
    definition), and the share done on time of those done or left past their
    deadline, over the analysis window."""

    _name = "crm.value.figure.care.activities"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Care Activities"
    _figure_sequence = 80
    _figures = (
        Figure(
            "care_coverage",
            fields.Float,
            default=None,
            snapshot={
                "string": "Care Coverage (%)",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "Activities done on time with the customer over the "
                "analysis window, in percent of those done plus those still open "
                "past their deadline; empty without either.",
            },
            partner={
                "string": "Care Coverage (%)",
                "aggregator": "avg",
                "digits": (16, 1),
                "help": "Activities done by their deadline with the customer or "
                "its contacts over the analysis window, in percent of all those "
                "done plus those still open whose deadline fell in the window "
                "and passed: 100 when nothing was done late or left waiting. "
                "Empty without either.",
            },
        ),
        Figure(
            "care_touch_count",
            fields.Integer,
            default=0,
            snapshot={"string": "Touch Points", "aggregator": "sum"},
            partner={
                "string": "Touch Points",
                "help": "Activities of any type done with the customer or its "
                "contacts over the analysis window, by anyone (the dedicated "
                "representative or a colleague).",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """Touches (activities done) in the window, and the share of them done
        on time in the touches plus the activities still open whose deadline
        is in the window and before today."""
        Activity = self.env["mail.activity"]
        Activity.flush_model(["res_model", "res_id", "date_deadline", "active"])
        self.env["mail.message"].flush_model(
            ["model", "res_id", "mail_activity_type_id", "date", "care_done_late"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return self._fetch_by_partner(
            SQL(
                """
            WITH touches AS (
                SELECT partner_id, COUNT(*) AS done,
                       COUNT(*) FILTER (WHERE t.on_time) AS on_time
                  FROM (%(touches)s) t
                 WHERE t.done_at >= %(date_from)s
                 GROUP BY 1
            ), overdue AS (
                SELECT partner_id, COUNT(*) AS late
                  FROM (%(due)s) d
                 WHERE d.date_deadline >= %(date_from)s AND d.date_deadline < %(today)s
                 GROUP BY 1
            )
            SELECT COALESCE(t.partner_id, o.partner_id) AS partner_id,
                   COALESCE(t.done, 0) AS care_touch_count,
                   100.0 * COALESCE(t.on_time, 0)
                       / (COALESCE(t.done, 0) + COALESCE(o.late, 0)) AS care_coverage
              FROM touches t
              FULL JOIN overdue o ON o.partner_id = t.partner_id
            """,
                touches=Activity._get_care_touches_query(scope["partner_array"]),
                due=Activity._get_care_due_query(scope["partner_array"]),
                **scope,
            )
        )
