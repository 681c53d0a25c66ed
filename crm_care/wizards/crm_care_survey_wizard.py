from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmCareSurveyWizard(models.TransientModel):
    """Invite customers by hand to a satisfaction survey (NPS, CSAT, CES)."""

    _name = "crm.care.survey.wizard"
    _description = "Send a Satisfaction Survey"

    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        domain="[('care_kind', '!=', False)]",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_send(self):
        self.ensure_one()
        if not self.partner_ids:
            raise UserError(self.env._("Select the customers to survey first."))
        # Sales users need not be survey officers to invite their customers.
        answers = self.survey_id.sudo()._care_invite(self.partner_ids)
        if not answers:
            raise UserError(
                self.env._(
                    "No invitation sent: the customers have no email address or "
                    "opted out of emails."
                )
            )
        return {"type": "ir.actions.act_window_close"}
