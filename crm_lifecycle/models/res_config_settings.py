from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lifecycle_at_risk_days = fields.Integer(
        related="company_id.lifecycle_at_risk_days", readonly=False
    )
    lifecycle_at_risk_factor = fields.Float(
        related="company_id.lifecycle_at_risk_factor", readonly=False
    )
    lifecycle_lost_days = fields.Integer(
        related="company_id.lifecycle_lost_days", readonly=False
    )
    lifecycle_lost_factor = fields.Float(
        related="company_id.lifecycle_lost_factor", readonly=False
    )
    lifecycle_at_risk_p_alive = fields.Float(
        related="company_id.lifecycle_at_risk_p_alive", readonly=False
    )
    lifecycle_active_days = fields.Integer(
        related="company_id.lifecycle_active_days", readonly=False
    )
    lifecycle_loyal_order_count = fields.Integer(
        related="company_id.lifecycle_loyal_order_count", readonly=False
    )
    lifecycle_loyal_tenure_days = fields.Integer(
        related="company_id.lifecycle_loyal_tenure_days", readonly=False
    )
    lifecycle_win_back_months = fields.Integer(
        related="company_id.lifecycle_win_back_months", readonly=False
    )
