from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    lifecycle_at_risk_days = fields.Integer(
        string="At Risk After (days)",
        default=90,
        help="A customer with fewer than two orders is at risk after this many "
        "days without an order.",
    )
    lifecycle_at_risk_factor = fields.Float(
        string="At Risk After (x usual interval)",
        default=3.0,
        help="A customer with two orders or more is at risk after this many times "
        "their usual time between orders without an order.",
    )
    lifecycle_lost_days = fields.Integer(
        string="Lost After (days)",
        default=180,
        help="A customer with fewer than two orders is lost after this many days "
        "without an order.",
    )
    lifecycle_lost_factor = fields.Float(
        string="Lost After (x usual interval)",
        default=6.0,
        help="A customer with two orders or more is lost after this many times "
        "their usual time between orders without an order.",
    )
    lifecycle_at_risk_p_alive = fields.Float(
        string="At Risk Below P(alive)",
        default=0.3,
        digits=(16, 2),
        help="A customer whose probability of still buying (BG/NBD) falls below "
        "this figure is at risk.",
    )
    lifecycle_active_days = fields.Integer(
        string="Active: Reorder Within (days)",
        default=180,
        help="A new customer who orders again within this many days is active.",
    )
    lifecycle_loyal_order_count = fields.Integer(
        string="Loyal: Orders",
        default=5,
        help="Confirmed orders, all time, that make an active customer loyal.",
    )
    lifecycle_loyal_tenure_days = fields.Integer(
        string="Loyal: Customer For (days)",
        default=365,
        help="Days since the first order that make an active customer loyal.",
    )
    lifecycle_win_back_months = fields.Integer(
        string="Won Back Within (months)",
        default=6,
        help="A lost customer counts as won back when they enter a stage that "
        "is not lost within this many months of being lost.",
    )
    lifecycle_last_full_evaluation = fields.Date(
        readonly=True,
        help="Day of the last scheduled evaluation of every customer's stage.",
    )

    @api.constrains(
        "lifecycle_at_risk_days",
        "lifecycle_at_risk_factor",
        "lifecycle_lost_days",
        "lifecycle_lost_factor",
        "lifecycle_at_risk_p_alive",
        "lifecycle_active_days",
        "lifecycle_loyal_order_count",
        "lifecycle_loyal_tenure_days",
    )
    def _check_lifecycle_settings(self):
        _ = self.env._
        for company in self:
            if not 0 < company.lifecycle_at_risk_days < company.lifecycle_lost_days:
                raise ValidationError(
                    _(
                        "A customer must be at risk before being lost: set "
                        "0 < at-risk days < lost days (%(at_risk)s, %(lost)s).",
                        at_risk=company.lifecycle_at_risk_days,
                        lost=company.lifecycle_lost_days,
                    )
                )
            if not 0 < company.lifecycle_at_risk_factor < company.lifecycle_lost_factor:
                raise ValidationError(
                    _(
                        "A customer must be at risk before being lost: set 0 < at-risk "
                        "factor < lost factor (%(at_risk)s, %(lost)s).",
                        at_risk=company.lifecycle_at_risk_factor,
                        lost=company.lifecycle_lost_factor,
                    )
                )
            if not 0 <= company.lifecycle_at_risk_p_alive <= 1:
                raise ValidationError(
                    _("The at-risk P(alive) is a probability: between 0 and 1.")
                )
            if (
                min(
                    company.lifecycle_active_days,
                    company.lifecycle_loyal_order_count,
                    company.lifecycle_loyal_tenure_days,
                )
                < 1
            ):
                raise ValidationError(
                    _(
                        "The active window, the loyal order count and the loyal "
                        "tenure must be at least 1."
                    )
                )

    @api.constrains("lifecycle_win_back_months")
    def _check_lifecycle_win_back_months(self):
        if any(company.lifecycle_win_back_months < 1 for company in self):
            raise ValidationError(
                self.env._("The win-back window must be at least one month.")
            )
