from odoo import models


class CrmValueQueue(models.Model):
    """Customers whose value must be recomputed, marked by postings,
    deliveries and payments."""

    _name = "crm.value.queue"
    _inherit = ["crm.value.queue.mixin"]
    _description = "Customer Value Recompute Queue"
    _queue_cron = "crm_value.ir_cron_recompute_value"
    _full_pass_field = "value_last_full_recompute"
