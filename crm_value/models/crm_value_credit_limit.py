from collections import defaultdict

from odoo import api, fields, models

from .crm_value_figure_credit_risk import RISK_GRADES


class CrmValueCreditLimit(models.Model):
    """The credit limit a company gives the customers of a tier and risk
    grade: written to their Odoo credit limit (res.partner.credit_limit) when
    their tier or grade changes, so that Odoo's own sales credit limit warns
    on their quotations and invoices (crm.value.risk)."""

    _name = "crm.value.credit.limit"
    _description = "Customer Value Credit Limit by Tier and Risk"
    _order = "company_id, tier_id, risk_grade"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one(
        "crm.value.tier", required=True, ondelete="cascade", check_company=True
    )
    risk_grade = fields.Selection(RISK_GRADES, required=True)
    credit_limit = fields.Monetary(
        required=True,
        help="Odoo's credit limit of the customers of this tier and risk grade, "
        "in the company's currency; 0: no limit.",
    )

    _sql_constraints = [
        (
            "tier_grade_uniq",
            "unique(company_id, tier_id, risk_grade)",
            "A company has one credit limit per tier and risk grade.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        limits = super().create(vals_list)
        limits._apply_to_current_customers()
        return limits

    def write(self, vals):
        result = super().write(vals)
        self._apply_to_current_customers()
        return result

    def _apply_to_current_customers(self):
        """A limit set or changed applies at once to the customers who have
        its tier and grade today (the nightly run applies it on a change)."""
        Risk = self.env["crm.value.risk"].sudo()
        pairs = defaultdict(set)
        for limit in self:
            pairs[limit.company_id].add((limit.tier_id.id, limit.risk_grade))
        for company, company_pairs in pairs.items():
            if company.value_credit_limit_by_risk:
                Risk._apply_credit_limits(
                    company, Risk._get_customers_in(company, company_pairs)
                )
