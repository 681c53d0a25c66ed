from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    care_done_late = fields.Boolean(
        string="Activity Done Late",
        readonly=True,
        help="The message of an activity marked done after its deadline (in the "
        "company's day): Odoo keeps no deadline of a done activity.",
    )
