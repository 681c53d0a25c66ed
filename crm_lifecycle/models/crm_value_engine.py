from odoo import api, fields, models


class CrmValueEngine(models.AbstractModel):
    _inherit = "crm.value.engine"

    @api.model
    def _cron_recompute_value(self, batch_size=2000):
        """The scheduled recompute (after invoices, payments, deliveries) queues
        the customers it recomputes for a lifecycle evaluation."""
        engine = self.with_context(lifecycle_queue_recomputed=True)
        return super(CrmValueEngine, engine)._cron_recompute_value(batch_size)

    @api.model
    def _write_snapshots(self, company, figures):
        result = super()._write_snapshots(company, figures)
        today = fields.Date.context_today(self)
        if (
            self.env.context.get("lifecycle_queue_recomputed")
            # else today's full evaluation, still to come, queues everyone
            and company.lifecycle_last_full_evaluation == today
        ):
            # New value figures may move the customers' lifecycle stage.
            self.env["crm.lifecycle.queue"]._mark((pid, company.id) for pid in figures)
        return result
