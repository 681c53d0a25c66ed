from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        result = super().reconcile()
        invoices = self.move_id.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.payment_state in ("paid", "in_payment")
            )
        )
        if invoices:
            self._care_fire_invoices_paid(invoices)
        return result

    def _care_fire_invoices_paid(self, invoices):
        Plan = self.env["mail.activity.plan"]
        today = fields.Date.context_today(self)
        for company, moves in invoices.grouped("company_id").items():
            plans = Plan._care_plans("invoice_paid", company)
            if not plans:
                continue
            paid_on_time = moves.filtered(
                lambda m: not m.invoice_date_due or _paid_on(m) <= m.invoice_date_due
            )
            for plan in plans:
                targets = paid_on_time if plan.care_paid_on_time_only else moves
                plan._care_launch(
                    [(m.partner_id, f"account.move,{m.id}", m, today) for m in targets]
                )


def _paid_on(invoice):
    """Date of the payment that settled the invoice (the latest reconciled)."""
    lines = invoice.line_ids.filtered(
        lambda line: line.account_type == "asset_receivable"
    )
    dates = lines.matched_credit_ids.mapped("max_date")
    return max(dates) if dates else fields.Date.context_today(invoice)
