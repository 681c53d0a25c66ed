from odoo import api, fields, models

from odoo.addons.crm_value.groups import INTERNAL

from ..care_event import CareEvent
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
    # The gateway first: its mail overrides come before mail.thread's.
    _inherit = [
        "crm.care.complaint.gateway",
        "crm.care.complaint.sla",
        "crm.care.complaint.knowledge",
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
    ]
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
        complaints = self.filtered("partner_id")
        today = {
            company: company._get_value_today() for company in complaints.company_id
        }
        self.env["mail.activity.plan"]._care_fire(
            "complaint_closed",
            [
                CareEvent(c.partner_id, c, today[c.company_id], c.company_id)
                for c in complaints
            ],
        )
