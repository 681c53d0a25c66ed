from odoo import api, models


class CrmValueEngine(models.AbstractModel):
    _inherit = "crm.value.engine"

    @api.model
    def _queue_company_recompute(self, company):
        """The care scheduler runs too: queued events and due care emails."""
        result = super()._queue_company_recompute(company)
        self.env.ref("crm_care.ir_cron_care_scheduler").sudo()._trigger()
        return result
