from odoo import fields, models


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    value_partner_id = fields.Many2one(
        "res.partner",
        string="Segment Customer",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The customer this contact stands for in the mailing lists of "
        "customer segments (kept in sync with the segment).",
    )
