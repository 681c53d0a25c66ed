from odoo import api, models


class CrmValueEngine(models.AbstractModel):
    _inherit = "crm.value.engine"

    @api.model
    def _cron_recompute_value(self, batch_size=2000):
        """The scheduled recompute (after invoices, payments, deliveries) queues
        the customers it recomputes for a lifecycle evaluation."""
        engine = self.with_context(lifecycle_queue_recomputed=True)
        return super(CrmValueEngine, engine)._cron_recompute_value(batch_size)

    @api.model
    def _recompute_partners(self, company, partner_ids):
        result = super()._recompute_partners(company, partner_ids)
        if self.env.context.get("lifecycle_queue_recomputed"):
            # New value figures may move the customers' lifecycle stage.
            self.env["crm.lifecycle.queue"]._mark(
                (pid, company.id) for pid in partner_ids
            )
        return result
