from odoo import fields, models
from odoo.exceptions import AccessError

from ..groups import MANAGER


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    value_window_months = fields.Integer(
        related="company_id.value_window_months", readonly=False
    )
    value_window_start = fields.Date(related="company_id.value_window_start")
    value_handling_cost = fields.Monetary(
        related="company_id.value_handling_cost", readonly=False
    )
    value_ranking_basis = fields.Selection(
        related="company_id.value_ranking_basis", readonly=False
    )
    value_network_weight = fields.Float(
        related="company_id.value_network_weight", readonly=False
    )
    value_abc_a_percent = fields.Float(
        related="company_id.value_abc_a_percent", readonly=False
    )
    value_abc_b_percent = fields.Float(
        related="company_id.value_abc_b_percent", readonly=False
    )
    value_clv_horizon_months = fields.Integer(
        related="company_id.value_clv_horizon_months", readonly=False
    )
    value_discount_rate = fields.Float(
        related="company_id.value_discount_rate", readonly=False
    )
    value_matrix_split = fields.Selection(
        related="company_id.value_matrix_split", readonly=False
    )
    value_apply_tier_terms = fields.Boolean(
        related="company_id.value_apply_tier_terms", readonly=False
    )
    value_relationship_few_max = fields.Integer(
        related="company_id.value_relationship_few_max", readonly=False
    )
    value_relationship_many_min = fields.Integer(
        related="company_id.value_relationship_many_min", readonly=False
    )
    value_relationship_low_margin = fields.Float(
        related="company_id.value_relationship_low_margin", readonly=False
    )
    value_relationship_high_margin = fields.Float(
        related="company_id.value_relationship_high_margin", readonly=False
    )
    value_scorecard_weight_financial = fields.Float(
        related="company_id.value_scorecard_weight_financial", readonly=False
    )
    value_scorecard_weight_market = fields.Float(
        related="company_id.value_scorecard_weight_market", readonly=False
    )
    value_scorecard_weight_management = fields.Float(
        related="company_id.value_scorecard_weight_management", readonly=False
    )
    value_scorecard_weight_learning = fields.Float(
        related="company_id.value_scorecard_weight_learning", readonly=False
    )
    # Credit and default risk
    value_risk_bucket_1_days = fields.Integer(
        related="company_id.value_risk_bucket_1_days", readonly=False
    )
    value_risk_bucket_2_days = fields.Integer(
        related="company_id.value_risk_bucket_2_days", readonly=False
    )
    value_risk_bucket_3_days = fields.Integer(
        related="company_id.value_risk_bucket_3_days", readonly=False
    )
    value_risk_medium_overdue_days = fields.Integer(
        related="company_id.value_risk_medium_overdue_days", readonly=False
    )
    value_risk_high_overdue_days = fields.Integer(
        related="company_id.value_risk_high_overdue_days", readonly=False
    )
    value_risk_medium_days_late = fields.Integer(
        related="company_id.value_risk_medium_days_late", readonly=False
    )
    value_risk_high_days_late = fields.Integer(
        related="company_id.value_risk_high_days_late", readonly=False
    )
    value_risk_loss_not_due = fields.Float(
        related="company_id.value_risk_loss_not_due", readonly=False
    )
    value_risk_loss_1 = fields.Float(
        related="company_id.value_risk_loss_1", readonly=False
    )
    value_risk_loss_2 = fields.Float(
        related="company_id.value_risk_loss_2", readonly=False
    )
    value_risk_loss_3 = fields.Float(
        related="company_id.value_risk_loss_3", readonly=False
    )
    value_risk_loss_4 = fields.Float(
        related="company_id.value_risk_loss_4", readonly=False
    )
    value_risk_medium_credited_percent = fields.Float(
        related="company_id.value_risk_medium_credited_percent", readonly=False
    )
    value_risk_high_credited_percent = fields.Float(
        related="company_id.value_risk_high_credited_percent", readonly=False
    )
    value_credit_limit_by_risk = fields.Boolean(
        related="company_id.value_credit_limit_by_risk", readonly=False
    )
    value_high_risk_payment_term_id = fields.Many2one(
        related="company_id.value_high_risk_payment_term_id", readonly=False
    )

    def action_value_recompute_now(self):
        """Recompute the value of every customer of the company now, and what
        depends on it (lifecycle, care), through the scheduled runs' queues."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only Customer Value managers can recompute customer value.")
            )
        # The company the manager works in (checked against theirs), not a
        # company_id given over RPC.
        company = self.env.company
        # The runs are the system's: a manager need not be allowed to write
        # the queues and the scheduled actions.
        self.env["crm.value.engine"].sudo()._queue_company_recompute(company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The recompute of %(company)s has started: figures, tiers, "
                    "lifecycle stages and care follow in a few minutes.",
                    company=company.name,
                ),
            },
        }
