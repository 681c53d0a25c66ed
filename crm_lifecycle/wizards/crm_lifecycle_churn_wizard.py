from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.crm_value.groups import MANAGER


class CrmLifecycleChurnWizard(models.TransientModel):
    """Why customers left, asked as Odoo asks why an opportunity was lost
    (crm.lead.lost): a manager marking customers lost, or the representative
    completing a churn warning, picks a reason and writes a note; both are
    kept on the customer's stage history."""

    _name = "crm.lifecycle.churn.wizard"
    _description = "Record a Churn Reason"

    partner_ids = fields.Many2many("res.partner", string="Customers")
    activity_id = fields.Many2one(
        "mail.activity",
        string="Churn Warning",
        readonly=True,
        ondelete="cascade",
        help="The warning being completed: done once the reason is recorded.",
    )
    stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        string="Lost Stage",
        domain=[("is_lost", "=", True)],
        default=lambda self: self.env["crm.lifecycle.stage"].search(
            [("is_lost", "=", True)], limit=1
        ),
        help="The stage customers not lost yet are moved to.",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, readonly=True
    )
    churn_reason_id = fields.Many2one(
        "crm.lifecycle.churn.reason",
        required=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    churn_note = fields.Text(string="Note")

    @api.model
    def _get_warning_action(self, activity, feedback=False):
        """The wizard completing this churn warning, its feedback as the note."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Why Is the Customer Leaving?"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_activity_id": activity.id,
                "default_partner_ids": [activity.res_id],
                "default_churn_note": feedback or False,
            },
        }

    def action_apply(self):
        """Record the reason on the customers' stays, moving those not lost
        yet to the lost stage (a manager), or completing the churn warning
        (its representative)."""
        self.ensure_one()
        if self.churn_reason_id.company_id not in (
            self.env.company,
            self.env.company.browse(),
        ):
            raise UserError(
                self.env._("Choose a churn reason of this company or a shared one.")
            )
        if self.activity_id:
            partners = self._check_warning()
        else:
            partners = self._mark_lost()
        # The history is the system's log, which no user reads or writes
        # through the ORM as such: who may record was checked just above.
        History = self.env["crm.lifecycle.history"].sudo()
        stays = History._get_open_stays(self.env.company, partners)
        stays._record_churn_reason(self.churn_reason_id, self.churn_note)
        if self.activity_id:
            self.activity_id.action_feedback(feedback=self._get_feedback())
        return {"type": "ir.actions.act_window_close"}

    def _check_warning(self):
        """The customer of the churn warning completed, refused unless the
        user is the one warned or a manager."""
        activity = self.activity_id.sudo()
        warning_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if activity.activity_type_id != warning_type or (
            activity.res_model != "res.partner"
        ):
            raise UserError(
                self.env._("Only a churn warning asks why a customer is leaving.")
            )
        if activity.user_id != self.env.user and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "The churn warning is for %(user)s: only they or a Customer "
                    "Value manager can complete it.",
                    user=activity.user_id.name,
                )
            )
        return self.env["res.partner"].browse(activity.res_id)

    def _mark_lost(self):
        """The customers, moved to the lost stage if they are not there yet,
        by a manager only."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only Customer Value managers can mark customers lost.")
            )
        partners = self.partner_ids.commercial_partner_id
        if not partners:
            raise UserError(self.env._("Choose the customers who were lost."))
        if not self.stage_id.is_lost:
            raise UserError(self.env._("Choose a stage that counts as lost."))
        partners.filtered(lambda p: not p.lifecycle_stage_id.is_lost).write(
            {"lifecycle_stage_id": self.stage_id.id}
        )
        return partners

    def _get_feedback(self):
        """The done warning's feedback: the reason and the note."""
        text = self.env._("Churn reason: %(reason)s", reason=self.churn_reason_id.name)
        return f"{text}\n{self.churn_note}" if self.churn_note else text
