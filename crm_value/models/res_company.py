import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..analytics.credit_risk import RiskPolicy, policy_errors
from ..analytics.relationship import Thresholds, check_thresholds
from ..analytics.scorecard import DIMENSIONS


class ResCompany(models.Model):
    _inherit = "res.company"

    value_window_months = fields.Integer(
        string="Analysis Window (months)",
        default=12,
        help="Customer value figures are computed over this many months up to "
        "today, beside the figures over the whole history.",
    )
    value_window_start = fields.Date(
        string="Analysis Window From",
        compute="_compute_value_window_start",
        help="First day of the analysis window: the company's today less the "
        "window's months.",
    )
    value_handling_cost = fields.Monetary(
        string="Handling Cost per Order",
        currency_field="currency_id",
        help="Cost of handling one confirmed sales order, counted in each "
        "customer's cost to serve once the order is invoiced (pending until then).",
    )
    value_ranking_basis = fields.Selection(
        [
            ("window", "Net profit over the analysis window"),
            ("lifetime", "Net profit over the whole history"),
            (
                "risk_adjusted",
                "Net profit over the analysis window less expected bad debt",
            ),
        ],
        string="Rank Customers On",
        default="window",
        required=True,
    )
    value_network_weight = fields.Float(
        string="Weight of Network Value (%)",
        default=0.0,
        help="Share of the net profit of the customers a customer referred "
        "counted in the profit it is ranked and scored on (pyramid tier, ABC "
        "class, RFM monetary, value matrix, value score), when positive; 0: "
        "customers are ranked on their own profit alone.",
    )
    value_abc_a_percent = fields.Float(
        string="ABC: Class A up to (%)",
        default=80.0,
        help="Customers making up this share of cumulative profit are class A.",
    )
    value_abc_b_percent = fields.Float(
        string="ABC: Class B up to (%)",
        default=95.0,
        help="Customers after class A, up to this share of cumulative profit, "
        "are class B; the rest are class C.",
    )
    value_clv_horizon_months = fields.Integer(
        string="CLV Horizon (months)",
        default=24,
        help="Months of future profit counted in the predicted lifetime value.",
    )
    value_discount_rate = fields.Float(
        string="Monthly Discount Rate (%)",
        default=1.0,
        help="Rate that brings past profit to today's value and discounts "
        "future profit, per month.",
    )
    value_matrix_split = fields.Selection(
        [("median", "Median"), ("mean", "Mean")],
        default="median",
        required=True,
        help="Where current value and growth potential divide into high and low.",
    )
    value_apply_tier_terms = fields.Boolean(
        string="Apply Tier Terms",
        help="When a customer changes tier, give them the tier's pricelist and "
        "payment terms, unless a manager pinned them on the customer; their "
        "draft quotations follow.",
    )
    value_relationship_few_max = fields.Integer(
        string="Few Customers: at Most",
        default=20,
        help="A tier with at most this many current customers has few of them "
        "(the relationship level proposed for the tier, Kotler's matrix).",
    )
    value_relationship_many_min = fields.Integer(
        string="Many Customers: from",
        default=200,
        help="A tier with at least this many current customers has many of them.",
    )
    value_relationship_low_margin = fields.Float(
        string="Low Margin: below (%)",
        default=10.0,
        help="A tier whose current customers' net profit is below this share of "
        "their revenue has a low margin.",
    )
    value_relationship_high_margin = fields.Float(
        string="High Margin: from (%)",
        default=30.0,
        help="A tier whose current customers' net profit is at least this share "
        "of their revenue has a high margin.",
    )
    # The customer scorecard: the dimensions' weights in the total
    value_scorecard_weight_financial = fields.Float(
        string="Scorecard Weight: Financial",
        default=40.0,
        help="Weight of the financial dimension in a customer's scorecard "
        "total (the weights of the dimensions a customer has a score for are "
        "renormalised: they need not add up to 100).",
    )
    value_scorecard_weight_market = fields.Float(
        string="Scorecard Weight: Market", default=30.0
    )
    value_scorecard_weight_management = fields.Float(
        string="Scorecard Weight: Management", default=15.0
    )
    value_scorecard_weight_learning = fields.Float(
        string="Scorecard Weight: Learning and Growth", default=15.0
    )
    value_last_full_recompute = fields.Date(
        readonly=True,
        help="Day of the last nightly recompute of every customer.",
    )
    # Credit and default risk (crm.value.figure.credit.risk)
    value_risk_bucket_1_days = fields.Integer(
        string="First Overdue Bucket up to (days)",
        default=30,
        help="Open receivable overdue up to this many days is in the first bucket.",
    )
    value_risk_bucket_2_days = fields.Integer(
        string="Second Overdue Bucket up to (days)", default=90
    )
    value_risk_bucket_3_days = fields.Integer(
        string="Third Overdue Bucket up to (days)",
        default=180,
        help="Beyond it, the last bucket.",
    )
    value_risk_loss_not_due = fields.Float(
        string="Loss Rate, Not Due (%)",
        default=1.0,
        help="Share of the open receivable not yet due expected never to be paid.",
    )
    value_risk_loss_1 = fields.Float(string="Loss Rate, First Bucket (%)", default=5.0)
    value_risk_loss_2 = fields.Float(
        string="Loss Rate, Second Bucket (%)", default=20.0
    )
    value_risk_loss_3 = fields.Float(string="Loss Rate, Third Bucket (%)", default=50.0)
    value_risk_loss_4 = fields.Float(string="Loss Rate, Last Bucket (%)", default=80.0)
    value_risk_medium_overdue_days = fields.Integer(
        string="Medium Risk: Overdue over (days)",
        default=30,
        help="A customer whose oldest overdue amount is older is at least medium risk.",
    )
    value_risk_high_overdue_days = fields.Integer(
        string="High Risk: Overdue over (days)", default=90
    )
    value_risk_medium_days_late = fields.Integer(
        string="Medium Risk: Paying Late by over (days)",
        default=15,
        help="A customer whose invoices were paid on average more days than this "
        "after their due date is at least medium risk.",
    )
    value_risk_high_days_late = fields.Integer(
        string="High Risk: Paying Late by over (days)", default=45
    )
    value_risk_medium_credited_percent = fields.Float(
        string="Medium Risk: Credited Back over (%)",
        default=10.0,
        help="A customer with a larger share of their invoiced revenue credited "
        "back over the analysis window is at least medium risk.",
    )
    value_risk_high_credited_percent = fields.Float(
        string="High Risk: Credited Back over (%)", default=25.0
    )
    value_credit_limit_by_risk = fields.Boolean(
        string="Credit Limits by Tier and Risk",
        help="Give each customer the credit limit of their tier and risk grade "
        "(Credit Limits by Risk) when either changes; Odoo's sales credit limit "
        "then warns on their quotations and invoices.",
    )
    value_high_risk_payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms of High Risk Customers",
        help="With Tier Terms on, a customer turning high risk gets these "
        "payment terms (e.g. Immediate Payment, as prepaid) instead of their "
        "tier's, until no longer high; empty: their tier's terms stay.",
    )

    def _get_value_risk_policy(self):
        """The company's credit risk settings (analytics.credit_risk.RiskPolicy)."""
        self.ensure_one()
        return RiskPolicy(
            bounds=(
                self.value_risk_bucket_1_days,
                self.value_risk_bucket_2_days,
                self.value_risk_bucket_3_days,
            ),
            loss_rates=(
                self.value_risk_loss_not_due,
                self.value_risk_loss_1,
                self.value_risk_loss_2,
                self.value_risk_loss_3,
                self.value_risk_loss_4,
            ),
            overdue_days=(
                self.value_risk_medium_overdue_days,
                self.value_risk_high_overdue_days,
            ),
            days_late=(
                self.value_risk_medium_days_late,
                self.value_risk_high_days_late,
            ),
            credited_percent=(
                self.value_risk_medium_credited_percent,
                self.value_risk_high_credited_percent,
            ),
        )

    @api.constrains(
        "value_risk_bucket_1_days",
        "value_risk_bucket_2_days",
        "value_risk_bucket_3_days",
        "value_risk_loss_not_due",
        "value_risk_loss_1",
        "value_risk_loss_2",
        "value_risk_loss_3",
        "value_risk_loss_4",
        "value_risk_medium_overdue_days",
        "value_risk_high_overdue_days",
        "value_risk_medium_days_late",
        "value_risk_high_days_late",
        "value_risk_medium_credited_percent",
        "value_risk_high_credited_percent",
    )
    def _check_value_risk_settings(self):
        for company in self:
            if policy_errors(company._get_value_risk_policy()):
                raise ValidationError(
                    self.env._(
                        "Credit risk settings of %(company)s: the overdue buckets "
                        "must end at rising days above 0, the loss rates lie "
                        "between 0%% and 100%%, and each medium threshold must not "
                        "exceed its high one.",
                        company=company.name,
                    )
                )

    @api.constrains("value_high_risk_payment_term_id")
    def _check_value_high_risk_payment_term(self):
        for company in self:
            term = company.value_high_risk_payment_term_id
            if term.company_id and term.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The payment terms of high risk customers of %(company)s "
                        "must be that company's or shared.",
                        company=company.name,
                    )
                )

    def write(self, vals):
        # Limits by risk are Odoo's credit limits: its warnings must be on.
        if vals.get("value_credit_limit_by_risk"):
            vals = dict(vals, account_use_credit_limit=True)
        return super().write(vals)

    def _get_value_tz(self):
        """The company's time zone: its address's, else its working calendar's,
        else UTC."""
        self.ensure_one()
        if self.partner_id.tz:
            return self.partner_id.tz
        if "resource_calendar_id" in self._fields and self.resource_calendar_id.tz:
            return self.resource_calendar_id.tz
        return "UTC"

    def _get_value_today(self):
        """Today in the company's time zone: the one day the customer value
        figures, snapshots and full passes are dated by, whoever runs them
        (a manager in another time zone, the cron in UTC)."""
        return self._get_value_date(fields.Datetime.now())

    def _get_value_date(self, moment):
        """The company's day of `moment` (a naive UTC datetime, as stored)."""
        self.ensure_one()
        utc = moment.replace(tzinfo=pytz.utc)
        return utc.astimezone(pytz.timezone(self._get_value_tz())).date()

    def _get_value_window_start(self):
        """First day of the analysis window, in the company's day."""
        self.ensure_one()
        return self._get_value_today() - relativedelta(months=self.value_window_months)

    @api.depends("value_window_months")
    def _compute_value_window_start(self):
        for company in self:
            company.value_window_start = company._get_value_window_start()

    @api.constrains(
        "value_window_months",
        "value_abc_a_percent",
        "value_abc_b_percent",
        "value_network_weight",
        "value_clv_horizon_months",
        "value_discount_rate",
        "value_relationship_few_max",
        "value_relationship_many_min",
        "value_relationship_low_margin",
        "value_relationship_high_margin",
    )
    def _check_value_settings(self):
        for company in self:
            if company.value_window_months < 1:
                raise ValidationError(
                    self.env._("The analysis window must be at least one month.")
                )
            if company.value_clv_horizon_months < 0:
                raise ValidationError(
                    self.env._("The lifetime value horizon cannot be negative.")
                )
            if not 0 <= company.value_network_weight <= 100:
                raise ValidationError(
                    self.env._(
                        "The weight of network value is a share between 0%% and "
                        "100%% (%(weight)s).",
                        weight=company.value_network_weight,
                    )
                )
            if company.value_discount_rate <= -100:
                raise ValidationError(
                    self.env._("The monthly discount rate must be above -100%.")
                )
            if not 0 < company.value_abc_a_percent < company.value_abc_b_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "ABC thresholds must satisfy 0 < A < B <= 100 (%(a)s, %(b)s).",
                        a=company.value_abc_a_percent,
                        b=company.value_abc_b_percent,
                    )
                )
            try:
                check_thresholds(company._get_relationship_thresholds())
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Relationship levels: a tier has few customers up to "
                        "%(few)s and many from %(many)s, a low margin below "
                        "%(low)s%% and a high one from %(high)s%%: the counts "
                        "must be whole, few below many, and low at most high.",
                        few=company.value_relationship_few_max,
                        many=company.value_relationship_many_min,
                        low=company.value_relationship_low_margin,
                        high=company.value_relationship_high_margin,
                    )
                ) from error

    @api.constrains(
        "value_scorecard_weight_financial",
        "value_scorecard_weight_market",
        "value_scorecard_weight_management",
        "value_scorecard_weight_learning",
    )
    def _check_value_scorecard_weights(self):
        for company in self:
            weights = company._get_value_scorecard_weights().values()
            if min(weights) < 0 or not sum(weights) > 0:
                raise ValidationError(
                    self.env._(
                        "The scorecard's dimension weights must not be negative, "
                        "and at least one must be above zero."
                    )
                )

    def _get_value_scorecard_weights(self):
        """{scorecard dimension: weight in the total} (analytics.scorecard)."""
        self.ensure_one()
        return {
            dimension: self[f"value_scorecard_weight_{dimension}"]
            for dimension in DIMENSIONS
        }

    def _get_relationship_thresholds(self):
        """The company's bands of Kotler's matrix (analytics.relationship)."""
        self.ensure_one()
        return Thresholds(
            self.value_relationship_few_max,
            self.value_relationship_many_min,
            self.value_relationship_low_margin,
            self.value_relationship_high_margin,
        )
