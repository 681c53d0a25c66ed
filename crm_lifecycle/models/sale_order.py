from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        result = super()._action_confirm()
        # Queue, never write, the customer: confirming stays fast.
        self.env["crm.lifecycle.queue"]._mark(
            (order.partner_id.commercial_partner_id.id, order.company_id.id)
            for order in self
        )
        return result
