from odoo import models


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
        if deliveries:
            # Validating a delivery must not wait for its care plans
            # (activities, notifications): it queues them for the scheduler,
            # dated from the day each was done.
            self.env["crm.care.queue"]._queue(
                "delivery_done",
                deliveries,
                dates={
                    p.id: p.company_id._get_value_date(p.date_done) for p in deliveries
                },
            )
        return result
