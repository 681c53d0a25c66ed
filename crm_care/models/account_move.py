from odoo import models
from odoo.tools import SQL

from odoo.addons.crm_value.sql_arrays import array_literal

# The care's customer of a referred customer's first invoice: the referrer.
REFERRER = "commercial_partner_id.value_referred_by_id"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        first = posted._get_referred_first_invoices()
        if first:
            # Queue, never launch, the care: posting must not wait for
            # activities, followers or emails (nor roll back with them).
            self.env["crm.care.queue"]._queue(
                "referral_invoiced", first, customer=REFERRER
            )
        return posted

    def _get_referred_first_invoices(self):
        """The posted customer invoices of these moves that are the first of
        a referred customer (res.partner.value_referred_by_id) in their
        company: no other posted customer invoice of the customer there but
        later ones posted with it. One query."""
        invoices = self.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.commercial_partner_id.value_referred_by_id
            )
        )
        if not invoices:
            return invoices
        self.flush_model(["commercial_partner_id", "company_id", "state", "move_type"])
        self.env.cr.execute(
            SQL(
                """
            SELECT m.id FROM account_move m
             WHERE m.id = ANY(%(ids)s::int[])
               AND NOT EXISTS (
                   SELECT FROM account_move o
                    WHERE o.commercial_partner_id = m.commercial_partner_id
                      AND o.company_id = m.company_id
                      AND o.state = 'posted' AND o.move_type = 'out_invoice'
                      AND o.id <> m.id
                      AND (o.id < m.id OR NOT o.id = ANY(%(ids)s::int[])))
            """,
                ids=array_literal(invoices.ids),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())
