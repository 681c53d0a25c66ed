from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.crm_care_complaint import SATISFIED_CSAT
from ..models.crm_care_complaint_stage import DONE_STATES


class CrmCareComplaintArticleReport(models.Model):
    """Complaints answered with a knowledge base article against those
    answered without: one row per resolved or closed complaint, its
    resolution time and the satisfaction the customer gave afterwards."""

    _name = "crm.care.complaint.article.report"
    _description = "Complaints With and Without an Article"
    _auto = False
    _order = "date_resolved desc"

    category_id = fields.Many2one("crm.care.complaint.category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Representative", readonly=True)
    date_resolved = fields.Datetime(string="Resolved", readonly=True)
    with_article = fields.Boolean(
        string="Answered with an Article",
        readonly=True,
        help="An article of the knowledge base was used in a reply.",
    )
    article_count = fields.Integer(string="Articles Used", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    resolution_days = fields.Float(
        string="Resolution Time (days)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
    )
    csat_score = fields.Float(
        string="Satisfaction After",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="The CSAT (1-5) given after the complaint was closed; complaints "
        "without an answer are left out of the average.",
    )
    satisfied_rate = fields.Float(
        string="Resolved to Satisfaction (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="The share of answered surveys with a CSAT of 4 or 5.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(view)s AS (
                SELECT c.id, c.category_id, c.company_id, c.user_id, c.date_resolved,
                       u.article_count > 0 AS with_article, u.article_count,
                       1 AS complaint_count,
                       c.resolution_days,
                       NULLIF(c.csat_score, 0)::float AS csat_score,
                       CASE WHEN COALESCE(c.csat_score, 0) = 0 THEN NULL
                            WHEN c.csat_score >= %(satisfied)s THEN 100.0
                            ELSE 0.0 END AS satisfied_rate
                  FROM crm_care_complaint c
                 CROSS JOIN LATERAL (
                       SELECT COUNT(*)::int AS article_count
                         FROM crm_care_complaint_article_rel r
                        WHERE r.complaint_id = c.id
                       ) u
                 WHERE c.state IN %(states)s
            )
            """,
                view=SQL.identifier(self._table),
                satisfied=SATISFIED_CSAT,
                states=DONE_STATES,
            )
        )
