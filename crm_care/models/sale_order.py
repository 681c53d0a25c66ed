from odoo import fields, models

from .crm_care_queue import CANCELLED

# Order states that start care, and the trigger each starts.
STATE_TRIGGERS = {"sent": "quotation_sent", "sale": "order_confirmed"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    care_user_id = fields.Many2one(
        related="partner_id.commercial_partner_id.care_user_id",
        string="Dedicated Representative",
    )

    def write(self, vals):
        state = vals.get("state")
        if state not in (*STATE_TRIGGERS, "cancel"):
            return super().write(vals)
        changed = self.filtered(lambda order: order.state != state)
        result = super().write(vals)
        if changed:
            # Queue, never launch, the care (nor cancel it): confirming or
            # cancelling an order does not wait for activities or emails.
            self.env["crm.care.queue"]._queue(
                CANCELLED if state == "cancel" else STATE_TRIGGERS[state], changed
            )
        return result
