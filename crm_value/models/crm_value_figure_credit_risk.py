from odoo import api, fields, models
from odoo.tools import SQL

from ..analytics.credit_risk import BUCKETS, GRADES, expected_bad_debt, risk_grade
from ..figures import Figure, figure_source

RISK_GRADES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]
assert tuple(code for code, _label in RISK_GRADES) == GRADES
# What the sources yield for _derive_figures only: never stored (the days
# paid late come from crm.value.figure.payment.risk, which reads the payments).
GRADE_INPUTS = ("risk_oldest_days_overdue", "risk_days_late", "risk_credited_percent")


def age_bucket_sql(days_overdue, bounds):
    """SQL of the bucket index (0 not due, 1-4 overdue, as
    analytics.credit_risk.BUCKETS) of an amount `days_overdue` (SQL) days past
    due, with the three `bounds` (SQL each): one definition for the figure
    and the receivable report."""
    first, second, third = bounds
    return SQL(
        """CASE WHEN %(days)s IS NULL OR %(days)s <= 0 THEN 0 WHEN %(days)s <= %(first)s THEN 1
                WHEN %(days)s <= %(second)s THEN 2 WHEN %(days)s <= %(third)s THEN 3
                ELSE 4 END""",
        days=days_overdue,
        first=first,
        second=second,
        third=third,
    )


@figure_source
class CrmValueFigureCreditRisk(models.AbstractModel):
    """Credit and default risk: the open receivable aged in the company's
    buckets, the expected bad debt it carries, and a grade from its age, the
    days the customer pays beyond their terms and the share of revenue
    credited back. Derived after the profit: the risk-adjusted profit."""

    _name = "crm.value.figure.credit.risk"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Credit Risk"
    # After the profit (100): the risk-adjusted profit derives from it.
    _figure_sequence = 110
    _figures = (
        Figure(
            "risk_grade",
            fields.Selection,
            default="low",
            snapshot={"selection": RISK_GRADES, "string": "Risk Grade"},
            partner={
                "selection": RISK_GRADES,
                "string": "Risk Grade",
                "help": "The worst of: the age of the oldest overdue amount, the "
                "average days invoices were paid after their due date, and "
                "the share of invoiced revenue credited back, each against the "
                "company's medium and high thresholds (Settings).",
            },
        ),
        Figure(
            "expected_bad_debt",
            fields.Monetary,
            managers_only=True,
            snapshot={"aggregator": "sum"},
            partner={
                "string": "Expected Bad Debt",
                "help": "The open receivable of each age bucket times the "
                "bucket's loss rate (Settings), summed.",
            },
        ),
        Figure(
            "risk_adjusted_profit",
            fields.Monetary,
            managers_only=True,
            snapshot={"aggregator": "sum"},
            partner={
                "string": "Risk-Adjusted Profit",
                "help": "Net profit over the analysis window minus the "
                "expected bad debt.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """The open receivable by age bucket (its expected bad debt), the
        oldest days overdue and the credited share, in one query over the
        customers in scope."""
        company = self.env["res.company"].browse(scope["company"])
        days = SQL("(%(today)s::date - l.date_maturity)", **scope)
        policy = company._get_value_risk_policy()
        bucket = age_bucket_sql(days, [SQL("%s", bound) for bound in policy.bounds])
        rows = self._fetch_by_partner(
            SQL(
                """
            WITH open AS (
                SELECT p.commercial_partner_id AS partner_id,
                       %(bucket)s AS bucket,
                       SUM(l.amount_residual) AS amount,
                       MAX(%(days)s) AS oldest
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable' AND NOT l.reconciled
                   AND l.amount_residual > 0
                   AND p.commercial_partner_id = ANY(%(partner_array)s::int[])
                 GROUP BY 1, 2
            ), aged AS (
                SELECT partner_id,
                       ARRAY[SUM(amount) FILTER (WHERE bucket = 0),
                             SUM(amount) FILTER (WHERE bucket = 1),
                             SUM(amount) FILTER (WHERE bucket = 2),
                             SUM(amount) FILTER (WHERE bucket = 3),
                             SUM(amount) FILTER (WHERE bucket = 4)] AS buckets,
                       MAX(oldest) FILTER (WHERE bucket > 0) AS oldest
                  FROM open GROUP BY 1
            ), credited AS (
                SELECT m.commercial_partner_id AS partner_id,
                       100.0 * SUM(-m.amount_untaxed_signed)
                                 FILTER (WHERE m.move_type = 'out_refund')
                         / NULLIF(SUM(m.amount_untaxed_signed)
                                    FILTER (WHERE m.move_type = 'out_invoice'), 0)
                         AS percent
                  FROM account_move m
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date >= %(date_from)s
                   AND m.commercial_partner_id = ANY(%(partner_array)s::int[])
                 GROUP BY 1
            )
            SELECT c.partner_id, a.buckets, a.oldest AS risk_oldest_days_overdue,
                   cr.percent AS risk_credited_percent
              FROM (SELECT partner_id FROM aged
                    UNION SELECT partner_id FROM credited) c
              LEFT JOIN aged a ON a.partner_id = c.partner_id
              LEFT JOIN credited cr ON cr.partner_id = c.partner_id
            """,
                bucket=bucket,
                days=days,
                **scope,
            )
        )
        for values in rows.values():
            buckets = values.pop("buckets") or [0] * len(BUCKETS)
            values["expected_bad_debt"] = expected_bad_debt(
                [float(amount or 0) for amount in buckets], policy.loss_rates
            )
        return rows

    @api.model
    def _derive_figures(self, figures):
        # Run in the company of the figures (crm.value.engine._compute_figures).
        policy = self.env.company._get_value_risk_policy()
        for figure in figures.values():
            # Lateness against each invoice's own due date: a customer's terms
            # changed since (by their tier, or for high risk) do not change it.
            # No invoice paid in the window: no lateness to measure.
            oldest, late, credited = (figure.pop(name, None) for name in GRADE_INPUTS)
            figure["risk_grade"] = risk_grade(policy, oldest, late or 0, credited)
            figure["risk_adjusted_profit"] = (
                figure["net_profit"] - figure["expected_bad_debt"]
            )
