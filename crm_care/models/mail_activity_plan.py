import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..care_event import CareEvent

CARE_TRIGGERS = [
    ("quotation_sent", "Quotation sent"),
    ("order_confirmed", "Order confirmed"),
    ("delivery_done", "Delivery done"),
    ("invoice_paid", "Invoice paid"),
    ("renewal", "Before a renewal date"),
    ("birthday", "Birthday of a contact"),
    ("purchase_anniversary", "Anniversary of the first purchase"),
    ("tier_changed", "Value tier changed"),
    ("stage_entered", "Lifecycle stage entered"),
    ("periodic", "Every N months"),
    ("complaint_closed", "Complaint closed"),
    ("referral_invoiced", "First invoice of a referred customer"),
]
# Triggers the care scheduler looks for each day; the others fire on their event.
SCHEDULED_TRIGGERS = ("renewal", "birthday", "purchase_anniversary", "periodic")


class MailActivityPlan(models.Model):
    """Odoo's activity plans, launched by themselves on customer events.

    A care plan applies to customers (res.partner); when its trigger fires for
    a customer who matches its filter, its steps are scheduled on the customer,
    once per event (see crm.care.event)."""

    _inherit = "mail.activity.plan"

    # Shipped plans speak the user's language (core's name is not translated;
    # the column goes back to text when Customer Care is uninstalled).
    name = fields.Char(translate=True)
    care_trigger = fields.Selection(
        CARE_TRIGGERS,
        string="Starts On",
        help="Leave empty for a plan launched by hand.",
    )
    care_type = fields.Selection(
        [
            ("pre_sale", "Pre-sale care"),
            ("after_sale", "After-sale care"),
            ("retention", "Retention"),
            ("celebration", "Celebration"),
        ],
    )
    care_domain = fields.Char(
        string="Customers",
        default="[]",
        help="Which customers this plan cares for, e.g. only Platinum and Gold.",
    )
    care_segment_id = fields.Many2one(
        "crm.value.segment",
        string="Customer Segment",
        ondelete="restrict",
        help="Only for the customers of this saved segment (its company's), "
        "checked when the plan starts, besides the filter above.",
    )
    care_days_before = fields.Integer(
        string="Days Before",
        default=30,
        help="For renewals: how many days before the renewal date.",
    )
    care_renewal_field = fields.Char(
        string="Renewal Date Field",
        default="validity_date",
        help="Date field of the sales order holding its renewal date.",
    )
    care_interval_months = fields.Integer(
        string="Every (months)", default=3, help="For periodic care."
    )
    care_tier_direction = fields.Selection(
        [("any", "Up or down"), ("up", "Upgraded"), ("down", "Downgraded")],
        string="Tier Move",
        default="any",
    )
    care_stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        string="Lifecycle Stage",
        ondelete="restrict",
        help="For stage entered: the lifecycle stage customers enter.",
    )
    care_paid_on_time_only = fields.Boolean(
        string="Only If Paid on Time",
        help="For invoice paid: only invoices paid by their due date.",
    )
    care_event_ids = fields.One2many("crm.care.event", "plan_id", string="Care Events")
    care_event_count = fields.Integer(compute="_compute_care_event_count")

    @api.depends("care_event_ids")
    def _compute_care_event_count(self):
        counts = dict(
            self.env["crm.care.event"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.care_event_count = counts.get(plan, 0)

    @api.constrains("care_segment_id", "company_id")
    def _check_care_segment(self):
        for plan in self.filtered("care_segment_id"):
            if plan.company_id and plan.care_segment_id.company_id != plan.company_id:
                raise ValidationError(
                    self.env._(
                        "Care plan %(plan)s: the segment %(segment)s is another "
                        "company's.",
                        plan=plan.name,
                        segment=plan.care_segment_id.name,
                    )
                )

    @api.constrains(
        "care_trigger",
        "res_model",
        "care_domain",
        "care_renewal_field",
        "care_interval_months",
    )
    def _check_care_settings(self):
        for plan in self.filtered("care_trigger"):
            if plan.res_model != "res.partner":
                raise ValidationError(
                    self.env._(
                        "Care plan %(plan)s must apply to contacts: its steps are "
                        "scheduled on the customer.",
                        plan=plan.name,
                    )
                )
            try:
                self.env["res.partner"].search_count(plan._care_domain())
            except Exception as error:  # noqa: BLE001 - any bad domain is refused
                raise ValidationError(
                    self.env._(
                        "Care plan %(plan)s: the customer filter is not valid: %(error)s",
                        plan=plan.name,
                        error=error,
                    )
                ) from error
            if plan.care_trigger == "renewal":
                field = self.env["sale.order"]._fields.get(
                    plan.care_renewal_field or ""
                )
                if not field or field.type not in ("date", "datetime"):
                    raise ValidationError(
                        self.env._(
                            "Care plan %(plan)s: sales orders have no date field %(field)s.",
                            plan=plan.name,
                            field=plan.care_renewal_field,
                        )
                    )
            if plan.care_trigger == "stage_entered" and not plan.care_stage_id:
                raise ValidationError(
                    self.env._(
                        "Care plan %(plan)s starts when a lifecycle stage is "
                        "entered: choose the stage.",
                        plan=plan.name,
                    )
                )
            if plan.care_trigger == "periodic" and plan.care_interval_months < 1:
                raise ValidationError(
                    self.env._(
                        "Care plan %(plan)s must repeat every month or more.",
                        plan=plan.name,
                    )
                )

    def _care_domain(self):
        self.ensure_one()
        return safe_eval(self.care_domain or "[]", {"uid": self.env.uid})

    def _care_segment_domain(self):
        """The plan's segment as a condition on customers: its members, in one
        subquery (the segment's filter over its company's customers)."""
        self.ensure_one()
        if not self.care_segment_id:
            return []
        return [("id", "in", self.care_segment_id.sudo()._get_members_query())]

    # ------------------------------------------------------------------
    # Firing: the one door of care
    # ------------------------------------------------------------------
    @api.model
    def _care_fire(self, trigger, events, once_per_customer=False):
        """Launch the plans of `trigger` that accept each of `events`
        (CareEvent): what the firing model saw happen; each plan decides
        (_care_accepts). With `once_per_customer`, a plan answers only the
        first new event of each customer (two invoices paid by one payment:
        one thank-you). Returns the care events created."""
        created = self.env["crm.care.event"]
        if not events:
            return created
        # An event says where it happened; one that does not happened here.
        events = [
            event if event.company else event._replace(company=self.env.company)
            for event in events
        ]
        companies = self.env["res.company"].union(
            *(event.company for event in events if event.company)
        )
        for plan in self._care_plans(trigger, companies):
            accepted = [event for event in events if plan._care_accepts(event)]
            created |= plan._care_launch(accepted, once_per_customer)
        return created

    @api.model
    def _care_plans(self, trigger, companies=None):
        """The plans starting on `trigger`: shared ones and, when given, those
        of `companies` (else of any company)."""
        domain = [("care_trigger", "=", trigger), ("res_model", "=", "res.partner")]
        if companies is not None:
            domain.append(("company_id", "in", [False, *companies.ids]))
        return self.search(domain)

    def _care_accepts(self, event):
        """Whether this plan answers `event` of its trigger: an event of its
        company (a shared plan: of any), and what its trigger's options ask
        (`_care_accepts_<trigger>(event)`, when the trigger has options)."""
        self.ensure_one()
        if self.company_id and event.company != self.company_id:
            return False
        # A segment's customers are its company's.
        segment = self.care_segment_id
        if segment and event.company != segment.sudo().company_id:
            return False
        accepts = getattr(self, f"_care_accepts_{self.care_trigger}", None)
        return accepts(event) if accepts else True

    def _care_accepts_invoice_paid(self, event):
        return event.paid_on_time or not self.care_paid_on_time_only

    def _care_accepts_tier_changed(self, event):
        return self.care_tier_direction in ("any", event.tier_move)

    def _care_accepts_stage_entered(self, event):
        # The event's document is the lifecycle move (crm.lifecycle.history).
        return event.document.stage_to_id == self.care_stage_id

    def _care_launch(self, events, once_per_customer=False):
        """Schedule this plan's steps for each of `events` (CareEvent), once,
        on customers matching the filter; with `once_per_customer`, only for
        the first event not yet fired of each customer."""
        self.ensure_one()
        customers = self.env["res.partner"].browse(
            {event.partner.commercial_partner_id.id for event in events}
        )
        matching = customers.search(
            [
                ("id", "in", customers.ids),
                *self._care_domain(),
                *self._care_segment_domain(),
            ]
        )
        keyed = [(event, event.key) for event in events]
        fired = self.env["crm.care.event"].search_fetch(
            [
                ("plan_id", "=", self.id),
                ("partner_id", "in", matching.ids),
                ("key", "in", [key for _event, key in keyed]),
            ],
            ["partner_id", "key"],
        )
        done = {(event.partner_id.id, event.key) for event in fired}
        launched = set()
        todo = []
        for event, key in keyed:
            customer = event.partner.commercial_partner_id
            if customer not in matching or (customer.id, key) in done:
                continue
            if once_per_customer:
                if customer in launched:
                    continue
                launched.add(customer)
            done.add((customer.id, key))
            todo.append(event._replace(partner=customer))
        return self.env["crm.care.event"]._schedule(self, todo)

    # ------------------------------------------------------------------
    # The care scheduler (time-based triggers and due emails)
    # ------------------------------------------------------------------
    @api.model
    def _cron_care_scheduler(self):
        # Orders, deliveries and payments queued since the last run (they
        # wake this cron).
        self.env["crm.care.queue"]._launch_queued()
        today = self.env.company._get_value_today()
        for plan in self.search(
            [
                ("care_trigger", "in", SCHEDULED_TRIGGERS),
                ("res_model", "=", "res.partner"),
            ]
        ):
            # Each plan finds the events of its day itself (its options say
            # which: days before a renewal, every N months...).
            plan_today = (plan.company_id or self.env.company)._get_value_today()
            events = getattr(plan, f"_care_events_{plan.care_trigger}")(plan_today)
            plan._care_launch(events)
        self.env["mail.activity"].search(
            [
                "|",
                ("care_mail_template_id", "!=", False),
                ("care_survey_id", "!=", False),
                ("date_deadline", "<=", today),
            ]
        )._care_send_due_emails(today)

    def _care_events_renewal(self, today):
        renewal_day = today + timedelta(days=self.care_days_before)
        field = self.care_renewal_field
        orders = self.env["sale.order"].search(
            [
                ("state", "=", "sale"),
                (field, ">=", renewal_day),
                (field, "<", renewal_day + timedelta(days=1)),
            ]
        )
        return [
            CareEvent(order.partner_id, order, today, occasion=(order[field],))
            for order in orders
        ]

    def _care_events_birthday(self, today):
        # 29 February birthdays are kept on 28 February in other years.
        leap_day = (
            today.month == 2 and today.day == 28 and not calendar.isleap(today.year)
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT id FROM res_partner
             WHERE active AND birthdate_date IS NOT NULL
               AND EXTRACT(month FROM birthdate_date) = %s
               AND (EXTRACT(day FROM birthdate_date) = %s
                    OR (%s AND EXTRACT(day FROM birthdate_date) = 29))
            """,
                today.month,
                today.day,
                leap_day,
            )
        )
        contacts = self.env["res.partner"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )
        return [
            CareEvent(contact, contact, today, occasion=(today.year,))
            for contact in contacts
        ]

    def _care_events_purchase_anniversary(self, today):
        # The first purchase, as the value engine defines one, in the plan's
        # company (a shared plan: in any company).
        engine = self.env["crm.value.engine"]
        engine._flush_purchases()
        purchases = engine._get_purchases_query(self.company_id or None)
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id FROM (%s) purchases
             GROUP BY 1
            HAVING EXTRACT(month FROM MIN(purchased_at)) = %s
               AND EXTRACT(day FROM MIN(purchased_at)) = %s
               AND EXTRACT(year FROM MIN(purchased_at)) < %s
            """,
                purchases,
                today.month,
                today.day,
                today.year,
            )
        )
        customers = self.env["res.partner"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )
        return [
            CareEvent(customer, date=today, occasion=("anniversary", today.year))
            for customer in customers
        ]

    def _care_events_periodic(self, today):
        period = (today.year * 12 + today.month - 1) // self.care_interval_months
        customers = self.env["res.partner"].search(
            [("parent_id", "=", False), ("customer_rank", ">", 0), *self._care_domain()]
        )
        return [
            CareEvent(customer, date=today, occasion=("periodic", period))
            for customer in customers
        ]

    def action_open_care_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.crm_care_event_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action
