from odoo import fields, models
from odoo.tools import SQL

OUTCOMES = [
    ("won_back", "Won Back"),
    ("open", "Still Open"),
    ("not_won_back", "Not Won Back"),
]


class CrmLifecycleLostReport(models.Model):
    """Each loss of a customer (流失), from the stage history: why they left,
    their tier and salesperson when lost, and whether they were won back
    (挽回): they entered a stage that is not lost within the company's
    win-back window (lifecycle_win_back_months) of the loss."""

    _name = "crm.lifecycle.lost.report"
    _description = "Lost Customers and Win-back"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    date = fields.Date(string="Lost On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    stage_id = fields.Many2one(
        "crm.lifecycle.stage", string="Lost Stage", readonly=True
    )
    churn_reason_id = fields.Many2one("crm.lifecycle.churn.reason", readonly=True)
    tier_id = fields.Many2one(
        "crm.value.tier",
        string="Tier When Lost",
        readonly=True,
        help="The customer's tier in the value snapshot of the day of the loss "
        "(the latest one before it).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="The customer's salesperson in the snapshot of the day of the loss, "
        "else their salesperson now.",
    )
    won_back_date = fields.Date(
        string="Back On",
        readonly=True,
        help="When the customer next entered a stage that is not lost, if ever.",
    )
    outcome = fields.Selection(
        OUTCOMES,
        readonly=True,
        help="Won back within the win-back window, still within it, or not won "
        "back within it.",
    )
    lost_count = fields.Integer(string="Lost", readonly=True, aggregator="sum")
    won_back_count = fields.Integer(
        string="Won Back",
        readonly=True,
        aggregator="sum",
        help="Lost customers back in a stage that is not lost within the "
        "win-back window.",
    )
    open_count = fields.Integer(
        string="Still Open",
        readonly=True,
        aggregator="sum",
        help="Lost customers not back yet whose win-back window is not over.",
    )
    win_back_rate = fields.Float(
        string="Win-back Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Won back / lost: of a group, the share of its decided losses (won "
        "back, or their window over) won back within the window.",
    )
    days_to_win_back = fields.Float(
        string="Days to Win Back",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days from the loss to the return, for the customers won back.",
    )

    @property
    def _table_query(self):
        # Days are each company's (res.company._get_value_tz): a view would
        # need one time zone.
        return SQL(
            """
            WITH company_day (company_id, tz) AS (VALUES %(company_days)s)
                SELECT loss.id, loss.lost_on AS date, loss.company_id,
                       loss.partner_id, loss.stage_id, loss.churn_reason_id,
                       loss.tier_id, loss.user_id,
                       (loss.back_at AT TIME ZONE 'UTC' AT TIME ZONE loss.tz)::date
                           AS won_back_date,
                       CASE WHEN loss.won THEN 'won_back'
                            WHEN loss.window_end > now() at time zone 'UTC' THEN 'open'
                            ELSE 'not_won_back' END AS outcome,
                       1 AS lost_count,
                       loss.won::int AS won_back_count,
                       (NOT loss.won AND loss.window_end > now() at time zone 'UTC')::int
                           AS open_count,
                       -- a loss whose window is still open is not decided yet
                       CASE WHEN loss.won THEN 100.0
                            WHEN loss.window_end > now() at time zone 'UTC' THEN NULL
                            ELSE 0.0 END AS win_back_rate,
                       CASE WHEN loss.won
                            THEN EXTRACT(EPOCH FROM loss.back_at - loss.lost_at) / 86400.0
                       END AS days_to_win_back
                  FROM (
                        SELECT h.id, h.date AS lost_at, h.company_id, h.partner_id,
                               h.stage_to_id AS stage_id, h.churn_reason_id,
                               snapshot.tier_id,
                               COALESCE(snapshot.user_id, p.user_id) AS user_id,
                               back.date AS back_at, window_end.at AS window_end,
                               d.tz, day.lost_on,
                               COALESCE(back.date <= window_end.at, FALSE) AS won
                          FROM crm_lifecycle_history h
                          JOIN res_company c ON c.id = h.company_id
                          JOIN res_partner p ON p.id = h.partner_id
                          JOIN company_day d ON d.company_id = h.company_id
                         -- the company's day of the loss (res.company._get_value_date)
                         CROSS JOIN LATERAL (
                               SELECT (h.date AT TIME ZONE 'UTC' AT TIME ZONE d.tz)::date
                                      AS lost_on
                               ) day
                         CROSS JOIN LATERAL (
                               SELECT h.date + make_interval(
                                          months => c.lifecycle_win_back_months
                                      ) AS at
                               ) window_end
                         CROSS JOIN LATERAL (
                               -- Their first return: a win-back belongs to the
                               -- loss before it (a return ends a loss).
                               SELECT MIN(w.date) AS date FROM crm_lifecycle_history w
                                WHERE w.partner_id = h.partner_id
                                  AND w.company_id = h.company_id
                                  AND w.is_win_back AND (w.date, w.id) > (h.date, h.id)
                               ) back
                          LEFT JOIN LATERAL (
                               SELECT s.tier_id, s.user_id FROM crm_value_snapshot s
                                WHERE s.partner_id = h.partner_id
                                  AND s.company_id = h.company_id
                                  AND s.date <= day.lost_on
                                ORDER BY s.date DESC
                                LIMIT 1
                               ) snapshot ON TRUE
                         WHERE h.is_churn
                       ) loss
            """,
            company_days=SQL(", ").join(
                SQL("(%s, %s)", company.id, company._get_value_tz())
                for company in self.env.companies
            ),
        )
