from odoo import api, fields, models
from odoo.tools import SQL


class CrmValueQueue(models.Model):
    """Customers whose value must be recomputed, marked by postings.

    Append-only: marking inserts a row and never updates one, so posting an
    invoice neither waits for nor locks anything the recompute holds.
    """

    _name = "crm.value.queue"
    _description = "Customer Value Recompute Queue"
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
                "INSERT INTO crm_value_queue (partner_id, company_id) VALUES %s",
                SQL(", ").join(SQL("(%s, %s)", p, c) for p, c in sorted(pairs)),
            )
        )
        self.env.ref("crm_value.ir_cron_recompute_value").sudo()._trigger()
