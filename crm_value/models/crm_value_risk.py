from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..sql_arrays import array_literal


class CrmValueRisk(models.AbstractModel):
    """What a customer's risk grade sets off once the night's figures, scores
    and tiers are stored (crm.value.engine._on_customers_refreshed): their
    credit limit by tier and grade, an activity for whoever looks after a
    customer turning high risk, and the payment terms of customers turning high
    risk or no longer high (with the tier terms).
    Each is set-based: customers grouped by what they get, one write a group."""

    _name = "crm.value.risk"
    _description = "Customer Value Credit Risk Actions"

    @api.model
    def _on_risk_refreshed(self, company, partner_ids):
        """Apply the grades of these customers' current snapshots in `company`."""
        rows = self._get_risk_changes(company, partner_ids)
        # The snapshots were written in SQL: a grade read before is stale.
        self.env["res.partner"].invalidate_model(["value_risk_grade"])
        if company.value_credit_limit_by_risk:
            self._apply_credit_limits(
                company,
                [
                    (pid, tier, grade)
                    for pid, (tier, grade, old_tier, old_grade) in rows.items()
                    if (tier, grade) != (old_tier, old_grade)
                ],
            )
        high = [pid for pid, row in rows.items() if row[1] == "high"]
        self._schedule_high_risk_activities(
            company, [pid for pid in high if rows[pid][3] != "high"]
        )
        # The high-risk payment terms come and go with the grade, through the
        # tier terms (res.partner._get_value_tier_terms): their own terms are
        # the tier's, so that they come back, and a manager's pin holds.
        moved = [
            pid for pid, row in rows.items() if (row[1] == "high") != (row[3] == "high")
        ]
        if moved and company.value_high_risk_payment_term_id:
            self.env["res.partner"].sudo().with_company(company).browse(
                moved
            )._apply_value_tier_terms()

    @api.model
    def _get_risk_changes(self, company, partner_ids):
        """{partner id: (tier id, grade, tier id before, grade before)} of these
        customers' current snapshots, against each one's snapshot before it
        (none before: None, None)."""
        self.env.cr.execute(
            SQL(
                """
            SELECT s.partner_id, s.tier_id, s.risk_grade, prev.tier_id, prev.risk_grade
              FROM crm_value_snapshot s
              LEFT JOIN LATERAL (
                   SELECT p.tier_id, p.risk_grade FROM crm_value_snapshot p
                    WHERE p.partner_id = s.partner_id AND p.company_id = s.company_id
                      AND p.date < s.date
                    ORDER BY p.date DESC LIMIT 1
                   ) prev ON TRUE
             WHERE s.company_id = %s AND s.is_current
               AND s.partner_id = ANY(%s::int[])
            """,
                company.id,
                array_literal(partner_ids),
            )
        )
        return {pid: rest for pid, *rest in self.env.cr.fetchall()}

    @api.model
    def _get_customers_in(self, company, pairs):
        """[(partner id, tier id, grade)] of the current customers of `company`
        whose (tier id, grade) is one of `pairs`."""
        if not pairs:
            return []
        tiers, grades = zip(*pairs, strict=True)
        self.env.cr.execute(
            SQL(
                """
            SELECT s.partner_id, s.tier_id, s.risk_grade
              FROM crm_value_snapshot s
              JOIN unnest(%s::int[], %s::varchar[]) AS v(tier_id, grade)
                ON v.tier_id = s.tier_id AND v.grade = s.risk_grade
             WHERE s.company_id = %s AND s.is_current
            """,
                array_literal(tiers),
                array_literal(grades),
                company.id,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _apply_credit_limits(self, company, customers):
        """Give `customers` ([(partner id, tier id, grade)]) the credit limit of
        their tier and grade in `company` (crm.value.credit.limit), one write
        per limit; customers of a tier and grade without a limit keep theirs."""
        limits = {
            (limit.tier_id.id, limit.risk_grade): limit.credit_limit
            for limit in self.env["crm.value.credit.limit"]
            .sudo()
            .search([("company_id", "=", company.id)])
        }
        by_limit = defaultdict(list)
        for pid, tier, grade in customers:
            if (tier, grade) in limits:
                by_limit[limits[tier, grade]].append(pid)
        if not by_limit:
            return
        Partner = self.env["res.partner"].sudo().with_company(company)
        current = self._get_credit_limits(
            company, [pid for ids in by_limit.values() for pid in ids]
        )
        for amount, ids in by_limit.items():
            partners = Partner.browse(pid for pid in ids if current.get(pid) != amount)
            if partners:
                # 0 is no limit for Odoo's warnings; its flag written off would
                # put back the company's default limit instead.
                values = {"credit_limit": amount}
                if amount:
                    values["use_partner_credit_limit"] = True
                partners.write(values)

    @api.model
    def _get_credit_limits(self, company, partner_ids):
        """{partner id: own credit limit} in `company`, in one query."""
        Partner = self.env["res.partner"].sudo().with_company(company)
        Partner.flush_model(["credit_limit"])
        self.env.cr.execute(
            SQL(
                """
            SELECT id, (credit_limit ->> %s)::float FROM res_partner
             WHERE id = ANY(%s::int[])
            """,
                str(company.id),
                array_literal(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _schedule_high_risk_activities(self, company, partner_ids):
        """An activity for whoever looks after each customer who turned high
        risk (res.partner._get_value_risk_responsible), unless one is open or
        was done today (a later run of the same day compares with yesterday's
        grade too)."""
        if not partner_ids:
            return
        activity_type = self.env.ref("crm_value.mail_activity_type_high_credit_risk")
        Activity = self.env["mail.activity"].sudo()
        open_on = set(
            Activity.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partner_ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ).mapped("res_id")
        )
        today = company._get_value_today()
        open_on.update(
            message.res_id
            for message in self.env["mail.message"]
            .sudo()
            .search_fetch(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", partner_ids),
                    ("mail_activity_type_id", "=", activity_type.id),
                    ("date", ">=", fields.Datetime.now() - timedelta(days=2)),
                ],
                ["res_id", "date"],
            )
            if company._get_value_date(message.date) == today
        )
        partners = (
            self.env["res.partner"]
            .with_company(company)
            .browse(pid for pid in partner_ids if pid not in open_on)
        )
        responsible = partners._get_value_risk_responsible()
        deadline = company._get_value_today() + relativedelta(
            **{activity_type.delay_unit: activity_type.delay_count}
        )
        model_id = self.env["ir.model"]._get_id("res.partner")
        # One activity each in their own list, no e-mail each: a first night
        # may turn many customers high at once.
        Activity.with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.with_context(
                        lang=responsible[partner.id].lang
                    ).summary,
                    "user_id": responsible[partner.id].id,
                    "date_deadline": deadline,
                }
                for partner in partners
                if partner.id in responsible
            ]
        )
