from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def action_feedback_schedule_next(self, feedback=False, attachment_ids=None):
        # Completing a churn warning asks why the customer is leaving: the
        # reason wizard marks the warning done once the reason is recorded.
        warning_type = self.env.ref(
            "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
        )
        if len(self) == 1 and warning_type and self.activity_type_id == warning_type:
            return self.env["crm.lifecycle.churn.wizard"]._get_warning_action(
                self, feedback
            )
        return super().action_feedback_schedule_next(feedback, attachment_ids)
