from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

MANAGER = "crm_value.group_crm_value_manager"
USER = "crm_value.group_crm_value_user"

# Partner fields read from the current snapshot: (partner field, snapshot column).
PUBLIC_FIGURES = (
    "order_count",
    "lifetime_order_count",
    "first_sale_date",
    "last_sale_date",
    "avg_days_to_pay",
)
AMOUNT_FIGURES = (
    "revenue",
    "cogs",
    "discount",
    "cost_to_serve",
    "net_profit",
    "margin_percent",
    "lifetime_revenue",
    "lifetime_cogs",
    "lifetime_discount",
    "lifetime_cost_to_serve",
    "lifetime_net_profit",
    "lifetime_margin_percent",
    "overdue_amount",
)


def _search_snapshot(column):
    """Field search on the column of the partner's current snapshot."""

    def search_current_snapshot(partners, operator, value):
        return partners._search_on_current_snapshot(column, operator, value)

    return search_current_snapshot


class ResPartner(models.Model):
    _inherit = "res.partner"

    value_tier_id = fields.Many2one(
        "crm.value.tier",
        company_dependent=True,
        tracking=True,
        help="The customer's layer of the customer pyramid in this company, from "
        "its net profit; recomputed nightly unless locked.",
    )
    value_tier_color = fields.Integer(related="value_tier_id.color")
    value_tier_locked = fields.Boolean(
        string="Lock Tier",
        company_dependent=True,
        groups=MANAGER,
        tracking=True,
        help="Keep the tier set by hand: the nightly recompute leaves it alone.",
    )
    value_abc_class = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")],
        string="ABC Class",
        company_dependent=True,
        help="A: the customers making up the first 80% of cumulative profit, "
        "B: up to 95%, C: the rest (thresholds in the settings).",
    )
    value_relationship_level = fields.Selection(
        related="value_tier_id.relationship_level", string="Relationship Level"
    )
    value_currency_id = fields.Many2one(
        "res.currency", compute="_compute_value_currency_id"
    )
    value_date = fields.Date(
        string="Value Computed On", compute="_compute_value_public"
    )
    value_order_count = fields.Integer(
        string="Orders (window)",
        compute="_compute_value_public",
        search=_search_snapshot("order_count"),
        help="Confirmed sales orders over the analysis window.",
    )
    value_lifetime_order_count = fields.Integer(
        string="Orders (all time)",
        compute="_compute_value_public",
        search=_search_snapshot("lifetime_order_count"),
    )
    value_first_sale_date = fields.Date(
        string="First Sale",
        compute="_compute_value_public",
        search=_search_snapshot("first_sale_date"),
    )
    value_last_sale_date = fields.Date(
        string="Last Sale",
        compute="_compute_value_public",
        search=_search_snapshot("last_sale_date"),
    )
    value_avg_days_to_pay = fields.Float(
        string="Average Days to Pay",
        compute="_compute_value_public",
        search=_search_snapshot("avg_days_to_pay"),
        digits=(16, 1),
        help="Days from invoice date to full payment, weighted by invoice amount, "
        "over the invoices of the analysis window.",
    )
    value_snapshot_count = fields.Integer(compute="_compute_value_public")

    value_revenue = fields.Monetary(
        string="Revenue",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("revenue"),
        help="Posted customer invoices minus credit notes, untaxed, product lines, "
        "in company currency, over the analysis window.",
    )
    value_cogs = fields.Monetary(
        string="Cost of Goods",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("cogs"),
        help="Stock valuation of the goods delivered, less returns; for products "
        "without stock valuation, the order line cost times the invoiced quantity.",
    )
    value_discount = fields.Monetary(
        string="Discounts Granted",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("discount"),
        help="List price times quantity minus the invoiced amount, on discounted lines.",
    )
    value_cost_to_serve = fields.Monetary(
        string="Cost to Serve",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("cost_to_serve"),
        help="Handling cost per confirmed order plus the cost of completed "
        "activities by type.",
    )
    value_net_profit = fields.Monetary(
        string="Net Profit",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("net_profit"),
        help="Revenue minus cost of goods minus cost to serve.",
    )
    value_margin_percent = fields.Float(
        string="Margin (%)",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("margin_percent"),
        digits=(16, 1),
    )
    value_lifetime_revenue = fields.Monetary(
        string="Revenue (all time)",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("lifetime_revenue"),
    )
    value_lifetime_cogs = fields.Monetary(
        string="Cost of Goods (all time)",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("lifetime_cogs"),
    )
    value_lifetime_discount = fields.Monetary(
        string="Discounts Granted (all time)",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("lifetime_discount"),
    )
    value_lifetime_cost_to_serve = fields.Monetary(
        string="Cost to Serve (all time)",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("lifetime_cost_to_serve"),
    )
    value_lifetime_net_profit = fields.Monetary(
        string="Net Profit (all time)",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("lifetime_net_profit"),
    )
    value_lifetime_margin_percent = fields.Float(
        string="Margin (%) (all time)",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("lifetime_margin_percent"),
        digits=(16, 1),
    )
    value_overdue_amount = fields.Monetary(
        string="Overdue",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=_search_snapshot("overdue_amount"),
        help="Open receivable past its due date, today.",
    )

    @api.depends_context("company")
    def _compute_value_currency_id(self):
        self.value_currency_id = self.env.company.currency_id

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
            )
        )
        by_commercial = {row["partner_id"][0]: row for row in rows}
        return {p.id: by_commercial.get(p.commercial_partner_id.id, {}) for p in self}

    def _search_on_current_snapshot(self, column, operator, value):
        """Partners (and their contacts) whose current snapshot in this company
        matches; partners never computed have no snapshot and match nothing.
        Manager-only amounts stay manager-only: searching on them is refused."""
        Snapshot = self.env["crm.value.snapshot"]
        Snapshot.check_field_access_rights("read", [column])
        domain = [
            ("is_current", "=", True),
            ("company_id", "=", self.env.company.id),
            (column, operator, value),
        ]
        partners = (
            Snapshot.sudo()
            ._search(domain)
            .subselect(SQL.identifier("crm_value_snapshot", "partner_id"))
        )
        return [("commercial_partner_id", "in", partners)]

    @api.depends_context("company")
    def _compute_value_public(self):
        snapshots = self._current_snapshots(PUBLIC_FIGURES)
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
            for name in PUBLIC_FIGURES:
                partner[f"value_{name}"] = row.get(name) or False

    @api.depends_context("company")
    def _compute_value_amounts(self):
        snapshots = self._current_snapshots(AMOUNT_FIGURES)
        for partner in self:
            row = snapshots[partner.id]
            for name in AMOUNT_FIGURES:
                partner[f"value_{name}"] = row.get(name) or 0.0

    def action_recompute_value(self):
        """Recompute the value and tier of the selected customers now."""
        if not self.env.user.has_group(USER):
            raise AccessError(
                self.env._("Only Customer Value users can recompute value.")
            )
        engine = self.env["crm.value.engine"]
        engine._recompute_partners(self.env.company, self.commercial_partner_id.ids)
        engine._rank_company(self.env.company)
        return True

    def action_open_value_snapshots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_value.crm_value_snapshot_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_date": 0}
        return action
