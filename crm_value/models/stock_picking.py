from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        # Deliveries and returns change the cost of goods: queue their customer.
        self.env["crm.value.queue"]._mark(
            (picking.partner_id.commercial_partner_id.id, picking.company_id.id)
            for picking in self
            if "customer" in (picking.location_id.usage, picking.location_dest_id.usage)
        )
        return result
