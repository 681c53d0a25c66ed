from odoo import api, fields, models
from odoo.tools import SQL


class MailActivity(models.Model):
    _inherit = "mail.activity"

    care_event_id = fields.Many2one(
        "crm.care.event",
        index="btree_not_null",
        ondelete="set null",
    )
    care_mail_template_id = fields.Many2one(
        "mail.template",
        string="Care Email",
        help="Sent by the care scheduler when the activity falls due; the "
        "activity is then done.",
    )
    care_survey_id = fields.Many2one(
        "survey.survey",
        help="The customer is invited to this survey by the care scheduler when "
        "the activity falls due; the activity is then done.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # Odoo forgets a done activity's deadline: its message keeps whether it
        # was done late, for the care coverage (done on time). The messages
        # come in the order of _classify_by_model's activities.
        today = self.env.company._get_value_today()
        late = [
            activity.date_deadline < today
            for data in self._classify_by_model().values()
            for activity in data["activities"]
        ]
        messages, next_activities = super()._action_done(
            feedback=feedback, attachment_ids=attachment_ids
        )
        late_messages = messages.browse(
            message.id
            for message, is_late in zip(messages, late, strict=True)
            if is_late
        )
        # Part of posting them: the author may not edit a notification.
        late_messages.sudo().care_done_late = True
        return messages, next_activities

    @api.model
    def _get_care_touches_query(self, partner_array=None):
        """SQL: one row per activity done with a customer (partner_id: the
        commercial partner, done_at: when it was marked done, UTC), or only
        with the commercial partners in `partner_array` (an array_literal).

        The one definition of a touch, read by the coverage report and the
        care figures: an activity of any type, done by anyone, on the
        customer or one of its contacts (Odoo posts a message of the
        activity's type on the record when it is marked done); on_time: not
        done after its deadline (_action_done)."""
        partners = (
            SQL("AND c.commercial_partner_id = ANY(%s::int[])", partner_array)
            if partner_array is not None
            else SQL()
        )
        return SQL(
            """
            SELECT c.commercial_partner_id AS partner_id, m.date AS done_at,
                   m.care_done_late IS NOT TRUE AS on_time
              FROM mail_message m
              JOIN res_partner c ON c.id = m.res_id
             WHERE m.model = 'res.partner' AND m.mail_activity_type_id IS NOT NULL
                   %s
            """,
            partners,
        )

    @api.model
    def _get_care_due_query(self, partner_array=None):
        """SQL: one row per activity still to do with a customer (partner_id:
        the commercial partner, date_deadline), or only with the commercial
        partners in `partner_array`: the open counterpart of a touch."""
        partners = (
            SQL("AND c.commercial_partner_id = ANY(%s::int[])", partner_array)
            if partner_array is not None
            else SQL()
        )
        return SQL(
            """
            SELECT c.commercial_partner_id AS partner_id, a.date_deadline
              FROM mail_activity a
              JOIN res_partner c ON c.id = a.res_id
             WHERE a.res_model = 'res.partner' AND a.active
                   %s
            """,
            partners,
        )

    def _care_send_due_emails(self, today):
        """Send the care emails and survey invitations of the activities due by
        `today` and mark them done; customers who opted out of emails get none."""
        for activity in self.filtered(
            lambda a: (
                (a.care_mail_template_id or a.care_survey_id)
                and a.date_deadline <= today
            )
        ):
            customer = self.env["res.partner"].browse(activity.res_id)
            # The feedback is the note of the user whose activity it was.
            _ = self.with_context(lang=activity.user_id.lang or self.env.lang).env._
            if customer.is_blacklisted:
                feedback = _("Email not sent: the customer opted out of emails.")
            elif not customer.email:
                feedback = _("Email not sent: the customer has no email address.")
            elif activity.care_survey_id:
                event = activity.care_event_id
                document = (
                    self.env[event.res_model].browse(event.res_id)
                    if event.res_model and event.res_id
                    else None
                )
                # Whoever triggers the care (a salesman confirming an order)
                # need not be a survey officer.
                activity.care_survey_id.sudo()._care_invite(customer, document)
                feedback = _("Survey invitation sent.")
            else:
                activity.care_mail_template_id.send_mail(customer.id)
                feedback = _("Email sent.")
            activity.action_feedback(feedback=feedback)
