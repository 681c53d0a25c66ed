from odoo import models


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
            # Queue, never launch, the care: the payment must not wait for
            # activities, followers or emails (nor roll back with them).
            self.env["crm.care.queue"]._queue(
                "invoice_paid",
                invoices,
                paid_on_time={
                    invoice.id
                    for invoice in invoices
                    if not invoice.invoice_date_due
                    or _paid_on(invoice) <= invoice.invoice_date_due
                },
            )
        return result


def _paid_on(invoice):
    """Date of the payment that settled the invoice (the latest reconciled)."""
    lines = invoice.line_ids.filtered(
        lambda line: line.account_type == "asset_receivable"
    )
    dates = lines.matched_credit_ids.mapped("max_date")
    return max(dates) if dates else invoice.company_id._get_value_today()
