from odoo import api, fields, models
from odoo.exceptions import AccessError


class MailMessage(models.Model):
    _inherit = "mail.message"

    care_done_late = fields.Boolean(
        string="Activity Done Late",
        readonly=True,
        help="The message of an activity marked done after its deadline (in the "
        "company's day): Odoo keeps no deadline of a done activity.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if any("care_done_late" in vals for vals in vals_list):
            self._check_care_done_late()
        return super().create(vals_list)

    def write(self, vals):
        if "care_done_late" in vals:
            self._check_care_done_late()
        return super().write(vals)

    @api.model
    def _check_care_done_late(self):
        # Set when the activity is marked done (mail.activity._action_done);
        # the one who did it late may edit their message, not this.
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Whether an activity was done late is recorded when it is "
                    "marked done: it cannot be changed."
                )
            )
