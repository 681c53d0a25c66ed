from odoo import fields, models

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
        if state == "cancel":
            self.env["crm.care.event"]._cancel_for_documents(changed)
        elif changed:
            today = fields.Date.context_today(self)
            for company, orders in changed.grouped("company_id").items():
                self.env["mail.activity.plan"]._care_fire(
                    STATE_TRIGGERS[state],
                    [(o.partner_id, f"sale.order,{o.id}", o, today) for o in orders],
                    company,
                )
        return result
