from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from ..figures import PARTNER_MIRRORS, mirror_name
from ..groups import INTERNAL, MANAGER
from ..groups import USER as VALUE_USER
from ..tools.field_search import search_with
from .crm_value_network import COMMERCIAL_DOMAIN
from .crm_value_snapshot import QUADRANTS, TIER_MOVES
from .crm_value_tier_terms_mixin import PINNED_BY, TERMS

# Written by the scoring, ranking and network, shown on the partner as value_<column>
# (value_score as is) from the current snapshot. The figures of the sources
# are mirrored by their declaration (crm_value.figures.figure_source).
SCORE_MIRRORS = (
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_segment_id",
    "p_alive",
    "expected_orders",
    "quadrant",
    "value_score",
    "tier_move",
    "clv_historical",
    "clv_future",
    "clv",
    "referral_count",
    "network_profit",
    "lifetime_network_profit",
    "segment_revenue_share",
    "score_financial",
    "score_market",
    "score_management",
    "score_learning",
    "score_total",
)


# {partner field: snapshot column} of the scores read from the current
# snapshot; the sources' figures are in PARTNER_MIRRORS (filled as each addon
# declares them: of every addon imported by this server, not only this
# database's, hence the check of the field in _get_current_snapshot_fields).
SCORE_COLUMN_OF = {mirror_name(column): column for column in SCORE_MIRRORS}
# What the dependency degree (crm.value.figure.dependency) is computed from.
DEPENDENCY_INPUTS = {
    "value_dependency_source",
    "value_logistics_volume",
    "value_dependency_manual",
}
# The computes of the fields mirroring the current snapshot.
SNAPSHOT_COMPUTES = ("_compute_value_public", "_compute_value_amounts")


class ResPartner(models.Model):
    _name = "res.partner"
    # The mixins first: their checks and SQL run before the overrides of the
    # addons below (base, mail, sale...), as this class's own would.
    _inherit = [
        "crm.value.engine.fields.mixin",
        "crm.value.company.keyed.mixin",
        "crm.value.current.snapshot.mixin",
        "crm.value.bulk.tracking.mixin",
        "crm.value.tier.terms.mixin",
        "res.partner",
    ]

    value_tier_id = fields.Many2one(
        "crm.value.tier",
        groups=INTERNAL,
        company_dependent=True,
        copy=False,
        index=False,  # a GIN index instead, see _get_company_key_many2ones
        tracking=True,
        help="The customer's layer of the customer pyramid in this company, from "
        "its net profit; recomputed nightly unless locked.",
    )
    value_tier_color = fields.Integer(related="value_tier_id.color", groups=INTERNAL)
    value_tier_locked = fields.Boolean(
        string="Lock Tier",
        company_dependent=True,
        copy=False,
        groups=MANAGER,
        tracking=True,
        help="Keep the tier set by hand: the nightly recompute leaves it alone.",
    )
    value_abc_class = fields.Selection(
        [("A", "Class A"), ("B", "Class B"), ("C", "Class C")],
        groups=INTERNAL,
        string="ABC Class",
        company_dependent=True,
        copy=False,
        help="A: the customers making up the first 80% of cumulative profit, "
        "B: up to 95%, C: the rest (thresholds in the settings).",
    )
    value_tier_description = fields.Text(
        groups=INTERNAL, related="value_tier_id.description", string="How to Treat Them"
    )
    value_relationship_level = fields.Selection(
        groups=INTERNAL,
        related="value_tier_id.relationship_level",
        string="Relationship Level",
    )
    value_currency_id = fields.Many2one(
        "res.currency", compute="_compute_value_currency_id"
    )
    value_window_start = fields.Date(
        string="Analysis Window From",
        compute="_compute_value_window_start",
        groups=INTERNAL,
        help="The figures of the analysis window count from this day (the "
        "company's today less the window's months).",
    )
    value_date = fields.Date(
        groups=INTERNAL, string="Value Computed On", compute="_compute_value_public"
    )
    value_snapshot_count = fields.Integer(
        compute="_compute_value_public", groups=INTERNAL
    )
    value_rfm_recency = fields.Integer(
        aggregator=None,
        groups=INTERNAL,
        string="RFM Recency",
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "rfm_recency"),
        help="1-5: 5 for the customers who bought most recently.",
    )
    value_rfm_frequency = fields.Integer(
        aggregator=None,
        groups=INTERNAL,
        string="RFM Frequency",
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "rfm_frequency"),
        help="1-5: 5 for the customers who order most often.",
    )
    value_rfm_monetary = fields.Integer(
        aggregator=None,
        groups=INTERNAL,
        string="RFM Monetary",
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "rfm_monetary"),
        help="1-5: 5 for the customers who bring the most profit.",
    )
    value_rfm_segment_id = fields.Many2one(
        "crm.value.rfm.segment",
        groups=INTERNAL,
        string="RFM Segment",
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "rfm_segment_id"),
    )
    value_p_alive = fields.Float(
        aggregator="avg",
        groups=INTERNAL,
        string="P(alive)",
        compute="_compute_value_public",
        digits=(16, 2),
        search=search_with("_search_on_current_snapshot", "p_alive"),
        help="Probability that the customer still buys from you, from their "
        "purchase history (BG/NBD model); empty until enough customers reorder.",
    )
    value_expected_orders = fields.Float(
        groups=INTERNAL,
        string="Expected Orders (12 months)",
        compute="_compute_value_public",
        digits=(16, 2),
        search=search_with("_search_on_current_snapshot", "expected_orders"),
    )
    value_quadrant = fields.Selection(
        QUADRANTS,
        groups=INTERNAL,
        string="Value Matrix",
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "quadrant"),
        help="Current value (net profit) against growth potential (predicted "
        "future profit), each high or low.",
    )
    value_score = fields.Float(
        aggregator="avg",
        groups=INTERNAL,
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_with("_search_on_current_snapshot", "value_score"),
        help="0-100: the length of the value vector (economic, functional and "
        "psychological value, each scaled by percentile).",
    )
    value_tier_move = fields.Selection(
        TIER_MOVES,
        groups=INTERNAL,
        string="Tier Movement",
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "tier_move"),
        help="How the customer's tier changed from its previous snapshot.",
    )
    # The customer explained, rendered from the stored facts when read.
    value_tier_reason = fields.Text(
        string="Why This Tier",
        groups=VALUE_USER,
        compute="_compute_value_tier_reason",
        help="The customer's rank and share of profit in the last ranking, and "
        "the rule of its tier.",
    )
    value_tier_next_step = fields.Text(
        string="To Move Up",
        groups=MANAGER,
        compute="_compute_value_tier_next_step",
        help="The extra net profit that would win the tier above, the other "
        "customers' figures unchanged.",
    )
    value_history_chart = fields.Json(
        string="Value History",
        groups=VALUE_USER,
        compute="_compute_value_history_chart",
        help="Tier (and net profit, for managers) at the last snapshot of each "
        "of the last 12 months.",
    )
    value_pricelist_pinned = fields.Boolean(
        string="Pin Pricelist",
        company_dependent=True,
        copy=False,
        groups=MANAGER,
        help="Keep this customer's pricelist when their tier changes (set when "
        "a manager changes it by hand).",
    )
    value_payment_term_pinned = fields.Boolean(
        string="Pin Payment Terms",
        company_dependent=True,
        copy=False,
        groups=MANAGER,
        help="Keep this customer's payment terms when their tier changes (set "
        "when a manager changes them by hand).",
    )
    value_terms_readonly = fields.Boolean(
        string="Terms Set by the Tier",
        compute="_compute_value_terms_readonly",
        help="The company applies tier terms: the pricelist and payment terms "
        "follow the customer's tier, and only Customer Value managers change "
        "them by hand.",
    )

    value_clv_historical = fields.Monetary(
        string="Historical Lifetime Value",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_with("_search_on_current_snapshot", "clv_historical"),
        help="Profit so far, brought to today's value at the monthly discount rate.",
    )
    value_clv_future = fields.Monetary(
        string="Future Lifetime Value",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_with("_search_on_current_snapshot", "clv_future"),
        help="Predicted profit over the horizon (BG/NBD orders times Gamma-Gamma "
        "profit per order), discounted to today.",
    )
    value_clv = fields.Monetary(
        string="Lifetime Value",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_with("_search_on_current_snapshot", "clv"),
        help="Historical plus future lifetime value.",
    )

    # Network value (网络化价值): who referred the customer, and what the
    # customers it referred bring (crm.value.network).
    value_referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        groups=INTERNAL,
        domain=COMMERCIAL_DOMAIN,
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="The customer who brought this one to you (word of mouth): the "
        "profit of this customer counts in the referrer's network value.",
    )
    value_referred_partner_count = fields.Integer(
        string="Referrals",
        compute="_compute_value_referred_partner_count",
        groups=INTERNAL,
        help="Customers who name this one as their referrer.",
    )
    value_referral_count = fields.Integer(
        string="Referred Customers Who Bought",
        groups=INTERNAL,
        compute="_compute_value_public",
        search=search_with("_search_on_current_snapshot", "referral_count"),
        help="Customers referred by this one who have bought from this company.",
    )
    value_network_profit = fields.Monetary(
        string="Network Profit",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_with("_search_on_current_snapshot", "network_profit"),
        help="Net profit over the analysis window of the customers this one referred.",
    )
    value_lifetime_network_profit = fields.Monetary(
        string="Lifetime Network Profit",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_with("_search_on_current_snapshot", "lifetime_network_profit"),
        help="Net profit over the whole history of the customers this one referred.",
    )
    value_rank_includes_network = fields.Boolean(
        string="Rank Includes Referrals",
        groups=INTERNAL,
        compute="_compute_value_rank_includes_network",
        help="The profit this customer is ranked on counts a share of the net "
        "profit of the customers it referred (weight of network value, Settings).",
    )

    @api.constrains("value_referred_by_id")
    def _check_value_referred_by_id(self):
        for partner in self:
            customer = partner.commercial_partner_id
            seen = {customer}
            referrer = partner.value_referred_by_id.commercial_partner_id
            while referrer:
                if referrer in seen:
                    raise ValidationError(
                        self.env._(
                            "%(customer)s cannot be referred by %(referrer)s: the "
                            "referrals would go round in a circle (a customer "
                            "is never its own referrer, even through others). "
                            "Choose another referrer or clear the field.",
                            customer=customer.display_name,
                            referrer=partner.value_referred_by_id.display_name,
                        )
                    )
                seen.add(referrer)
                referrer = referrer.value_referred_by_id.commercial_partner_id

    def _compute_value_referred_partner_count(self):
        counts = self.env["crm.value.network"]._get_referral_counts(self)
        for partner in self:
            partner.value_referred_partner_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    @api.depends_context("company")
    def _compute_value_rank_includes_network(self):
        company = self.env.company
        if company.value_network_weight <= 0:
            self.value_rank_includes_network = False
            return
        column = self.env["crm.value.network"]._get_network_basis(company)
        snapshots = self._current_snapshots([column])
        for partner in self:
            partner.value_rank_includes_network = (
                snapshots[partner.id].get(column) or 0.0
            ) > 0

    # The customer scorecard (crm.value.scorecard), 0-100 each.
    value_score_financial = fields.Float(
        aggregator="avg",
        groups=VALUE_USER,
        string="Financial Score",
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_with("_search_on_current_snapshot", "score_financial"),
        help="0-100: the weighted mean of the customer's financial indicators "
        "(Customer Value > Configuration > Scorecard Indicators).",
    )
    value_score_market = fields.Float(
        aggregator="avg",
        groups=VALUE_USER,
        string="Market Score",
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_with("_search_on_current_snapshot", "score_market"),
        help="0-100: the weighted mean of the customer's market indicators.",
    )
    value_score_management = fields.Float(
        aggregator="avg",
        groups=VALUE_USER,
        string="Management Score",
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_with("_search_on_current_snapshot", "score_management"),
        help="0-100: the weighted mean of the customer's management indicators.",
    )
    value_score_learning = fields.Float(
        aggregator="avg",
        groups=VALUE_USER,
        string="Learning and Growth Score",
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_with("_search_on_current_snapshot", "score_learning"),
        help="0-100: the weighted mean of the customer's learning and growth "
        "indicators.",
    )
    value_score_total = fields.Float(
        aggregator="avg",
        groups=VALUE_USER,
        string="Scorecard Total",
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_with("_search_on_current_snapshot", "score_total"),
        help="0-100: the mean of the customer's dimension scores, weighted by "
        "the company's dimension weights (Settings); a dimension without any "
        "indicator value is left out.",
    )
    value_segment_revenue_share = fields.Float(
        groups=MANAGER,
        string="Share of Segment Revenue (%)",
        compute="_compute_value_amounts",
        digits=(16, 2),
        search=search_with("_search_on_current_snapshot", "segment_revenue_share"),
        help="The customer's revenue over the analysis window as a share of the "
        "revenue of all the company's customers in the same RFM segment.",
    )
    value_scorecard_chart = fields.Json(
        string="Scorecard Chart",
        groups=VALUE_USER,
        compute="_compute_value_scorecard_chart",
        help="The four dimension scores, beside the company's average.",
    )

    @api.depends_context("company", "uid")
    def _compute_value_terms_readonly(self):
        self.value_terms_readonly = (
            self.env.company.value_apply_tier_terms
            and not self._may_write_engine_fields()
        )

    @api.depends_context("company")
    def _compute_value_currency_id(self):
        self.value_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_value_window_start(self):
        self.value_window_start = self.env.company._get_value_window_start()

    def _current_snapshots(self, columns):
        """{partner id: values} of the current snapshot of each commercial partner.

        Read as superuser because the amount columns are manager-only: callers
        only assign fields the current user is allowed to read.
        """
        commercial = self.commercial_partner_id
        rows = (
            self.env["crm.value.snapshot"]
            .sudo()
            .search_read(
                [
                    ("partner_id", "in", commercial.ids),
                    ("is_current", "=", True),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "date", *columns],
                load=None,  # ids, not display names of partners and segments
            )
        )
        by_commercial = {row["partner_id"]: row for row in rows}
        return {p.id: by_commercial.get(p.commercial_partner_id.id, {}) for p in self}

    def _get_snapshot_mirrors(self, compute):
        """{partner field: snapshot column} of the figures `compute` mirrors."""
        return {
            fname: column
            for fname, column in self._get_current_snapshot_fields().items()
            if self._fields[fname].compute == compute
        }

    @api.depends_context("company")
    def _compute_value_public(self):
        mirrors = self._get_snapshot_mirrors("_compute_value_public")
        snapshots = self._current_snapshots(mirrors.values())
        counts = dict(
            self.env["crm.value.snapshot"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            row = snapshots[partner.id]
            partner.value_date = row.get("date")
            partner.value_snapshot_count = counts.get(partner.commercial_partner_id, 0)
            for fname, column in mirrors.items():
                value = row.get(column) or False
                partner[fname] = value[0] if isinstance(value, tuple) else value

    @api.depends_context("company")
    def _compute_value_amounts(self):
        mirrors = self._get_snapshot_mirrors("_compute_value_amounts")
        snapshots = self._current_snapshots(mirrors.values())
        for partner in self:
            row = snapshots[partner.id]
            for fname, column in mirrors.items():
                partner[fname] = row.get(column) or 0.0

    def _value_standings(self):
        """{partner id: (Standing, tier, tiers)} of the partners the company's
        last ranking classed (a contact stands where its company stands)."""
        company = self.env.company
        Standing = self.env["crm.value.standing"]
        standings = Standing._get_standings(company, self.commercial_partner_id.ids)
        tiers = self.env["crm.value.tier"]._get_company_tiers(company)
        result = {}
        for partner in self:
            standing = standings.get(partner.commercial_partner_id.id)
            if standing and partner.value_tier_id:
                result[partner.id] = (standing, partner.value_tier_id, tiers)
        return result

    def _value_ranked_network_profits(self):
        """{partner id: the share of its network profit its rank counts} (the
        weight of network value times its positive network profit)."""
        company = self.env.company
        if company.value_network_weight <= 0:
            return {}
        column = self.env["crm.value.network"]._get_network_basis(company)
        weight = company.value_network_weight / 100.0
        return {
            pid: weight * max(row.get(column) or 0.0, 0.0)
            for pid, row in self._current_snapshots([column]).items()
        }

    @api.depends_context("company", "lang", "uid")
    def _compute_value_tier_reason(self):
        Standing = self.env["crm.value.standing"]
        standings = self._value_standings()
        company = self.env.company
        network = self._value_ranked_network_profits()
        with_amounts = self.env.user.has_group(MANAGER)
        for partner in self:
            if partner.id not in standings:
                partner.value_tier_reason = False
            elif partner.sudo().value_tier_locked:
                partner.value_tier_reason = self.env._(
                    "%(tier)s was set by a Customer Value manager and is locked: "
                    "the nightly ranking leaves it alone.",
                    tier=partner.value_tier_id.name,
                )
            else:
                reason = Standing._describe_tier(*standings[partner.id], company)
                extra = Standing._describe_network(
                    network.get(partner.id), company, with_amounts
                )
                partner.value_tier_reason = f"{reason} {extra}" if extra else reason

    @api.depends_context("company", "lang")
    def _compute_value_tier_next_step(self):
        Standing = self.env["crm.value.standing"]
        standings = self._value_standings()
        for partner in self:
            if partner.id not in standings or partner.value_tier_locked:
                partner.value_tier_next_step = False
            else:
                partner.value_tier_next_step = (
                    Standing._describe_next_tier(
                        *standings[partner.id], self.env.company
                    )
                    or False
                )

    @api.depends_context("company", "lang", "uid")
    def _compute_value_history_chart(self):
        history = self.env["crm.value.standing"]._get_history(
            self.env.company,
            self.commercial_partner_id.ids,
            with_amounts=self.env.user.has_group(MANAGER),
        )
        for partner in self:
            partner.value_history_chart = history.get(
                partner.commercial_partner_id.id, False
            )

    @api.depends_context("company", "lang")
    def _compute_value_scorecard_chart(self):
        charts = self.env["crm.value.scorecard"]._get_radar_charts(
            self.env.company, self.commercial_partner_id.ids
        )
        for partner in self:
            partner.value_scorecard_chart = charts.get(
                partner.commercial_partner_id.id, False
            )

    # ------------------------------------------------------------------
    # Lists filtered, sorted and grouped in SQL: the tier by company key,
    # the figures of the current snapshot
    # ------------------------------------------------------------------
    def _get_company_key_many2ones(self):
        return [*super()._get_company_key_many2ones(), "value_tier_id"]

    def _get_current_snapshot_fields(self):
        mirrored = {**PARTNER_MIRRORS, **SCORE_COLUMN_OF}
        return {
            **super()._get_current_snapshot_fields(),
            **{
                fname: column
                for fname, column in mirrored.items()
                if fname in self._fields
                and self._fields[fname].compute in SNAPSHOT_COMPUTES
            },
        }

    # ------------------------------------------------------------------
    # Fields the engines decide
    # ------------------------------------------------------------------
    def _get_engine_fields(self):
        return super()._get_engine_fields() | {
            "value_tier_id",
            "value_tier_locked",
            "value_abc_class",
            "value_pricelist_pinned",
            "value_payment_term_pinned",
            # The network figures the nightly pass computes.
            "value_referral_count",
            "value_network_profit",
            "value_lifetime_network_profit",
            "value_rank_includes_network",
            # Where the tier decides them (Settings).
            *(PINNED_BY if self.env.company.value_apply_tier_terms else ()),
        }

    def write(self, vals):
        if vals.keys() & DEPENDENCY_INPUTS:
            # The dependency degree is a figure of the nightly run: queue them
            # in the user's companies and wherever they already have figures.
            customers = self.commercial_partner_id
            pairs = {
                (customer.id, company.id)
                for customer in customers
                for company in self.env.companies
            }
            pairs.update(
                (customer.id, company.id)
                for customer, company in self.env["crm.value.snapshot"]
                .sudo()
                ._read_group(
                    [("partner_id", "in", customers.ids), ("is_current", "=", True)],
                    ["partner_id", "company_id"],
                )
            )
            self.env["crm.value.queue"]._mark(pairs)
        if not self.env.su and self._may_write_engine_fields():
            # A manager's terms set by hand stay when the tier changes.
            vals = {
                **{PINNED_BY[fname]: True for fname in vals.keys() & PINNED_BY},
                **vals,
            }
        result = super().write(vals)
        if "value_tier_id" in vals:
            self._recompute_quotation_tiers()
        unpinned = any(vals.get(pin) is False for pin, _order in TERMS.values())
        if "value_tier_id" in vals or unpinned:
            self._apply_value_tier_terms()
        return result

    def _recompute_quotation_tiers(self):
        """The quotations of these customers in this company follow their new
        tier (sale.order._compute_value_tier_id); confirmed orders keep theirs."""
        Order = self.env["sale.order"]
        quotations = (
            Order.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", self.ids),
                    ("state", "in", ("draft", "sent")),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        )
        self.env.add_to_compute(Order._fields["value_tier_id"], quotations)

    def _commercial_fields(self):
        # A referral is the customer's: its contacts share its referrer.
        return [*super()._commercial_fields(), "value_referred_by_id"]

    def _fields_sync(self, values):
        # Odoo reads each written partner's contacts to sync the fields they
        # share with it: none of those in the nightly tier and stage writes,
        # which skip that read of every customer's contacts.
        synced = {"parent_id", "type", *self._commercial_fields()}
        if values.keys() & synced.union(self._address_fields()):
            return super()._fields_sync(values)
        return None

    def _get_value_risk_responsible(self):
        """{partner id: user} told when the customer turns high credit risk (a
        hook: customer care gives it to the dedicated representative)."""
        return {partner.id: partner.user_id for partner in self if partner.user_id}

    def _get_value_tier_terms(self):
        """While a customer is high credit risk, the company's high-risk payment
        terms (Settings) are theirs, whatever their tier's."""
        terms = super()._get_value_tier_terms()
        term = self.env.company.value_high_risk_payment_term_id
        if term:
            for partner in self.filtered(lambda p: p.value_risk_grade == "high"):
                terms.setdefault(partner.id, {})["property_payment_term_id"] = term.id
        return terms

    def action_recompute_value(self):
        """Recompute the value and tier of the selected customers now."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only Customer Value managers can recompute customer value.")
            )
        # The engine writes the figures and tiers it computes (managers need
        # not be contact creators), as the nightly run does; the chatter
        # still names the manager.
        engine = self.env["crm.value.engine"].sudo()
        engine._recompute_partners(self.env.company, self.commercial_partner_id.ids)
        self.env["crm.value.scoring"].sudo()._refresh_company(self.env.company)
        return True

    def action_open_value_referrals(self):
        """The customers this one referred."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Referrals"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [
                (
                    "value_referred_by_id",
                    "in",
                    self.env["crm.value.network"]._with_contacts(self).ids,
                ),
                *COMMERCIAL_DOMAIN,
            ],
            "context": {"default_value_referred_by_id": self.commercial_partner_id.id},
        }

    def action_open_value_snapshots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_value.crm_value_snapshot_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_date": 0}
        return action

    # ------------------------------------------------------------------
    # Saved segments (crm.value.segment) and the dependency degree
    # ------------------------------------------------------------------
    value_segment_ids = fields.Many2many(
        "crm.value.segment",
        string="Segments",
        compute="_compute_value_segment_ids",
        search="_search_value_segment_ids",
        groups=VALUE_USER,
        help="The saved segments of your companies this customer belongs to.",
    )
    value_dependency_source = fields.Selection(
        [
            ("deliveries", "From our deliveries"),
            ("manual", "Manual estimate"),
        ],
        string="Dependency From",
        default="deliveries",
        groups=INTERNAL,
        help="How the dependency degree is known: from what we delivered and "
        "invoiced to the customer over the analysis window against their "
        "estimated yearly volume, or estimated by hand.",
    )
    value_logistics_volume = fields.Monetary(
        string="Yearly Volume (estimate)",
        currency_field="value_currency_id",
        groups=INTERNAL,
        help="What the customer spends in a year on the goods and services we "
        "sell, with every supplier (us included): an estimate, as our books "
        "only know our own share.",
    )
    value_dependency_manual = fields.Float(
        string="Dependency Estimate (%)",
        digits=(16, 1),
        groups=INTERNAL,
        help="The share of the customer's volume going through us, as estimated "
        "by hand (0-100).",
    )

    @api.depends_context("company", "uid")
    def _compute_value_segment_ids(self):
        Segment = self.env["crm.value.segment"]
        members = {partner.id: Segment for partner in self}
        for segment in Segment.search([("company_id", "in", self.env.companies.ids)]):
            found = self.env["res.partner"]._search(
                [
                    ("id", "in", self.ids),
                    ("id", "in", segment._get_members_query()),
                ]
            )
            for partner_id in found:
                members[partner_id] |= segment
        for partner in self:
            partner.value_segment_ids = members[partner.id]

    def _search_value_segment_ids(self, operator, value):
        """Members of the segments (ids or names): searched as the user, the
        segments' filters applied whatever the figures they read."""
        if operator not in ("in", "=", "not in", "!="):
            raise UserError(
                self.env._(
                    "Segments are searched by segment, not with %(operator)s.",
                    operator=operator,
                )
            )
        Segment = self.env["crm.value.segment"]
        values = value if isinstance(value, list | tuple) else [value]
        if all(isinstance(v, int) for v in values):
            segments = Segment.browse(values).exists()
        else:
            segments = Segment.search([("name", "in", values)])
        # Only segments the user may read (record rules: their companies).
        segments = Segment.search([("id", "in", segments.ids)])
        domain = [[("id", "in", segment._get_members_query())] for segment in segments]
        domain = expression.OR(domain) if domain else expression.FALSE_DOMAIN
        if operator in ("not in", "!="):
            return ["!", *domain]
        return domain

    @api.constrains("value_dependency_manual")
    def _check_value_dependency_manual(self):
        for partner in self:
            if not 0 <= partner.value_dependency_manual <= 100:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: a dependency estimate is a percentage, from 0 to 100.",
                        partner=partner.display_name,
                    )
                )
