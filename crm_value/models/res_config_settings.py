from odoo import fields, models


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
    value_apply_tier_pricelist = fields.Boolean(
        related="company_id.value_apply_tier_pricelist", readonly=False
    )
