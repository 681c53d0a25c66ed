from odoo import fields, models
from odoo.tools.translate import html_translate


class MailActivityPlanTemplate(models.Model):
    _inherit = "mail.activity.plan.template"

    # The shipped steps in the user's language (core's are not translated;
    # the columns go back to text when Customer Care is uninstalled).
    summary = fields.Char(translate=True)
    note = fields.Html(translate=html_translate)
    responsible_type = fields.Selection(
        selection_add=[("care_representative", "Dedicated representative")],
        ondelete={"care_representative": "set default"},
    )
    care_mail_template_id = fields.Many2one(
        "mail.template",
        string="Email",
        domain="[('model', '=', 'res.partner')]",
        help="Sent to the customer automatically when this step falls due "
        "(never to customers who opted out of emails).",
    )
    care_survey_id = fields.Many2one(
        "survey.survey",
        string="Survey",
        domain="[('care_kind', '!=', False)]",
        help="The customer is invited to this survey automatically when this "
        "step falls due (never customers who opted out of emails).",
    )

    def _care_texts(self):
        """(summary, note) of the activity this step schedules, in the
        language of the environment: the step's, else its activity type's."""
        self.ensure_one()
        activity_type = self.activity_type_id
        summary = self.summary or activity_type.name or activity_type.summary
        return summary, self.note or activity_type.default_note

    def _determine_responsible(self, on_demand_responsible, applied_on_record):
        if self.responsible_type == "care_representative":
            customer = applied_on_record.commercial_partner_id
            representative = customer.care_user_id or customer.user_id
            return {
                "responsible": representative,
                "error": False
                if representative
                else self.env._(
                    "%(customer)s has no dedicated representative.",
                    customer=customer.display_name,
                ),
            }
        return super()._determine_responsible(on_demand_responsible, applied_on_record)
