from collections import defaultdict

from odoo import api, fields, models

from .crm_care_complaint_stage import OPEN_STATES


class CrmCareComplaintSla(models.AbstractModel):
    """The SLA clock of crm.care.complaint (which inherits it): the policy and
    deadlines of a complaint, its status as it moves and every hour, and the
    escalation of those at risk or late. Works on the complaint's fields
    (stage state, dates received, responded and resolved, SLA fields)."""

    _name = "crm.care.complaint.sla"
    _description = "Complaint SLA"

    @api.depends("category_id", "priority", "company_id")
    def _compute_sla_policy_id(self):
        Policy = self.env["crm.care.sla.policy"]
        for complaint in self:
            complaint.sla_policy_id = Policy._find(
                complaint.company_id, complaint.category_id, complaint.priority
            )

    @api.depends(
        "sla_policy_id.response_hours",
        "sla_policy_id.resolution_hours",
        "sla_policy_id.warning_percent",
        "date_received",
        "company_id.resource_calendar_id",
    )
    def _compute_deadlines(self):
        for complaint in self:
            policy, start = complaint.sla_policy_id, complaint.date_received
            if not (policy and start):
                complaint.response_deadline = complaint.resolution_deadline = False
                complaint.response_warning_date = False
                complaint.resolution_warning_date = False
                continue
            share = policy.warning_percent / 100.0
            company = complaint.company_id
            complaint.response_deadline = policy._deadline(
                company, start, policy.response_hours
            )
            complaint.resolution_deadline = policy._deadline(
                company, start, policy.resolution_hours
            )
            complaint.response_warning_date = policy._deadline(
                company, start, policy.response_hours * share
            )
            complaint.resolution_warning_date = policy._deadline(
                company, start, policy.resolution_hours * share
            )

    def _sla_values(self, now):
        self.ensure_one()
        if not self.sla_policy_id or self.state == "cancelled":
            return {"sla_status": False, "sla_deadline": False, "sla_compliance": 100}
        is_open = self.state in OPEN_STATES
        responded = self.date_responded or now
        resolved = now if is_open else (self.date_resolved or now)
        late_answer = responded > self.response_deadline
        late = late_answer or resolved > self.resolution_deadline
        answer_at_risk = not self.date_responded and now >= self.response_warning_date
        at_risk = (
            is_open
            and not late
            and (now >= self.resolution_warning_date or answer_at_risk)
        )
        status = "late" if late else "at_risk" if at_risk else "on_time"
        if late:
            about_answer = late_answer
        elif at_risk:
            about_answer = answer_at_risk
        else:
            about_answer = is_open and not self.date_responded
        return {
            "sla_status": status,
            "sla_deadline": "response" if about_answer else "resolution",
            "sla_compliance": 0 if late else 100,
        }

    def _sla_refresh(self, now=None):
        """Bring the SLA status up to date (on each move, and hourly)."""
        now = now or fields.Datetime.now()
        # One write per distinct status, of the complaints whose status changed.
        changed = defaultdict(list)
        for complaint in self:
            vals = complaint._sla_values(now)
            if any(complaint[name] != value for name, value in vals.items()):
                changed[tuple(sorted(vals.items()))].append(complaint.id)
        for vals, complaint_ids in changed.items():
            self.browse(complaint_ids).write(dict(vals))

    def _sla_escalate(self):
        """Open complaints at risk or late get one activity for the policy's
        escalation user (or the owner), due on the deadline."""
        to_escalate = self.filtered(
            lambda c: (
                c.state in OPEN_STATES
                and c.sla_status in ("at_risk", "late")
                and not c.sla_escalated
            )
        )
        for complaint in to_escalate:
            policy = complaint.sla_policy_id
            # What is to be done next: the answer, else the resolution.
            about_answer = not complaint.date_responded
            deadline = (
                complaint.response_deadline
                if about_answer
                else complaint.resolution_deadline
            )
            user = policy.escalation_user_id or complaint.user_id or self.env.user
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                **complaint._sla_escalation_values(user, about_answer, deadline),
            )
        to_escalate.sla_escalated = True

    def _sla_escalation_values(self, user, about_answer, deadline):
        """Summary and due day of the escalation activity for `user`: for one
        person, in their language and time zone, whoever runs the check."""
        self.ensure_one()
        complaint = self.with_context(
            lang=user.lang, tz=user.tz or self.env.context.get("tz")
        )
        _ = complaint.env._
        statuses = dict(
            complaint._fields["sla_status"]._description_selection(complaint.env)
        )
        local_deadline = fields.Datetime.context_timestamp(complaint, deadline)
        return {
            "date_deadline": local_deadline.date(),
            "summary": _(
                "SLA %(status)s: %(what)s by %(deadline)s",
                status=statuses[self.sla_status],
                what=_("answer") if about_answer else _("resolve"),
                deadline=local_deadline.strftime("%Y-%m-%d %H:%M"),
            ),
        }

    @api.model
    def _cron_check_sla(self):
        open_complaints = self.search([("state", "in", OPEN_STATES)])
        open_complaints._sla_refresh()
        open_complaints._sla_escalate()

    def message_post(self, **kwargs):
        # A reply to the customer is a response: it stops the response clock.
        message = super().message_post(**kwargs)
        if (
            message.message_type == "comment"
            and not message.subtype_id.internal
            and self.env.user._is_internal()
        ):
            unanswered = self.filtered(lambda c: not c.date_responded)
            if unanswered:
                unanswered.date_responded = fields.Datetime.now()
        return message
