from odoo import api, fields, models
from odoo.tools import SQL


class CrmLifecycleQueue(models.Model):
    """Customers whose lifecycle stage must be evaluated soon, marked by the
    events that matter (leads, orders, value recomputed after postings).

    Append-only: marking inserts a row and never updates one, so the event
    neither waits for nor locks anything the evaluation holds.
    """

    _name = "crm.lifecycle.queue"
    _description = "Customer Lifecycle Evaluation Queue"
    _log_access = False

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    @api.model
    def _mark(self, pairs):
        """Queue (commercial partner id, company id) pairs and wake the cron."""
        pairs = {(p, c) for p, c in pairs if p and c}
        if not pairs:
            return
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_lifecycle_queue (partner_id, company_id) VALUES %s",
                SQL(", ").join(SQL("(%s, %s)", p, c) for p, c in sorted(pairs)),
            )
        )
        self.env.ref("crm_lifecycle.ir_cron_evaluate_lifecycle").sudo()._trigger()
