from odoo import api, models


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    @api.model
    def _get_named_on_read_comodels(self):
        return super()._get_named_on_read_comodels() | {"crm.lifecycle.stage"}
