from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.survey_survey import CARE_KINDS


class CrmCareSurveyWizard(models.TransientModel):
    """Invite customers by hand to a satisfaction survey (NPS, CSAT, CES)."""

    _name = "crm.care.survey.wizard"
    _description = "Send a Satisfaction Survey"

    care_kind = fields.Selection(CARE_KINDS, string="Measure", default="csat")
    survey_id = fields.Many2one(
        "survey.survey",
        required=True,
        compute="_compute_survey_id",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('care_kind', '!=', False), ('certification', '=', False)]",
        help="The company's default survey of the measure (Settings), or another.",
    )
    partner_ids = fields.Many2many("res.partner", string="Customers")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    @api.depends("care_kind")
    def _compute_survey_id(self):
        for wizard in self:
            if wizard.care_kind:
                wizard.survey_id = self.env.company._get_care_survey(wizard.care_kind)

    def action_send(self):
        self.ensure_one()
        # The ids as chosen, not only those the user's rules let through: a
        # customer the user may not see is refused, not silently skipped.
        partners = self.sudo().partner_ids.with_env(self.env)
        if not partners:
            raise UserError(self.env._("Select the customers to survey first."))
        survey = self._care_satisfaction_survey()
        self._check_customers_readable(partners)
        # sudo: sales users need not be survey officers to invite their own
        # customers to a satisfaction survey; only the invitation is made so.
        answers = survey._care_invite(partners.commercial_partner_id)
        if not answers:
            raise UserError(
                self.env._(
                    "No invitation sent: the customers have no email address or "
                    "opted out of emails."
                )
            )
        return {"type": "ir.actions.act_window_close"}

    def _care_satisfaction_survey(self):
        """The chosen survey, as superuser, once it is known to be a
        satisfaction survey (NPS, CSAT or CES): any other survey is refused."""
        survey = self.survey_id.sudo()
        if not survey.care_kind or survey.certification:
            raise UserError(
                self.env._(
                    "“%(survey)s” is not a satisfaction survey: only surveys "
                    "measuring NPS, CSAT or CES can be sent from here.",
                    survey=survey.display_name,
                )
            )
        return survey

    def _check_customers_readable(self, partners):
        """Refuse customers (or their companies) the user may not see."""
        customers = partners | partners.sudo().commercial_partner_id.with_env(self.env)
        hidden = customers - customers._filtered_access("read")
        if hidden:
            raise AccessError(
                self.env._(
                    "You cannot send a survey to customers you have no access to "
                    "(%(count)s of the selected customers).",
                    count=len(hidden),
                )
            )
