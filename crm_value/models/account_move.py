from odoo import models
from odoo.tools import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        # The value engine reads a batch of customers' invoices by customer.
        create_index(
            self.env.cr,
            "account_move_commercial_partner_id_index",
            self._table,
            ["commercial_partner_id"],
        )
        return super().init()

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # Queue, never write, the customer: posting must not lock partner rows.
        self.env["crm.value.queue"]._mark(
            (move.commercial_partner_id.id, move.company_id.id)
            for move in posted
            if move.is_sale_document()
            or move.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            )
        )
        return posted
