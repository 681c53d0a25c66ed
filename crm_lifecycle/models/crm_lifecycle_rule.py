import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import datetime, safe_eval

from odoo.addons.crm_value.groups import MANAGER

from ..domain_paths import is_condition, path_fields, subdomain_model
from ..rule_conditions import (
    SETTING_NAMES,
    disallowed_constructs,
    legacy_replacements,
    setting_field,
    unknown_names,
)

_logger = logging.getLogger(__name__)

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


class UnusableCondition(ValueError):
    """A condition that evaluates, but that rules cannot use (it reads what
    it must not, or searches what cannot be searched): its reason in words."""


class CrmLifecycleRule(models.Model):
    """Moves customers from some stages to another when its condition is met.

    Rules are data a consultant writes (XML or the form); the engine tries them
    in priority order and the first rule met decides the customer's stage.
    """

    _name = "crm.lifecycle.rule"
    _inherit = ["crm.value.shared.mixin", "mail.thread", "mail.activity.mixin"]
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
        "read `today`, `relativedelta`, `timedelta`, `datetime` and the "
        "company's settings as numbers: at_risk_days, at_risk_factor, lost_days, "
        "lost_factor, at_risk_p_alive, active_days, loyal_order_count, "
        "loyal_tenure_days.",
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
    problem = fields.Text(
        readonly=True,
        copy=False,
        help="Why the last evaluation skipped this rule (its condition stopped "
        "working, e.g. a field that went away with an addon); cleared when the "
        "rule works again or is saved.",
    )
    problem_date = fields.Date(string="Skipped On", readonly=True, copy=False)
    problem_company_id = fields.Many2one(
        "res.company",
        string="Skipped In",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The company whose evaluation skipped the rule.",
    )

    @api.model
    def _get_company_rules(self, company):
        """Active rules that apply to `company`, in the order they are tried."""
        return self.search(
            [("company_id", "in", (False, company.id))], order="sequence, id"
        )

    @api.model
    def _get_eval_context(self, company, today):
        """What a condition reads: plain values only (numbers, dates,
        relativedelta), never a record, an environment or a callable that
        returns one: a condition is data, written by a consultant, evaluated
        every night by the system."""
        return {
            "today": today,
            "datetime": datetime,
            "timedelta": timedelta,
            "relativedelta": relativedelta,
            **{name: company[setting_field(name)] for name in SETTING_NAMES},
        }

    def _get_domain(self, company, today):
        """The rule's condition evaluated for `company` on `today`, a domain on
        contacts checked as the engine runs it; ValueError (its reason in
        words) when it cannot be used."""
        self.ensure_one()
        _ = self.env._
        context = self._get_eval_context(company, today)
        text = self.domain or "[]"
        unknown = unknown_names(text, context)
        if unknown:
            raise UnusableCondition(
                self._describe_unknown_names(text, unknown, context)
            )
        constructs = disallowed_constructs(text)
        if constructs:
            raise UnusableCondition(
                _(
                    "it uses %(constructs)s, which a condition cannot use. A "
                    "condition is a list of (field, operator, value) conditions "
                    "whose values are numbers, strings, dates and date "
                    "arithmetic (today - relativedelta(days=30)).",
                    constructs=", ".join(constructs),
                )
            )
        domain = safe_eval(text, context)
        if not isinstance(domain, (list, tuple)):
            raise ValueError(_("it is not a list"))
        unsearchable = self._get_unsearchable_fields(self.env["res.partner"], domain)
        if unsearchable:
            raise UnusableCondition(
                _(
                    "it searches %(fields)s, which cannot be searched (computed "
                    "and not stored): the condition would be ignored. Use a "
                    "stored field or one that can be searched.",
                    fields=", ".join(
                        f"{field.get_description(self.env)['string']} "
                        f"({field.model_name}.{field.name})"
                        for field in unsearchable
                    ),
                )
            )
        return list(domain)

    def _describe_unknown_names(self, text, unknown, context):
        _ = self.env._
        replacements = legacy_replacements(text)
        if (
            "company" in unknown
            and replacements
            and all(plain for _old, plain in replacements)
        ):
            return _(
                "conditions no longer read the company: write %(replacements)s.",
                replacements=", ".join(
                    _("%(plain)s instead of %(old)s", plain=plain, old=old)
                    for old, plain in replacements
                ),
            )
        return _(
            "it reads %(names)s, which a condition cannot read. A condition reads "
            "only plain values: %(known)s.",
            names=", ".join(unknown),
            known=", ".join(sorted(context)),
        )

    @api.model
    def _get_unsearchable_fields(self, model, domain):
        """The fields a domain on `model` goes through that cannot be
        searched (Odoo ignores such a condition with a warning)."""
        found = []
        for condition in filter(is_condition, domain):
            steps = path_fields(model, condition[0])
            found += [f for _model, f in steps if not f._description_searchable][:1]
            comodel = subdomain_model(model, condition)
            if comodel is not None:
                found += self._get_unsearchable_fields(comodel, condition[2])
        return found

    def _get_recency_threshold(self, company):
        """(days, factor) this rule compares the silence of a customer with."""
        self.ensure_one()
        if self.recency_threshold == "at_risk":
            return company.lifecycle_at_risk_days, company.lifecycle_at_risk_factor
        if self.recency_threshold == "lost":
            return company.lifecycle_lost_days, company.lifecycle_lost_factor
        return self.recency_days, self.recency_interval_factor

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
            domain = self.with_company(company)._get_domain(
                company, company._get_value_today()
            )
            with self.env.cr.savepoint():
                Partner.search_count(expression.AND([[("id", "=", 0)], domain]))
        except Exception as error:  # any failure is reported to the consultant
            return self._describe_domain_error(error)
        return None

    def _describe_domain_error(self, error):
        if isinstance(error, UnusableCondition):
            return self.env._(
                "its condition %(domain)s cannot be used: %(reason)s",
                domain=self.domain,
                reason=error,
            )
        return self.env._(
            "its condition %(domain)s is not a valid domain on contacts "
            "(%(error)s). Write a list of (field, operator, value) conditions "
            "on contact fields, e.g. [('value_order_count', '>=', 2)].",
            domain=self.domain,
            error=error,
        )

    # ------------------------------------------------------------------
    # Rules that stop working
    # ------------------------------------------------------------------
    def write(self, vals):
        if {"domain", "active"} & vals.keys() and "problem" not in vals:
            # Saved again (the constraint checks it), or archived: the
            # problem is for the next evaluation to tell again.
            vals = {**vals, **self._no_problem()}
        return super().write(vals)

    @api.model
    def _no_problem(self):
        return {"problem": False, "problem_date": False, "problem_company_id": False}

    def _report_problem(self, company, error):
        """The engine skipped this rule for `company`: tell it on the rule,
        in the log, and the Customer Value managers once (an activity when
        the rule breaks, not every night)."""
        self.ensure_one()
        problem = self._describe_problem(company, error)
        _logger.warning(
            "Lifecycle rule %s (id %s) skipped in company %s: %s",
            self.name,
            self.id,
            company.id,
            error,
        )
        newly_broken = not self.problem
        # The system's note on the rule, not an edit of the user evaluating.
        self.sudo().write(
            {
                "problem": problem,
                "problem_date": company._get_value_today(),
                "problem_company_id": company.id,
            }
        )
        if newly_broken:
            self._notify_problem(company, error)

    def _describe_problem(self, company, error):
        """Why the rule was skipped in `company`, in the environment's
        language."""
        return self.env._(
            "Skipped in %(company)s: %(reason)s",
            company=company.name,
            reason=self._describe_domain_error(error),
        )

    def _clear_problem(self, company):
        """These rules worked in `company`: clear the problem it reported."""
        broken = self.filtered(lambda rule: rule.problem_company_id == company)
        if broken:
            broken.sudo().write(self._no_problem())

    def _notify_problem(self, company, error):
        """An activity on the rule for each Customer Value manager who works
        in its company (every manager for a rule of every company), in the
        manager's language."""
        self.ensure_one()
        managers = (
            self.env.ref(MANAGER)
            .sudo()
            .users.filtered(
                lambda user: (
                    not user.share
                    and (not self.company_id or self.company_id in user.company_ids)
                )
            )
        )
        activity_type = self.env.ref(
            "mail.mail_activity_data_warning", raise_if_not_found=False
        )
        if not managers or not activity_type:
            return
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": self.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.with_context(lang=manager.lang).env._(
                        "Lifecycle rule skipped: fix its condition"
                    ),
                    "note": self.with_context(lang=manager.lang)._describe_problem(
                        company, error
                    ),
                    "user_id": manager.id,
                    "date_deadline": (
                        self.company_id or self.env.company
                    )._get_value_today(),
                }
                for manager in managers
            ]
        )
