from odoo import fields, models, tools
from odoo.tools import SQL


class CrmCareCoverageReport(models.Model):
    """Care coverage: for each ranked customer, whether someone completed an
    activity with them in the last 90 days (a touch,
    mail.activity._get_care_touches_query). Averaged, the share touched."""

    _name = "crm.care.coverage.report"
    _description = "Customer Care Coverage"
    _auto = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    tier_id = fields.Many2one("crm.value.tier", readonly=True)
    user_id = fields.Many2one("res.users", string="Representative", readonly=True)
    touched = fields.Boolean(string="Touched in 90 Days", readonly=True)
    coverage = fields.Float(
        string="Coverage (%)",
        aggregator="avg",
        readonly=True,
        help="Share of customers with an activity completed in the last 90 days.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT s.id, s.partner_id, s.company_id, s.tier_id,
                       p.care_user_id AS user_id, t.touched,
                       CASE WHEN t.touched THEN 100.0 ELSE 0.0 END AS coverage
                  FROM crm_value_snapshot s
                  JOIN res_partner p ON p.id = s.partner_id
                 CROSS JOIN LATERAL (
                       SELECT EXISTS (
                           SELECT 1 FROM (%s) touch
                            WHERE touch.partner_id = s.partner_id
                              AND touch.done_at
                                  >= (now() at time zone 'UTC') - interval '90 days'
                       ) AS touched
                       ) t
                 WHERE s.is_current AND s.tier_id IS NOT NULL
            )
            """,
                SQL.identifier(self._table),
                self.env["mail.activity"]._get_care_touches_query(),
            )
        )
