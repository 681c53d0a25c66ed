from odoo import fields, models, tools
from odoo.tools import SQL


class CrmCareArticleUsageReport(models.Model):
    """Knowledge base articles used: one row per article put into a reply to
    a complaint (recorded by Use this article), with the complaint's
    category, company and day received."""

    _name = "crm.care.article.usage.report"
    _description = "Knowledge Articles Used"
    _auto = False
    _rec_name = "article_id"
    _order = "date desc"

    article_id = fields.Many2one("crm.care.article", readonly=True)
    category_id = fields.Many2one(
        "crm.care.complaint.category", string="Complaint Category", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    visibility = fields.Selection(
        [("internal", "Internal Only"), ("published", "Published to Customers")],
        readonly=True,
    )
    date = fields.Datetime(string="Complaint Received", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT ROW_NUMBER() OVER (ORDER BY r.complaint_id, r.article_id) AS id,
                       r.article_id, c.category_id, c.company_id, a.visibility,
                       c.date_received AS date
                  FROM crm_care_complaint_article_rel r
                  JOIN crm_care_complaint c ON c.id = r.complaint_id
                  JOIN crm_care_article a ON a.id = r.article_id
            )
            """,
                SQL.identifier(self._table),
            )
        )
