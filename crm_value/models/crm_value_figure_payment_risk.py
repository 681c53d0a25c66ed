from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source


@figure_source
class CrmValueFigurePaymentRisk(models.AbstractModel):
    """How the customer pays: what is overdue, and how late it pays."""

    _name = "crm.value.figure.payment.risk"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Payment Risk"
    _figure_sequence = 40
    _figures = (
        Figure(
            "overdue_amount",
            fields.Monetary,
            managers_only=True,
            snapshot={"aggregator": "sum"},
            partner={
                "string": "Overdue",
                "help": "Open receivable past its due date, today.",
            },
        ),
        Figure(
            "avg_days_to_pay",
            fields.Float,
            # No invoice paid in the window: no value (not 0 days, the best).
            default=None,
            snapshot={"string": "Average Days to Pay", "aggregator": "avg"},
            partner={
                "aggregator": "avg",
                "string": "Average Days to Pay",
                "digits": (16, 1),
                "help": "Days from invoice date to full payment, weighted by "
                "invoice amount, over the invoices of the analysis window.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """Open receivable past due, and the amount-weighted days from invoice
        date to full payment of the invoices paid in the window (and past
        their due date: the credit risk grade's lateness, derived there)."""
        overdue = self._fetch_by_partner(
            SQL(
                """
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(l.amount_residual) AS overdue_amount
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
              JOIN res_partner p ON p.id = l.partner_id
             WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND l.date_maturity < %(today)s AND l.amount_residual > 0
               AND p.commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY 1
            """,
                **scope,
            )
        )
        # The date each invoice was paid in full: its last reconciliation.
        # For a few customers, by index from their invoices; for many, from
        # the window's reconciliations at once: a reconciliation's date is the
        # later of its two lines', never before the invoice's accounting date,
        # so within the window.
        if not scope["whole_books"]:
            paid_on = SQL(
                """
             CROSS JOIN LATERAL (
                   SELECT MAX(apr.max_date) AS paid_on
                     FROM account_move_line rl
                     JOIN account_account a ON a.id = rl.account_id
                     JOIN account_partial_reconcile apr ON apr.debit_move_id = rl.id
                    WHERE rl.move_id = m.id AND a.account_type = 'asset_receivable'
                   ) pay
                """
            )
        else:
            paid_on = SQL(
                """
              JOIN (
                   SELECT rl.move_id, MAX(apr.max_date) AS paid_on
                     FROM account_partial_reconcile apr
                     JOIN account_move_line rl ON rl.id = apr.debit_move_id
                     JOIN account_account a ON a.id = rl.account_id
                    WHERE a.account_type = 'asset_receivable'
                      AND apr.max_date >= %(date_from)s
                    GROUP BY rl.move_id
                   ) pay ON pay.move_id = m.id
                """,
                **scope,
            )
        paid = self._fetch_by_partner(
            SQL(
                """
            SELECT m.commercial_partner_id AS partner_id,
                   SUM(m.amount_total_signed * (pay.paid_on - m.invoice_date))
                     / NULLIF(SUM(m.amount_total_signed), 0) AS avg_days_to_pay,
                   -- for the credit risk grade (never stored): the days paid
                   -- past each invoice's own due date, as its terms were then
                   SUM(m.amount_total_signed * (pay.paid_on
                       - COALESCE(m.invoice_date_due, m.invoice_date)))
                     / NULLIF(SUM(m.amount_total_signed), 0) AS risk_days_late
              FROM account_move m
              %(paid_on)s
             WHERE m.company_id = %(company)s AND m.state = 'posted'
               AND m.move_type = 'out_invoice' AND m.payment_state IN ('paid', 'in_payment')
               AND m.invoice_date >= %(date_from)s AND pay.paid_on IS NOT NULL
               AND m.commercial_partner_id = ANY(%(partner_array)s::int[])
             GROUP BY 1
            """,
                paid_on=paid_on,
                **scope,
            )
        )
        for pid, values in paid.items():
            overdue.setdefault(pid, {}).update(values)
        return overdue
