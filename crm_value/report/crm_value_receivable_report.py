from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_value_figure_credit_risk import RISK_GRADES, age_bucket_sql

AGE_BUCKETS = [
    ("0", "Not Due"),
    ("1", "Overdue, First Bucket"),
    ("2", "Overdue, Second Bucket"),
    ("3", "Overdue, Third Bucket"),
    ("4", "Overdue, Last Bucket"),
]


class CrmValueReceivableReport(models.Model):
    """The open receivable by age and risk: each open receivable line of a
    customer, its age bucket (the company's bounds, on the company's day),
    the expected bad debt it carries (the bucket's loss rate), the customer's
    current risk grade, tier and salesperson."""

    _name = "crm.value.receivable.report"
    _description = "Receivable by Age and Risk"
    _auto = False
    _rec_name = "partner_id"
    _order = "days_overdue desc"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    tier_id = fields.Many2one("crm.value.tier", readonly=True)
    risk_grade = fields.Selection(RISK_GRADES, readonly=True)
    age_bucket = fields.Selection(AGE_BUCKETS, readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(aggregator="max", readonly=True)
    amount_residual = fields.Monetary(
        string="Open Amount",
        readonly=True,
        aggregator="sum",
        help="Open receivable, company currency.",
    )
    expected_bad_debt = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="The open amount times its age bucket's loss rate (Settings).",
    )

    @property
    def _table_query(self):
        # Read with each company's day (res.company._get_value_today), as the
        # figures age the same receivable: a view would need one time zone.
        days = SQL("GREATEST(d.today - l.date_maturity, 0)")
        bucket = age_bucket_sql(
            days,
            [
                SQL("co.value_risk_bucket_1_days"),
                SQL("co.value_risk_bucket_2_days"),
                SQL("co.value_risk_bucket_3_days"),
            ],
        )
        return SQL(
            """
            WITH company_day (company_id, today) AS (VALUES %(company_days)s)
            SELECT l.id, l.move_id, cp.id AS partner_id, l.company_id,
                   co.currency_id, s.user_id, s.tier_id, s.risk_grade,
                   b.bucket::varchar AS age_bucket, l.date_maturity,
                   %(days)s AS days_overdue, l.amount_residual,
                   l.amount_residual * (ARRAY[co.value_risk_loss_not_due,
                       co.value_risk_loss_1, co.value_risk_loss_2,
                       co.value_risk_loss_3, co.value_risk_loss_4])[b.bucket + 1]
                       / 100.0 AS expected_bad_debt
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company co ON co.id = l.company_id
              JOIN company_day d ON d.company_id = l.company_id
             CROSS JOIN LATERAL (SELECT %(bucket)s AS bucket) b
              LEFT JOIN crm_value_snapshot s
                     ON s.partner_id = cp.id AND s.company_id = l.company_id
                    AND s.is_current
             WHERE l.parent_state = 'posted' AND NOT l.reconciled
               AND a.account_type = 'asset_receivable' AND l.amount_residual > 0
            """,
            company_days=SQL(", ").join(
                SQL("(%s, %s::date)", company.id, company._get_value_today())
                for company in self.env.companies
            ),
            days=days,
            bucket=bucket,
        )
