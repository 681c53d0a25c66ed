from odoo import fields, models

CARE_KINDS = [
    ("nps", "Net Promoter Score"),
    ("csat", "Customer Satisfaction"),
    ("ces", "Customer Effort"),
]


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    care_kind = fields.Selection(
        CARE_KINDS,
        string="Satisfaction Measure",
        help="What the scale question of this survey measures: NPS (0-10), "
        "CSAT (1-5) or CES (1-7, 7 = very easy). Its answers then count in the "
        "customers' satisfaction figures.",
    )

    def _care_invite(self, customers, document=None):
        """Invite the customers (their company's email) to this survey: one
        answer each, linked to `document`, and the survey's invitation email.
        Customers who opted out of emails or have none are skipped; returns
        the answers created."""
        self.ensure_one()
        template = self.env.ref("survey.mail_template_user_input_invite")
        answers = self.env["survey.user_input"]
        for customer in customers.commercial_partner_id:
            if customer.is_blacklisted or not customer.email:
                continue
            answer = self._create_answer(
                partner=customer,
                check_attempts=False,
                care_res_model=document._name if document else False,
                care_res_id=document.id if document else False,
            )
            template.send_mail(
                answer.id, email_layout_xmlid="mail.mail_notification_light"
            )
            answers |= answer
        return answers
