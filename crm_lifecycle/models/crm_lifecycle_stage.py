from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLifecycleStage(models.Model):
    """A stage of the customer lifecycle (客户生命周期), from a collected name to
    a loyal, an at-risk or a lost customer."""

    _name = "crm.lifecycle.stage"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Customer Lifecycle Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by rules and reports.")
    sequence = fields.Integer(
        default=10,
        help="Order of the stages in the status bar and the kanban; a customer "
        "evaluated for the first time starts in the first stage.",
    )
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded", help="Folded in the kanban and the status bar when empty."
    )
    color = fields.Integer()
    action_note = fields.Text(
        string="Recommended Action",
        translate=True,
        help="What to do with the customers in this stage.",
    )
    is_customer = fields.Boolean(
        string="Counts as Customer",
        help="Customers in this stage have bought: they make up the customer "
        "base of the churn rate.",
    )
    is_at_risk = fields.Boolean(
        string="Counts as At Risk",
        help="Entering this stage warns the customer's salesperson with an activity.",
    )
    is_lost = fields.Boolean(
        string="Counts as Lost",
        help="Entering this stage counts as churn; leaving it for a customer "
        "stage counts as a win-back.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A lifecycle stage code must be unique."),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("lifecycle_stage_id", "in", self.ids)],
                ["lifecycle_stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.partner_count = counts.get(stage, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered("partner_count")
        if used:
            raise UserError(
                self.env._(
                    "Customers are in the stage %(stage)s: move them first, or "
                    "archive the stage instead.",
                    stage=used[0].name,
                )
            )

    def _is_pre_sale(self):
        """Whether this stage comes before the first order (reserve, target,
        potential, opportunity): neither customer, at risk nor lost."""
        self.ensure_one()
        return not (self.is_customer or self.is_at_risk or self.is_lost)

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.res_partner_action_lifecycle"
        )
        action["domain"] = [("lifecycle_stage_id", "=", self.id)]
        action["context"] = {}
        return action
