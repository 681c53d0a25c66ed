from odoo import fields, models


class MailActivityPlanTemplate(models.Model):
    _inherit = "mail.activity.plan.template"

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
