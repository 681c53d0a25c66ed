from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

COMPLAINT_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]


class CrmCareSlaPolicy(models.Model):
    """How fast complaints of a category and priority must be answered and
    resolved, in working hours of the company's calendar.

    A complaint takes the most specific policy that fits it: one naming both
    its category and its priority, then its category, then its priority, then
    one naming neither; by sequence among equals."""

    _name = "crm.care.sla.policy"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Complaint SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to apply the policy in every company."
    )
    category_id = fields.Many2one(
        "crm.care.complaint.category",
        help="Leave empty for complaints of any category.",
    )
    priority = fields.Selection(
        COMPLAINT_PRIORITIES, help="Leave empty for complaints of any priority."
    )
    response_hours = fields.Float(
        string="Respond Within (hours)",
        default=4.0,
        help="Working hours from reception to the first answer to the customer.",
    )
    resolution_hours = fields.Float(
        string="Resolve Within (hours)",
        default=16.0,
        help="Working hours from reception to the resolution.",
    )
    warning_percent = fields.Float(
        string="At Risk After (%)",
        default=75.0,
        help="Share of the allowed working time after which an unanswered or "
        "unresolved complaint is at risk and escalated.",
    )
    escalation_user_id = fields.Many2one(
        "res.users",
        string="Escalate To",
        domain=[("share", "=", False)],
        help="Who gets the escalation activity; empty: the complaint's owner.",
    )

    @api.constrains("response_hours", "resolution_hours", "warning_percent")
    def _check_hours(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolution_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: the response and resolution times "
                        "must be positive.",
                        policy=policy.name,
                    )
                )
            if policy.response_hours > policy.resolution_hours:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: the response time cannot be longer "
                        "than the resolution time.",
                        policy=policy.name,
                    )
                )
            if not 0 < policy.warning_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s: the at-risk share must be between "
                        "0 and 100%%.",
                        policy=policy.name,
                    )
                )

    @api.model
    def _find(self, company, category, priority):
        """The policy for a complaint of `category` and `priority` in `company`,
        or an empty recordset."""
        policies = self.search(
            [
                ("company_id", "in", (False, company.id)),
                ("category_id", "in", (False, category.id)),
                ("priority", "in", (False, priority)),
            ]
        )
        return policies.sorted(
            lambda p: (not p.category_id, not p.priority, p.sequence, p.id)
        )[:1]

    def _deadline(self, company, start, hours):
        """`hours` working hours after `start` (naive UTC) in the company's
        calendar and public holidays; plain hours without a calendar."""
        calendar = company.resource_calendar_id
        if calendar:
            deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            if deadline:
                return deadline
        return start + timedelta(hours=hours)
