from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

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
