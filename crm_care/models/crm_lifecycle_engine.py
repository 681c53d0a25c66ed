from odoo import api, models


class CrmLifecycleEngine(models.AbstractModel):
    _inherit = "crm.lifecycle.engine"

    @api.model
    def _get_lifecycle_responsible(self, partners):
        """Churn warnings go to the dedicated representative first."""
        responsible = super()._get_lifecycle_responsible(partners)
        for partner in partners.filtered("care_user_id"):
            responsible[partner.id] = partner.care_user_id
        return responsible
