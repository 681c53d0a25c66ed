from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.groups import MANAGER

from ..models.crm_care_complaint_stage import DONE_STATES

SPEND = {
    "currency_field": "currency_id",
    "readonly": True,
    "aggregator": "avg",
    "groups": MANAGER,
}


class CrmCareComplaintSpendReport(models.Model):
    """Spend before and after a complaint: per resolved complaint, what the
    customer bought in the company's N months before the day it was resolved
    and in the N months from that day (N: the company's Months Around a
    Complaint), to see on the company's own books whether customers whose
    complaint was resolved to their satisfaction buy more afterwards.

    Spend is revenue as the customer value figures define it
    (crm.value.engine._get_revenue_query). The "after" of a complaint
    resolved less than N months ago holds only the days passed so far
    (after_partial, after_days)."""

    _name = "crm.care.complaint.spend.report"
    _description = "Spend Before and After a Complaint"
    _auto = False
    _rec_name = "complaint_id"
    _order = "date_resolved desc, id desc"
    _depends = {
        "crm.care.complaint": [
            "partner_id",
            "company_id",
            "category_id",
            "user_id",
            "state",
            "date_resolved",
            "satisfied",
            "csat_score",
        ],
        "account.move": [
            "commercial_partner_id",
            "company_id",
            "state",
            "move_type",
            "invoice_date",
        ],
        "account.move.line": ["move_id", "balance", "display_type"],
        "res.company": ["care_complaint_spend_months"],
    }

    complaint_id = fields.Many2one("crm.care.complaint", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    category_id = fields.Many2one("crm.care.complaint.category", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    date_resolved = fields.Datetime(string="Resolved", readonly=True)
    resolved_on = fields.Date(
        readonly=True,
        help="The company's day the complaint was resolved: spend invoiced on it "
        "counts after.",
    )
    satisfied = fields.Boolean(
        string="Resolved to Satisfaction",
        readonly=True,
        help="The complaint's own Resolved to Satisfaction, from the customer's "
        "CSAT after it was closed.",
    )
    answered = fields.Boolean(
        string="Survey Answered",
        readonly=True,
        help="The customer rated the resolution: without an answer a complaint "
        "counts as not resolved to satisfaction.",
    )
    spend_before = fields.Monetary(
        help="Revenue from the customer in the months before the resolution day "
        "(posted invoices minus credit notes, untaxed, company currency); "
        "averaged over a group.",
        **SPEND,
    )
    spend_after = fields.Monetary(
        help="Revenue from the customer in the months from the resolution day on; "
        "for a partial period only the days passed so far. Averaged over a group.",
        **SPEND,
    )
    spend_change = fields.Monetary(
        help="Spend after minus spend before; averaged over a group.", **SPEND
    )
    after_partial = fields.Boolean(
        string="After Period Incomplete",
        readonly=True,
        help="Resolved less than the chosen months ago: Spend After holds only the "
        "days passed so far (Days Observed After).",
    )
    after_days = fields.Integer(
        string="Days Observed After",
        readonly=True,
        aggregator="avg",
        help="How many days of the period after the resolution have passed, up to "
        "today included.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH company_day (company_id, tz, today, months) AS (VALUES %(days)s),
            revenue AS (%(revenue)s)
            SELECT c.id, c.id AS complaint_id, c.partner_id, c.company_id,
                   co.currency_id, c.category_id, c.user_id, c.date_resolved,
                   w.resolved_on, COALESCE(c.satisfied, FALSE) AS satisfied,
                   COALESCE(c.csat_score, 0) > 0 AS answered,
                   s.before AS spend_before, s.after AS spend_after,
                   s.after - s.before AS spend_change,
                   w.after_end > d.today + 1 AS after_partial,
                   LEAST(w.after_end, d.today + 1) - w.resolved_on AS after_days
              FROM crm_care_complaint c
              JOIN company_day d ON d.company_id = c.company_id
              JOIN res_company co ON co.id = c.company_id
             CROSS JOIN LATERAL (
                   SELECT (c.date_resolved AT TIME ZONE 'UTC' AT TIME ZONE d.tz)::date
                          AS resolved_on
                   ) r
             CROSS JOIN LATERAL (
                   SELECT r.resolved_on,
                          (r.resolved_on - make_interval(months => d.months))::date
                              AS before_start,
                          (r.resolved_on + make_interval(months => d.months))::date
                              AS after_end
                   ) w
             CROSS JOIN LATERAL (
                   SELECT COALESCE(SUM(v.revenue)
                              FILTER (WHERE v.invoice_date < w.resolved_on), 0) AS before,
                          COALESCE(SUM(v.revenue)
                              FILTER (WHERE v.invoice_date >= w.resolved_on), 0) AS after
                     FROM revenue v
                    WHERE v.partner_id = c.partner_id AND v.company_id = c.company_id
                      AND v.invoice_date >= w.before_start
                      AND v.invoice_date < w.after_end
                   ) s
             WHERE c.state IN %(done)s AND c.date_resolved IS NOT NULL
               AND c.partner_id IS NOT NULL
            """,
            days=SQL(", ").join(
                SQL(
                    "(%s, %s, %s::date, %s)",
                    company.id,
                    company._get_value_tz(),
                    company._get_value_today(),
                    company.care_complaint_spend_months,
                )
                for company in self.env.companies
            ),
            revenue=self.env["crm.value.engine"]._get_revenue_query(
                columns=SQL("m.company_id")
            ),
            done=DONE_STATES,
        )
