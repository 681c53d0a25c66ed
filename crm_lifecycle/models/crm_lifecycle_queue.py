from odoo import models


class CrmLifecycleQueue(models.Model):
    """Customers whose lifecycle stage must be evaluated soon, marked by the
    events that matter (leads, orders, value recomputed after postings)."""

    _name = "crm.lifecycle.queue"
    _inherit = ["crm.value.queue.mixin"]
    _description = "Customer Lifecycle Evaluation Queue"
    _queue_cron = "crm_lifecycle.ir_cron_evaluate_lifecycle"
    _full_pass_field = "lifecycle_last_full_evaluation"
