from collections import defaultdict

from odoo import api, fields, models

from .crm_care_complaint_stage import OPEN_STATES
from .crm_care_queue import CANCELLED

# Order states that start care, and the trigger each starts.
STATE_TRIGGERS = {"sent": "quotation_sent", "sale": "order_confirmed"}
# Orders that warn of the customer's open complaints.
WARNING_STATES = ("draft", "sent", "sale")
# Open complaints named in the warning, the most urgent first.
NAMED_COMPLAINTS = 5


class SaleOrder(models.Model):
    _inherit = "sale.order"

    care_user_id = fields.Many2one(
        related="partner_id.commercial_partner_id.care_user_id",
        string="Dedicated Representative",
    )
    care_open_complaint_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_care_complaint_warning",
        help="The customer's complaints in this company not resolved yet.",
    )
    care_complaint_warning = fields.Text(
        string="Open Complaints Warning",
        compute="_compute_care_complaint_warning",
        help="Shown on quotations and orders of a customer with open complaints, "
        "naming those you may read.",
    )

    @api.depends_context("uid")
    @api.depends("partner_id", "company_id", "state")
    def _compute_care_complaint_warning(self):
        orders = self.filtered(
            lambda order: order.state in WARNING_STATES and order.partner_id
        )
        counts = orders._get_care_open_complaint_counts()
        named = orders._get_care_open_complaints_readable()
        self.care_open_complaint_count = 0
        self.care_complaint_warning = False
        for order in orders:
            key = (order.partner_id.commercial_partner_id.id, order.company_id.id)
            if counts.get(key):
                order.care_open_complaint_count = counts[key]
                order.care_complaint_warning = order._format_care_complaint_warning(
                    counts[key], named.get(key, [])
                )

    def _get_care_open_complaint_domain(self):
        return [
            ("partner_id", "in", self.partner_id.commercial_partner_id.ids),
            ("company_id", "in", self.company_id.ids),
            ("state", "in", OPEN_STATES),
        ]

    def _get_care_open_complaint_counts(self):
        """{(customer id, company id): open complaints}, for everyone who
        sells to the customer: the warning discloses only how many (as
        sale's credit warning reads the credit as superuser); the complaints
        themselves only as the user may read them."""
        if not self:
            return {}
        return {
            (customer.id, company.id): count
            for customer, company, count in self.env["crm.care.complaint"]
            .sudo()
            ._read_group(
                self._get_care_open_complaint_domain(),
                ["partner_id", "company_id"],
                ["__count"],
            )
        }

    def _get_care_open_complaints_readable(self):
        """{(customer id, company id): [open complaint]} of those the user may
        read (record rules applied), the first NAMED_COMPLAINTS of each."""
        Complaint = self.env["crm.care.complaint"]
        if not self or not Complaint.has_access("read"):
            return {}
        named = defaultdict(list)
        for complaint in Complaint.search_fetch(
            self._get_care_open_complaint_domain(),
            ["name", "subject", "partner_id", "company_id"],
        ):
            key = (complaint.partner_id.id, complaint.company_id.id)
            if len(named[key]) < NAMED_COMPLAINTS:
                named[key].append(complaint)
        return named

    def _format_care_complaint_warning(self, count, complaints):
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id.display_name
        if count == 1:
            text = self.env._("%(customer)s has an open complaint.", customer=customer)
        else:
            text = self.env._(
                "%(customer)s has %(count)s open complaints.",
                customer=customer,
                count=count,
            )
        if not complaints:
            return text
        names = ", ".join(f"{c.name} ({c.subject})" for c in complaints)
        if count > len(complaints):
            names = self.env._(
                "%(names)s and %(more)s more", names=names, more=count - len(complaints)
            )
        return f"{text} {names}."

    def action_view_care_open_complaints(self):
        """The customer's open complaints in this company that the user may
        read."""
        self.ensure_one()
        self.env["crm.care.complaint"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.crm_care_complaint_action"
        )
        customer = self.partner_id.commercial_partner_id
        action["domain"] = self._get_care_open_complaint_domain()
        action["context"] = {
            "default_partner_id": customer.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_confirm(self):
        """Confirm, then tell the user of the customers' open complaints
        (a warning, not a block: the order is confirmed)."""
        result = super().action_confirm()
        warnings = [order.care_complaint_warning for order in self]
        warnings = [warning for warning in warnings if warning]
        if not warnings:
            return result
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("Open complaints"),
                "message": "\n".join(warnings),
                "sticky": True,
                "next": result
                if isinstance(result, dict)
                else {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def write(self, vals):
        state = vals.get("state")
        if state not in (*STATE_TRIGGERS, "cancel"):
            return super().write(vals)
        changed = self.filtered(lambda order: order.state != state)
        result = super().write(vals)
        if changed:
            # Queue, never launch, the care (nor cancel it): confirming or
            # cancelling an order does not wait for activities or emails.
            self.env["crm.care.queue"]._queue(
                CANCELLED if state == "cancel" else STATE_TRIGGERS[state], changed
            )
        return result
