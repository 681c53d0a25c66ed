from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..analytics.scorecard import Indicator
from ..groups import MANAGER

DIMENSIONS = [
    ("financial", "Financial"),
    ("market", "Market"),
    ("management", "Management"),
    ("learning", "Learning and Growth"),
]
# The scores the scorecard writes to the snapshot: never an indicator's figure.
SCORECARD_SCORES = (
    "score_financial",
    "score_market",
    "score_management",
    "score_learning",
    "score_total",
)
NUMERIC_TYPES = ("integer", "float", "monetary")


class CrmValueScorecardIndicator(models.Model):
    """One indicator of the customer scorecard (客户平衡计分卡): a numeric
    column of the customer's snapshot scored 0-100 within one of the four
    dimensions. Consultant data (crm_value/data, noupdate); an addon adds
    one on its own figure with an XML record."""

    _name = "crm.value.scorecard.indicator"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Customer Scorecard Indicator"
    _order = "dimension, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="The company whose customers this indicator scores; empty: every company.",
    )
    dimension = fields.Selection(DIMENSIONS, required=True, default="financial")
    figure = fields.Char(
        required=True,
        help="The snapshot column scored: the name of a numeric figure or score "
        "of the customer value snapshot (e.g. net_profit, avg_days_to_pay, clv). "
        "A customer without a value for it is left out of this indicator.",
    )
    direction = fields.Selection(
        [("higher", "Higher is Better"), ("lower", "Lower is Better")],
        required=True,
        default="higher",
    )
    weight = fields.Float(
        default=1.0,
        help="The indicator's weight within its dimension. A customer's "
        "dimension score is the weighted mean of the indicators they have a "
        "value for: the weights of those indicators are renormalised.",
    )
    method = fields.Selection(
        [
            ("percentile", "Percentile among the Company's Customers"),
            ("target", "Against a Target"),
        ],
        required=True,
        default="percentile",
        help="Percentile: 100 for the best of the company's customers having a "
        "value, 0 for the worst, ties sharing their average rank. Against a "
        "target: higher is better scores 100 x min(value / target, 1), and 0 "
        "for a value of zero or less; lower is better scores "
        "100 x min(target / value, 1), and 100 for a value of zero or less.",
    )
    target = fields.Float(
        groups=MANAGER,
        aggregator=None,  # a sum of targets means nothing
        help="For the target method: the value that scores 100 (above zero).",
    )

    @api.model
    def _get_scorable_figures(self):
        """The snapshot columns an indicator may score: stored numbers, the
        scorecard's own scores aside."""
        return sorted(
            name
            for name, field in self.env["crm.value.snapshot"]._fields.items()
            if field.store
            and field.type in NUMERIC_TYPES
            and name != "id"
            and name not in SCORECARD_SCORES
        )

    @api.constrains("figure")
    def _check_figure(self):
        valid = self._get_scorable_figures()
        for indicator in self:
            if indicator.figure not in valid:
                raise ValidationError(
                    self.env._(
                        'The scorecard indicator "%(name)s" scores "%(figure)s", '
                        "which is not a numeric column of the customer value "
                        "snapshot. Use one of: %(valid)s.",
                        name=indicator.name,
                        figure=indicator.figure,
                        valid=", ".join(valid),
                    )
                )

    @api.constrains("figure", "method")
    def _check_target_on_amounts(self):
        # Score = 100 x value / target: on a figure only managers see, the
        # score users read would give the amount away.
        Snapshot = self.env["crm.value.snapshot"]
        for indicator in self:
            field = Snapshot._fields.get(indicator.figure)
            if indicator.method == "target" and field and field.groups:
                raise ValidationError(
                    self.env._(
                        'The scorecard indicator "%(name)s" scores "%(figure)s", '
                        "a figure only managers see, against a target: the score "
                        "would tell users the amount. Score it by percentile.",
                        name=indicator.name,
                        figure=indicator.figure,
                    )
                )

    @api.constrains("weight", "method", "target")
    def _check_weight_and_target(self):
        for indicator in self.sudo():
            if indicator.weight < 0:
                raise ValidationError(
                    self.env._(
                        'The weight of the scorecard indicator "%(name)s" must '
                        "not be negative.",
                        name=indicator.name,
                    )
                )
            if indicator.method == "target" and indicator.target <= 0:
                raise ValidationError(
                    self.env._(
                        'The scorecard indicator "%(name)s" scores against a '
                        "target: set a target above zero.",
                        name=indicator.name,
                    )
                )

    @api.model
    def _get_company_indicators(self, company):
        """[(figure, analytics.scorecard.Indicator)] of the active indicators
        of `company` (its own and every company's) whose figure is a column
        of this database, in one query."""
        # The engine's read of the company's configuration (target is for
        # managers' eyes), limited to that company by the domain.
        indicators = self.sudo().search_fetch(
            [("company_id", "in", (False, company.id))],
            ["figure", "dimension", "direction", "weight", "method", "target"],
        )
        valid = set(self._get_scorable_figures())
        return [
            (
                indicator.figure,
                Indicator(
                    indicator.dimension,
                    indicator.direction,
                    indicator.weight,
                    indicator.method,
                    indicator.target,
                ),
            )
            for indicator in indicators
            if indicator.figure in valid
        ]
