from odoo import fields, models


class CrmLifecycleChurnReason(models.Model):
    """Why a customer was lost (流失原因), as Odoo's lost reasons of
    opportunities: recorded on the stage history when a manager marks a
    customer lost, or when the representative completes a churn warning."""

    _name = "crm.lifecycle.churn.reason"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Customer Churn Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: the reason is offered in every company.",
    )
    history_count = fields.Integer(string="Moves", compute="_compute_history_count")

    def _compute_history_count(self):
        counts = dict(
            self.env["crm.lifecycle.history"]._read_group(
                [("churn_reason_id", "in", self.ids)],
                ["churn_reason_id"],
                ["__count"],
            )
        )
        for reason in self:
            reason.history_count = counts.get(reason, 0)

    def action_open_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.crm_lifecycle_history_action"
        )
        action["domain"] = [("churn_reason_id", "=", self.id)]
        action["context"] = {}
        return action
