from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        deliveries = self.filtered(
            lambda p: (
                p.state == "done"
                and p.location_dest_id.usage == "customer"
                and p.partner_id
            )
        )
        today = fields.Date.context_today(self)
        for company, pickings in deliveries.grouped("company_id").items():
            self.env["mail.activity.plan"]._care_fire(
                "delivery_done",
                [(p.partner_id, f"stock.picking,{p.id}", p, today) for p in pickings],
                company,
            )
        return result
