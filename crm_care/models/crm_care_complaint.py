from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import email_normalize, html2plaintext, plaintext2html

from odoo.addons.crm_value.groups import INTERNAL

from .crm_care_complaint_stage import DONE_STATES, OPEN_STATES
from .crm_care_sla_policy import COMPLAINT_PRIORITIES

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("web", "Web Form"),
    ("portal", "Customer Portal"),
    ("visit", "Visit"),
]
SLA_STATUSES = [
    ("on_time", "On Time"),
    ("at_risk", "At Risk"),
    ("late", "Late"),
]
# A CSAT (1-5) at or above this: the customer was satisfied with the resolution.
SATISFIED_CSAT = 4
# Changes that move the deadlines or the status.
SLA_FIELDS = {
    "stage_id",
    "category_id",
    "priority",
    "company_id",
    "date_received",
    "date_responded",
    "date_resolved",
}
# Changes that move the customer's cost to serve.
COST_FIELDS = {"cost", "stage_id", "partner_id", "company_id", "date_received"}


class CrmCareComplaint(models.Model):
    """A customer's complaint, from reception to resolution, with deadlines
    (SLA), the root cause, what was done about it (PDCA) and how satisfied the
    customer was afterwards (投诉处理)."""

    _name = "crm.care.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.thread.cc", "mail.activity.mixin"]
    _order = "priority desc, date_received desc, id desc"
    _primary_email = "email_from"
    # Customers may write on their complaints from the portal.
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
    )
    subject = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("parent_id", "=", False)],
        help="The company (or person) complaining; contacts count for their company.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        check_company=True,
        help="Who complained, when not the customer itself.",
    )
    email_from = fields.Char(string="Email")
    phone = fields.Char()
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    category_id = fields.Many2one(
        "crm.care.complaint.category",
        tracking=True,
        check_company=True,
        index="btree_not_null",
    )
    # Readable by customers: the default order sorts by it.
    priority = fields.Selection(
        COMPLAINT_PRIORITIES, default="1", required=True, tracking=True
    )
    description = fields.Html()
    document_ref = fields.Reference(
        selection=[
            ("sale.order", "Sales Order"),
            ("stock.picking", "Delivery"),
            ("account.move", "Invoice"),
        ],
        string="About",
        help="The order, delivery or invoice the complaint is about.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="Who handles the complaint: by default the customer's dedicated "
        "representative.",
    )
    team_id = fields.Many2one(
        "crm.care.team",
        string="Care Team",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        groups=INTERNAL,
    )
    stage_id = fields.Many2one(
        "crm.care.complaint.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_expand_full",
        default=lambda s: s.env["crm.care.complaint.stage"].search([], limit=1),
    )
    state = fields.Selection(related="stage_id.state", store=True, index=True)
    root_cause = fields.Text(
        help="Why it happened, found by the investigation.", groups=INTERNAL
    )
    resolution = fields.Html(help="What was done for this customer.")
    # PDCA: the improvement taken so that it does not happen again.
    pdca_plan = fields.Text(
        string="Plan", help="What we plan to change, and why.", groups=INTERNAL
    )
    pdca_do = fields.Text(
        string="Do", help="What was changed, by whom, when.", groups=INTERNAL
    )
    pdca_check = fields.Text(
        string="Check", help="Did the change work? Measured how?", groups=INTERNAL
    )
    pdca_act = fields.Text(
        string="Act",
        help="What becomes the standard, or what next.",
        groups=INTERNAL,
    )

    date_received = fields.Datetime(
        string="Received", required=True, default=fields.Datetime.now, copy=False
    )
    date_responded = fields.Datetime(
        string="First Response",
        copy=False,
        help="When the customer first heard from us: the first reply sent, or "
        "the complaint taken in hand.",
    )
    date_resolved = fields.Datetime(string="Resolved", copy=False)
    date_closed = fields.Datetime(string="Closed", copy=False)
    resolution_days = fields.Float(
        string="Resolution Time (days)",
        compute="_compute_resolution_days",
        store=True,
        aggregator="avg",
        digits=(16, 2),
    )

    sla_policy_id = fields.Many2one(
        "crm.care.sla.policy",
        string="SLA Policy",
        compute="_compute_sla_policy_id",
        store=True,
        readonly=False,
        groups=INTERNAL,
    )
    response_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, string="Respond By"
    )
    resolution_deadline = fields.Datetime(
        compute="_compute_deadlines", store=True, string="Resolve By"
    )
    response_warning_date = fields.Datetime(
        compute="_compute_deadlines", store=True, groups=INTERNAL
    )
    resolution_warning_date = fields.Datetime(
        compute="_compute_deadlines", store=True, groups=INTERNAL
    )
    # Readable by customers: what their deadlines and dates tell them anyway
    # (and the views decorate complaints with it).
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA",
        readonly=True,
        copy=False,
        tracking=True,
        help="On time, at risk (most of the allowed time used) or late (a "
        "deadline passed); updated as the complaint moves and every hour.",
    )
    sla_deadline = fields.Selection(
        [("response", "Respond By"), ("resolution", "Resolve By")],
        string="SLA Deadline",
        readonly=True,
        copy=False,
        help="The deadline the SLA status is about: the answer while the "
        "customer waits for one (or when it came late), else the resolution.",
    )
    sla_compliance = fields.Integer(
        string="SLA Compliance (%)",
        readonly=True,
        copy=False,
        default=100,
        aggregator="avg",
        help="100 when both deadlines are kept, 0 when one was missed: its "
        "average over any group is the share of complaints within SLA.",
        groups=INTERNAL,
    )
    sla_escalated = fields.Boolean(
        string="Escalated", readonly=True, copy=False, groups=INTERNAL
    )

    cost = fields.Monetary(
        compute="_compute_cost",
        store=True,
        readonly=False,
        help="What handling this complaint costs, counted in the customer's cost "
        "to serve; by default the category's cost.",
        groups=INTERNAL,
    )
    csat_score = fields.Integer(
        string="Satisfaction After",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="The CSAT (1-5) the customer gave after the complaint was closed; 0 "
        "without answer.",
        groups=INTERNAL,
    )
    satisfied = fields.Boolean(
        string="Resolved to Satisfaction",
        compute="_compute_satisfied",
        store=True,
        help=f"The customer answered the survey after closing with {SATISFIED_CSAT} "
        "or 5 out of 5.",
        groups=INTERNAL,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_user_id(self):
        for complaint in self:
            customer = complaint.partner_id
            complaint.user_id = (
                customer.care_user_id or customer.user_id or complaint.user_id
            )
            complaint.team_id = customer.care_team_id or complaint.team_id

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return result

    @api.depends("date_received", "date_resolved")
    def _compute_resolution_days(self):
        for complaint in self:
            if complaint.date_resolved and complaint.date_received:
                delta = complaint.date_resolved - complaint.date_received
                complaint.resolution_days = max(delta.total_seconds(), 0) / 86400
            else:
                complaint.resolution_days = 0.0

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

    @api.depends("category_id")
    def _compute_cost(self):
        for complaint in self:
            complaint.cost = complaint.category_id.cost

    @api.depends("csat_score")
    def _compute_satisfied(self):
        for complaint in self:
            complaint.satisfied = complaint.csat_score >= SATISFIED_CSAT

    # ------------------------------------------------------------------
    # Create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._split_contact(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("crm.care.complaint")
                    or "/"
                )
        complaints = super().create(vals_list)
        complaints._apply_stage_dates(fields.Datetime.now())
        complaints._sla_refresh()
        complaints._queue_cost_to_serve()
        # Who complained follows the complaint: replies reach them by email.
        for complaint in complaints.filtered("partner_id"):
            complaint.message_subscribe(
                (complaint.contact_id or complaint.partner_id).ids
            )
        return complaints

    def write(self, vals):
        self._split_contact(vals)
        closing = self.browse()
        if "stage_id" in vals:
            stage = self.env["crm.care.complaint.stage"].browse(vals["stage_id"])
            closing = self.filtered(
                lambda c: stage.state == "closed" and c.state != "closed"
            )
        cost_moves = COST_FIELDS & set(vals)
        if cost_moves:
            self._queue_cost_to_serve()  # the customer before the change
        result = super().write(vals)
        if "stage_id" in vals:
            self._apply_stage_dates(fields.Datetime.now())
        if SLA_FIELDS & set(vals):
            self._sla_refresh()
        if cost_moves:
            self._queue_cost_to_serve()
        if closing:
            closing._fire_closed_care()
        return result

    @api.model
    def _split_contact(self, vals):
        """A contact given as the customer: the contact complained, its company
        is the customer."""
        if not vals.get("partner_id"):
            if vals.get("contact_id"):
                contact = self.env["res.partner"].browse(vals["contact_id"])
                vals["partner_id"] = contact.commercial_partner_id.id
            return
        partner = self.env["res.partner"].browse(vals["partner_id"])
        if partner.commercial_partner_id != partner:
            vals["contact_id"] = vals.get("contact_id") or partner.id
            vals["partner_id"] = partner.commercial_partner_id.id

    def _apply_stage_dates(self, now):
        """Stamp the first response, resolution and closing as the complaint
        moves; reopening clears the resolution."""
        for complaint in self:
            state, vals = complaint.state, {}
            if state not in ("new", "cancelled") and not complaint.date_responded:
                vals["date_responded"] = now
            if state in DONE_STATES and not complaint.date_resolved:
                vals["date_resolved"] = now
            if state == "closed" and not complaint.date_closed:
                vals["date_closed"] = now
            if state in OPEN_STATES and complaint.date_resolved:
                vals.update(date_resolved=False, date_closed=False)
            if vals:
                complaint.write(vals)

    def _queue_cost_to_serve(self):
        self.env["crm.value.queue"]._mark(
            (c.partner_id.id, c.company_id.id) for c in self
        )

    def _fire_closed_care(self):
        """Closing starts the "complaint closed" care plans: by default the
        CSAT survey about this complaint."""
        Plan = self.env["mail.activity.plan"]
        for company, complaints in (
            self.filtered("partner_id").grouped("company_id").items()
        ):
            today = company._get_value_today()
            Plan._care_fire(
                "complaint_closed",
                [(c.partner_id, f"{c._name},{c.id}", c, today) for c in complaints],
                company,
            )

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Mail: replies count as a response; the email alias creates complaints
    # ------------------------------------------------------------------
    def message_post(self, **kwargs):
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

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to the complaints alias: a complaint of the sender's
        company, found by the sender's address (unknown senders are kept with
        their address, for someone to match by hand)."""
        values = dict(custom_values or {})
        sender = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not sender or sender.user_ids.filtered(lambda user: not user.share):
            sender = self._find_sender(msg_dict.get("email_from"))
        body = msg_dict.get("body") or ""
        values.setdefault(
            "subject", msg_dict.get("subject") or self.env._("(no subject)")
        )
        values.setdefault("channel", "email")
        values.setdefault("description", plaintext2html(html2plaintext(body)))
        if sender:
            values.setdefault("partner_id", sender.id)
            if sender.company_id and "company_id" not in values:
                values["company_id"] = sender.company_id.id
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _find_sender(self, email):
        """The contact writing from `email`, to file the complaint for its
        company; not our own staff, whose address says nothing of a customer."""
        email = email_normalize(email or "")
        if not email:
            return self.env["res.partner"]
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", email),
                    "|",
                    ("user_ids", "=", False),
                    ("user_ids.share", "=", True),
                ],
                limit=1,
            )
        )

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        contact = self.contact_id or self.partner_id
        if contact:
            self._message_add_suggested_recipient(
                recipients, partner=contact, reason=self.env._("Customer")
            )
        elif self.email_from:
            self._message_add_suggested_recipient(
                recipients, email=self.email_from, reason=self.env._("Customer Email")
            )
        return recipients
