from odoo import fields, models, tools
from odoo.tools import SQL


class CrmLifecycleChurnReport(models.Model):
    """Churn and win-back by month, from the lifecycle history: the customers
    and lost customers at the start of each month, and the moves in it."""

    _name = "crm.lifecycle.churn.report"
    _description = "Churn and Win-back by Month"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    # Stock figures (how many on a day) are averaged over the months of a
    # group, never added up: a quarter does not start with three months'
    # customers.
    customer_count = fields.Integer(
        string="Customers at Start",
        readonly=True,
        aggregator="avg",
        help="Customers in a customer stage (not lost) on the first of the "
        "month; over several months, their average.",
    )
    lost_count = fields.Integer(
        string="Lost at Start",
        readonly=True,
        aggregator="avg",
        help="Customers in a lost stage on the first of the month; over several "
        "months, their average.",
    )
    churned_count = fields.Integer(
        string="Churned",
        readonly=True,
        aggregator="sum",
        help="Moves into a lost stage.",
    )
    won_back_count = fields.Integer(
        string="Won Back",
        readonly=True,
        aggregator="sum",
        help="Moves from a lost stage back to another stage.",
    )
    churn_rate = fields.Float(
        string="Churn Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Churned / customers at the start of the month.",
    )
    win_back_rate = fields.Float(
        string="Win-back Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Won back / lost customers at the start of the month.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                WITH months AS (
                    SELECT h.company_id,
                           generate_series(date_trunc('month', MIN(h.date)),
                                           date_trunc('month', now() at time zone 'UTC'),
                                           interval '1 month')::date AS month
                      FROM crm_lifecycle_history h
                     GROUP BY h.company_id
                )
                SELECT row_number() OVER (ORDER BY m.month, m.company_id) AS id,
                       m.month, m.company_id,
                       base.customer_count, base.lost_count,
                       moves.churned_count, moves.won_back_count,
                       CASE WHEN base.customer_count > 0
                            THEN 100.0 * moves.churned_count / base.customer_count
                            ELSE 0 END AS churn_rate,
                       CASE WHEN base.lost_count > 0
                            THEN 100.0 * moves.won_back_count / base.lost_count
                            ELSE 0 END AS win_back_rate
                  FROM months m
                 CROSS JOIN LATERAL (
                       SELECT COUNT(*) FILTER (
                                  WHERE s.is_customer AND NOT COALESCE(s.is_lost, FALSE)
                              ) AS customer_count,
                              COUNT(*) FILTER (WHERE s.is_lost) AS lost_count
                         FROM crm_lifecycle_history h
                         JOIN crm_lifecycle_stage s ON s.id = h.stage_to_id
                        WHERE h.company_id = m.company_id AND h.date < m.month
                          AND (h.date_end IS NULL OR h.date_end >= m.month)
                       ) base
                 CROSS JOIN LATERAL (
                       SELECT COUNT(*) FILTER (WHERE h.is_churn) AS churned_count,
                              COUNT(*) FILTER (WHERE h.is_win_back) AS won_back_count
                         FROM crm_lifecycle_history h
                        WHERE h.company_id = m.company_id AND h.date >= m.month
                          AND h.date < m.month + interval '1 month'
                       ) moves
            )
            """,
                SQL.identifier(self._table),
            )
        )
