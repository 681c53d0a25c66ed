from odoo import fields, models, tools
from odoo.tools import SQL


class CrmLifecycleFunnelReport(models.Model):
    """The lifecycle funnel from the stage history: per company and funnel
    stage (reserve to loyal, in stage order), the customers who ever reached
    it or a later funnel stage, and the share of those who reached the stage
    before it. At-risk and lost stages are no step of the funnel."""

    _name = "crm.lifecycle.funnel.report"
    _description = "Lifecycle Funnel"
    _auto = False
    _order = "sequence, stage_id"
    _rec_name = "stage_id"

    company_id = fields.Many2one("res.company", readonly=True)
    stage_id = fields.Many2one("crm.lifecycle.stage", readonly=True)
    sequence = fields.Integer(readonly=True, aggregator=None)
    reached_count = fields.Integer(
        string="Customers Reached",
        readonly=True,
        aggregator="sum",
        help="Customers who ever entered this stage or a later stage of the funnel.",
    )
    previous_count = fields.Integer(
        string="Reached the Stage Before",
        readonly=True,
        aggregator="sum",
        help="Customers who ever reached the funnel stage before this one.",
    )
    conversion_rate = fields.Float(
        string="Conversion from Stage Before (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Customers reached / customers who reached the stage before, in %.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                WITH funnel AS (
                    SELECT id, sequence, is_customer FROM crm_lifecycle_stage
                     WHERE active AND NOT COALESCE(is_at_risk, FALSE)
                       AND NOT COALESCE(is_lost, FALSE)
                ),
                furthest AS (
                    -- The furthest funnel stage each customer ever entered; a
                    -- customer at risk or lost was a customer first: they
                    -- reached the first customer stage at least.
                    SELECT h.company_id, h.partner_id,
                           MAX(CASE WHEN f.id IS NOT NULL THEN f.sequence
                                    WHEN s.is_customer OR s.is_lost THEN (
                                        SELECT MIN(sequence) FROM funnel
                                         WHERE is_customer)
                               END) AS reached
                      FROM crm_lifecycle_history h
                      JOIN crm_lifecycle_stage s ON s.id = h.stage_to_id
                      LEFT JOIN funnel f ON f.id = s.id
                     GROUP BY h.company_id, h.partner_id
                ),
                steps AS (
                    SELECT c.company_id, f.id AS stage_id, f.sequence,
                           COUNT(r.partner_id) AS reached_count
                      FROM (SELECT DISTINCT company_id FROM furthest) c
                     CROSS JOIN funnel f
                      LEFT JOIN furthest r
                        ON r.company_id = c.company_id AND r.reached >= f.sequence
                     GROUP BY c.company_id, f.id, f.sequence
                )
                SELECT row_number() OVER (ORDER BY company_id, sequence, stage_id) AS id,
                       company_id, stage_id, sequence, reached_count,
                       LAG(reached_count) OVER w AS previous_count,
                       CASE WHEN LAG(reached_count) OVER w > 0
                            THEN 100.0 * reached_count / LAG(reached_count) OVER w
                       END AS conversion_rate
                  FROM steps
                WINDOW w AS (PARTITION BY company_id ORDER BY sequence, stage_id)
            )
            """,
                SQL.identifier(self._table),
            )
        )
