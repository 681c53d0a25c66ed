from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import datetime, safe_eval

RECENCY_CONDITIONS = [
    ("none", "None"),
    ("silent", "No order for more than the threshold"),
    ("recent", "Ordered within the threshold"),
    ("since_stage", "Ordered since entering the current stage"),
]
RECENCY_THRESHOLDS = [
    ("custom", "This rule's days and factor"),
    ("at_risk", "At-risk threshold (settings)"),
    ("lost", "Lost threshold (settings)"),
]


def recency_met(condition, days, factor, facts, stage_date):
    """Whether a customer's order facts (days_since_order, order_interval,
    last_order_date) meet a recency condition with these days and factor:
    factor times the customer's usual interval between orders when known,
    else the days."""
    if condition == "none":
        return True
    if not facts or not facts["last_order_date"]:
        return False
    if condition == "since_stage":
        return not stage_date or facts["last_order_date"] > stage_date
    interval = facts["order_interval"]
    threshold = factor * interval if factor and interval else days
    if not threshold:
        return False
    if condition == "silent":
        return facts["days_since_order"] > threshold
    return facts["days_since_order"] <= threshold


class CrmLifecycleRule(models.Model):
    """Moves customers from some stages to another when its condition is met.

    Rules are data a consultant writes (XML or the form); the engine tries them
    in priority order and the first rule met decides the customer's stage.
    """

    _name = "crm.lifecycle.rule"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Customer Lifecycle Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        string="Priority",
        default=10,
        help="Rules are tried in this order, lowest first; the first rule met "
        "moves the customer.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the rule in every company."
    )
    stage_from_ids = fields.Many2many(
        "crm.lifecycle.stage",
        "crm_lifecycle_rule_stage_from_rel",
        "rule_id",
        "stage_id",
        string="From Stages",
        help="The rule applies to customers in these stages; leave empty for any "
        "stage.",
    )
    stage_to_id = fields.Many2one(
        "crm.lifecycle.stage", string="To Stage", required=True, ondelete="restrict"
    )
    domain = fields.Char(
        string="Condition",
        default="[]",
        required=True,
        help="A domain on contacts, e.g. [('value_order_count', '>=', 2)]. It may "
        "use `company` (the company's settings, e.g. "
        "company.lifecycle_loyal_order_count), `today`, `relativedelta`, "
        "`timedelta` and `datetime`.",
    )
    recency_condition = fields.Selection(
        RECENCY_CONDITIONS,
        default="none",
        required=True,
        help="A condition on the days since the customer's last confirmed order, "
        "beside the domain.",
    )
    recency_threshold = fields.Selection(
        RECENCY_THRESHOLDS,
        string="Threshold",
        default="custom",
        required=True,
        help="The threshold is the factor times the customer's usual time between "
        "orders when they have ordered twice or more, the days otherwise.",
    )
    recency_days = fields.Integer(string="Days")
    recency_interval_factor = fields.Float(
        string="Times the Usual Interval",
        digits=(16, 1),
        help="E.g. 3: no order for more than three times the customer's usual time "
        "between orders.",
    )
    description = fields.Text(translate=True, help="What the rule means, in words.")

    @api.model
    def _get_company_rules(self, company):
        """Active rules that apply to `company`, in the order they are tried."""
        return self.search(
            [("company_id", "in", (False, company.id))], order="sequence, id"
        )

    @api.model
    def _get_eval_context(self, company, today):
        return {
            "company": company,
            "today": today,
            "context_today": lambda: today,
            "datetime": datetime,
            "timedelta": timedelta,
            "relativedelta": relativedelta,
        }

    def _get_domain(self, company, today):
        self.ensure_one()
        return safe_eval(self.domain or "[]", self._get_eval_context(company, today))

    def _get_recency_threshold(self, company):
        """(days, factor) this rule compares the silence of a customer with."""
        self.ensure_one()
        if self.recency_threshold == "at_risk":
            return company.lifecycle_at_risk_days, company.lifecycle_at_risk_factor
        if self.recency_threshold == "lost":
            return company.lifecycle_lost_days, company.lifecycle_lost_factor
        return self.recency_days, self.recency_interval_factor

    def _recency_met(self, company, facts, stage_date):
        """Whether a customer's order facts meet this rule's recency condition."""
        self.ensure_one()
        return recency_met(
            self.recency_condition,
            *self._get_recency_threshold(company),
            facts,
            stage_date,
        )

    @api.constrains(
        "domain",
        "stage_from_ids",
        "stage_to_id",
        "recency_condition",
        "recency_threshold",
        "recency_days",
        "recency_interval_factor",
        "company_id",
    )
    def _check_rule(self):
        for rule in self:
            problem = rule._get_problem()
            if problem:
                raise ValidationError(
                    self.env._(
                        "Lifecycle rule %(rule)s is refused: %(problem)s",
                        rule=rule.name,
                        problem=problem,
                    )
                )

    def _get_problem(self):
        """What is wrong with this rule, in words, or None."""
        self.ensure_one()
        _ = self.env._
        if self.stage_to_id in self.stage_from_ids:
            return _("it moves customers to a stage they are already in.")
        if (
            self.recency_condition in ("silent", "recent")
            and self.recency_threshold == "custom"
            and self.recency_days <= 0
            and self.recency_interval_factor <= 0
        ):
            return _("its recency condition needs days or a factor above 0.")
        if self.recency_days < 0 or self.recency_interval_factor < 0:
            return _("days and factor cannot be negative.")
        company = self.company_id or self.env.company
        Partner = self.env["res.partner"].with_company(company)
        try:
            domain = self._get_domain(company, fields.Date.context_today(self))
            if not isinstance(domain, (list, tuple)):
                raise ValueError(_("it is not a list"))
            with self.env.cr.savepoint():
                Partner.search_count(expression.AND([[("id", "=", 0)], domain]))
        except Exception as error:  # any failure is reported to the consultant
            return _(
                "its condition %(domain)s is not a valid domain on contacts "
                "(%(error)s). Write a list of (field, operator, value) conditions "
                "on contact fields, e.g. [('value_order_count', '>=', 2)].",
                domain=self.domain,
                error=error,
            )
        return None
