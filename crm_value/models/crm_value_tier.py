import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..analytics.pyramid import TierRule, check_rules
from ..analytics.relationship import propose_level
from ..groups import MANAGER

_logger = logging.getLogger(__name__)

# unique(code, company_id) lets two shared tiers (no company) have one code.
CODE_INDEX = "crm_value_tier_code_scope_uniq"

RELATIONSHIP_LEVELS = [
    ("basic", "Basic"),
    ("reactive", "Reactive"),
    ("accountable", "Accountable"),
    ("proactive", "Proactive"),
    ("partnership", "Partnership"),
]


class CrmValueTier(models.Model):
    """A layer of the customer pyramid; how a customer wins it is data here."""

    _name = "crm.value.tier"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Customer Value Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by rules and reports.")
    sequence = fields.Integer(
        default=10, help="Tiers are tried in this order; the first rule met wins."
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(
        translate=True, help="Who these customers are and how to treat them."
    )
    relationship_level = fields.Selection(
        RELATIONSHIP_LEVELS,
        required=True,
        default="reactive",
        help="Basic: sell and never contact again. Reactive: invite feedback. "
        "Accountable: call after the sale. Proactive: keep in touch with "
        "suggestions and offers. Partnership: work with the customer on their "
        "success.",
    )
    relationship_level_pinned = fields.Boolean(
        string="Pin Level",
        help="Keep the relationship level typed here. Unpinned, the tier follows "
        "the level proposed from its number of customers and their margin, set "
        "after each night's ranking.",
    )
    relationship_customer_count = fields.Integer(
        string="Current Customers",
        compute="_compute_relationship_proposal",
        groups=MANAGER,
        help="Customers in this tier in their current snapshot, in the tier's "
        "company (a shared tier: the current company).",
    )
    relationship_margin_percent = fields.Float(
        string="Margin (%)",
        compute="_compute_relationship_proposal",
        groups=MANAGER,
        digits=(16, 1),
        help="Net profit over revenue of the tier's current customers, on the "
        "profit the pyramid ranks on (analysis window or whole history).",
    )
    relationship_proposed_level = fields.Selection(
        RELATIONSHIP_LEVELS,
        string="Proposed Level",
        compute="_compute_relationship_proposal",
        groups=MANAGER,
        help="Kotler's matrix: few customers with a high margin call for a "
        "partnership, many with a low margin for a basic relationship, the "
        "cells between as the texts draw them (thresholds in the Settings). "
        "Empty while the tier has no customer with revenue.",
    )
    relationship_follows_proposal = fields.Boolean(
        string="Follows the Proposal",
        compute="_compute_relationship_proposal",
        groups=MANAGER,
        help="Whether the nightly ranking sets the proposed level: an unpinned "
        "tier of one company, or a shared tier while only one company ranks on "
        "the shared tiers (when several do, their numbers differ: a shared tier "
        "is then set by hand, or a company makes its own tier set).",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Given to the tier's customers when the company applies tier terms "
        "(Settings), unless a manager pinned the customer's pricelist.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        check_company=True,
        help="Given to the tier's customers when the company applies tier terms "
        "(Settings), unless a manager pinned the customer's payment terms.",
    )
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the tier in every company."
    )
    rule_type = fields.Selection(
        [
            ("profit_share", "Top customers making up X% of total profit"),
            ("customer_share", "Top X% of customers by profit"),
            ("profit_min", "Net profit at least"),
            ("profit_max", "Net profit at most"),
        ],
        string="Won By",
        required=True,
        default="profit_share",
    )
    threshold = fields.Float(
        required=True,
        help="A percentage for the share rules, an amount in company currency "
        "for the profit rules.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    def init(self):
        """A code once per company, and once among the shared tiers: the
        database holds it (the constraint below only explains it)."""
        super().init()
        cr = self.env.cr
        if index_exists(cr, CODE_INDEX):
            return
        cr.execute(
            """
            SELECT code, company_id FROM crm_value_tier
             GROUP BY code, company_id HAVING COUNT(*) > 1
            """
        )
        duplicates = cr.fetchall()
        if duplicates:
            _logger.warning(
                "crm.value.tier: codes used twice %s; unique index %s not created "
                "until they are renamed",
                duplicates,
                CODE_INDEX,
            )
            return
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON crm_value_tier (code, COALESCE(company_id, 0))",
                SQL.identifier(CODE_INDEX),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_code_free(vals.get("code"), vals.get("company_id"))
        return super().create(vals_list)

    def write(self, vals):
        if "code" in vals or "company_id" in vals:
            for tier in self:
                tier._check_code_free(
                    vals.get("code", tier.code),
                    vals["company_id"] if "company_id" in vals else tier.company_id.id,
                )
        return super().write(vals)

    def _check_code_free(self, code, company_id):
        """Refuse a code another tier of that company (or another shared
        tier) has, before the database's unique index would, in words."""
        twin = self.with_context(active_test=False).search(
            [
                ("id", "not in", self.ids),
                ("code", "=", code),
                ("company_id", "=", company_id or False),
            ],
            limit=1,
        )
        if not twin:
            return
        company = self.env["res.company"].browse(company_id)
        if company:
            message = self.env._(
                "The tier code %(code)s is already used by tier %(twin)s of "
                "%(company)s. Give each tier its own code.",
                code=code,
                twin=twin.name,
                company=company.name,
            )
        else:
            message = self.env._(
                "The tier code %(code)s is already used by tier %(twin)s, shared "
                "by every company. Give each tier its own code.",
                code=code,
                twin=twin.name,
            )
        raise ValidationError(message)

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("value_tier_id", "in", self.ids)], ["value_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.depends_context("company")
    def _compute_relationship_proposal(self):
        # A tier's numbers are its company's; a shared tier's, the current one's.
        for company, tiers in self.grouped(
            lambda tier: tier.company_id or self.env.company
        ).items():
            figures = self._get_relationship_figures(company, tiers.ids)
            thresholds = company._get_relationship_thresholds()
            following = tiers._filter_following_proposal(company)
            for tier in tiers:
                count, margin = figures.get(tier.id, (0, None))
                tier.relationship_customer_count = count
                tier.relationship_margin_percent = margin or 0.0
                tier.relationship_proposed_level = propose_level(
                    count, margin, thresholds
                )
                tier.relationship_follows_proposal = tier in following

    @api.model
    def _get_relationship_figures(self, company, tier_ids):
        """{tier id: (current customers, margin % or None without revenue)} in
        `company`, from its current snapshots, on the profit the pyramid ranks
        on: one query."""
        # The profit the pyramid ranks on, over the revenue of its period (the
        # whole history, else the analysis window).
        profit = self.env["crm.value.ranking"]._get_ranking_basis(company)
        prefix = "lifetime_" if company.value_ranking_basis == "lifetime" else ""
        revenue = f"{prefix}revenue"
        self.env["crm.value.snapshot"].flush_model(
            ["tier_id", "company_id", "is_current", profit, revenue]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT tier_id, COUNT(*), 100.0 * SUM(%(profit)s) / NULLIF(SUM(%(revenue)s), 0)
              FROM crm_value_snapshot
             WHERE company_id = %(company)s AND is_current AND tier_id IN %(tiers)s
             GROUP BY tier_id
            """,
                profit=SQL.identifier(profit),
                revenue=SQL.identifier(revenue),
                company=company.id,
                tiers=tuple(tier_ids) or (0,),
            )
        )
        return {
            tier_id: (count, None if margin is None else float(margin))
            for tier_id, count, margin in self.env.cr.fetchall()
        }

    def _filter_following_proposal(self, company):
        """The tiers among these whose level the ranking of `company` sets:
        unpinned, and the company's own, or shared while `company` is the only
        one ranking on the shared tiers (the night of one company must not
        set a level the others see from other numbers)."""
        tiers = self.filtered(lambda tier: not tier.relationship_level_pinned)
        sole_user = bool(tiers._get_shared_records()) and self._ranks_alone_on_shared(
            company
        )
        return tiers.filtered(
            lambda tier: (
                tier.company_id == company or (sole_user and not tier.company_id)
            )
        )

    @api.model
    def _ranks_alone_on_shared(self, company):
        """Whether `company` is the only company without tiers of its own."""
        # Which companies have their own tiers, whatever the reader may see.
        with_own_set = self.sudo().search([("company_id", "!=", False)]).company_id
        return self.env["res.company"].sudo().search([]) - with_own_set == company

    @api.model
    def _apply_relationship_proposals(self, company):
        """Give the tiers `company` ranks on that follow the proposal (see
        _filter_following_proposal) the level proposed from their current
        customers: called once the night's ranking is stored."""
        tiers = self._get_company_tiers(company).with_company(company)
        by_level = defaultdict(self.browse)
        for tier in tiers.filtered("relationship_follows_proposal"):
            level = tier.relationship_proposed_level
            if level and level != tier.relationship_level:
                by_level[level] |= tier
        for level, changed in by_level.items():
            changed.write({"relationship_level": level})

    @api.model
    def _get_company_tiers(self, company):
        """Active tiers that apply to `company`, in the order they are tried:
        the company's own set when it has one, else the shared set (a company
        whose manager wants other thresholds makes its own set, as it may not
        change the shared one: crm.value.shared.mixin)."""
        own = self.search([("company_id", "=", company.id)], order="sequence, id")
        return own or self.search([("company_id", "=", False)], order="sequence, id")

    @api.model
    def action_make_company_tier_set(self):
        """Give the current company its own copy of the shared tiers, which
        its manager may then change (the shared set is every company's)."""
        company = self.env.company
        if self.search_count([("company_id", "=", company.id)]):
            raise UserError(
                self.env._(
                    "%(company)s already has tiers of its own: change them.",
                    company=company.name,
                )
            )
        # One create: the new set is checked as a whole.
        tiers = self.search([("company_id", "=", False)]).copy(
            {"company_id": company.id}
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_value.crm_value_tier_action"
        )
        action["domain"] = [("id", "in", tiers.ids)]
        return action

    @api.constrains("rule_type", "threshold", "sequence", "active", "company_id")
    def _check_rules(self):
        self._check_rules_of(self._companies_concerned())

    def unlink(self):
        companies = self._companies_concerned()
        result = super().unlink()
        self._check_rules_of(companies)
        return result

    def _companies_concerned(self):
        if all(tier.company_id for tier in self):
            return self.mapped("company_id")
        return self.env["res.company"].sudo().search([])

    def _check_rules_of(self, companies, whole_set=None):
        # Data files (of any module, at install, update or by hand) bring
        # tiers one by one: each rule is checked alone, and the whole set once
        # every module has loaded (ir.model.data._process_end).
        if whole_set is None:
            whole_set = self.env.registry.ready and not self.env.context.get(
                "install_filename"
            )
        for company in companies:
            tiers = self._get_company_tiers(company)
            problems = check_rules([TierRule(t.rule_type, t.threshold) for t in tiers])
            if not whole_set:
                problems = [p for p in problems if p.index is not None]
            if problems:
                raise ValidationError(self._describe_problem(tiers, problems[0]))

    @api.model
    def _check_all_rules(self):
        """Check every company's tier set as a whole (called after data loads:
        a broken set fails the load with the reason)."""
        self._check_rules_of(self.env["res.company"].sudo().search([]), whole_set=True)

    def _describe_problem(self, tiers, problem):
        _ = self.env._
        tier = tiers[problem.index] if problem.index is not None else None
        if problem.code == "not_finite":
            return _(
                "Tier %(tier)s: the threshold must be a number, not %(value)s.",
                tier=tier.name,
                value=tier.threshold,
            )
        if problem.code == "percent_range":
            return _(
                "Tier %(tier)s: a percentage must be above 0 and at most 100, "
                "not %(value)s.",
                tier=tier.name,
                value=tier.threshold,
            )
        if problem.code == "overlap":
            return _(
                "Tier %(tier)s can never be won: its threshold %(value)s does not go "
                "past the tier before it with the same rule. Raise the percentage "
                "(or lower the amount) or change the order of the tiers.",
                tier=tier.name,
                value=tier.threshold,
            )
        if problem.code == "gap_positive":
            return _(
                "Some profitable customers would get no tier: one tier must take "
                "every remaining customer with positive profit (a share rule at "
                "100%, or net profit at least 0)."
            )
        return _(
            "Loss-making customers would get no tier: one tier must take every "
            "customer with a net profit of zero or less (net profit at most 0)."
        )

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_value.res_partner_action_customer_value"
        )
        action["domain"] = [("value_tier_id", "=", self.id)]
        action["context"] = {}
        return action
