from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmCareAssignWizard(models.TransientModel):
    """Give many customers the same dedicated representative (and team)."""

    _name = "crm.care.assign.wizard"
    _description = "Assign a Dedicated Representative"

    partner_ids = fields.Many2many("res.partner", string="Customers")
    user_id = fields.Many2one(
        "res.users",
        string="Representative",
        required=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one("crm.care.team", string="Care Team")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_assign(self):
        self.ensure_one()
        customers = self.partner_ids.commercial_partner_id
        if not customers:
            raise UserError(self.env._("Select the customers to assign first."))
        values = {"care_user_id": self.user_id.id}
        if self.team_id:
            values["care_team_id"] = self.team_id.id
        customers.write(values)
        return {"type": "ir.actions.act_window_close"}
