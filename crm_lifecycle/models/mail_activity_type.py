from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    # Marking done an activity of this kind asks a churn reason (the chatter
    # shows one button, leading to mail.activity.action_feedback_schedule_next).
    category = fields.Selection(
        selection_add=[("churn_reason", "Churn Reason")],
        ondelete={"churn_reason": "set default"},
    )
