from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..groups import MANAGER, USER
from .crm_value_snapshot import QUADRANTS

# The periods the dashboard offers, in calendar months up to the current one.
PERIODS = (3, 6, 12)
# The share of profit the Pareto tile looks for (the 80 of 80/20).
PARETO_SHARE = 80.0
# What the web client reads of a window action the dashboard opens.
ACTION_KEYS = {
    "type",
    "res_model",
    "views",
    "view_mode",
    "search_view_id",
    "target",
    "limit",
    "help",
}


class CrmValueDashboard(models.AbstractModel):
    """The Customer Value dashboard (客户价值看板): one call returns every
    tile's figures for the current company and a period.

    Every figure is read from the stored fields the list and pivot views show,
    as the user (record rules apply), and each comes with the window action
    that lists exactly the records it counts. Amounts (profit, lifetime value)
    are only computed and sent for Customer Value managers."""

    _name = "crm.value.dashboard"
    _description = "Customer Value Dashboard"

    @api.model
    def get_dashboard_data(self, period_months=12):
        """{company, period, show_amounts, sections} for the dashboard; each
        section is a dict of plain values named after its tile."""
        if not self.env.user.has_group(USER):
            raise AccessError(
                self.env._("Only Customer Value users may open the dashboard.")
            )
        if period_months not in PERIODS:
            raise UserError(
                self.env._(
                    "The dashboard shows the last %(periods)s months, not %(period)s.",
                    periods=", ".join(map(str, PERIODS)),
                    period=period_months,
                )
            )
        company = self.env.company
        date_to = company._get_value_today()
        date_from = date_to.replace(day=1) - relativedelta(months=period_months - 1)
        currency = company.currency_id
        return {
            "company": {"id": company.id, "name": company.name},
            "currency": {
                "id": currency.id,
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "period_months": period_months,
            "periods": list(PERIODS),
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "show_amounts": self._dashboard_show_amounts(),
            "sections": self._get_dashboard_sections(company, date_from, date_to),
        }

    @api.model
    def _dashboard_show_amounts(self):
        """Whether the dashboard computes and sends amounts: managers only."""
        return self.env.user.has_group(MANAGER)

    @api.model
    def _get_dashboard_sections(self, company, date_from, date_to):
        """{section name: figures} of the tiles; addons add theirs by
        extending this method (a JS tile of the crm_value_dashboard_tiles
        registry shows each section)."""
        sections = {
            "pyramid": self._get_dashboard_pyramid(company, date_from, date_to),
            "matrix": self._get_dashboard_matrix(company),
        }
        if self._dashboard_show_amounts():
            sections["pareto"] = self._get_dashboard_pareto(company)
        return sections

    # ------------------------------------------------------------------
    # Links: each figure opens the list of what it counts
    # ------------------------------------------------------------------
    @api.model
    def _dashboard_action(self, xmlid, name, domain, view_type=None, context=None):
        """The window action `xmlid` showing exactly `domain`, opened on
        `view_type` (default: its first view): its own domain and default
        filters are replaced, so the list holds what the tile counted."""
        cache = self.env.cr.cache.setdefault("crm_value_dashboard_actions", {})
        key = (self.env.uid, self.env.lang, xmlid)
        if key not in cache:
            cache[key] = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        # A new action, not the stored one (no id, path or xml id): what the
        # web client needs to open it.
        action = {k: v for k, v in cache[key].items() if k in ACTION_KEYS}
        action.update(name=name, domain=domain, context=context or {})
        if view_type:
            views = [view for view in action["views"] if view[1] != view_type]
            first = [view for view in action["views"] if view[1] == view_type]
            action["views"] = (first or [(False, view_type)]) + views
        return action

    @api.model
    def _dashboard_snapshot_action(self, name, domain):
        """The value snapshots matching `domain`, as a list."""
        return self._dashboard_action(
            "crm_value.crm_value_snapshot_action", name, domain, "list"
        )

    @api.model
    def _dashboard_current_domain(self, company):
        return [("company_id", "=", company.id), ("is_current", "=", True)]

    # ------------------------------------------------------------------
    # The pyramid (客户金字塔)
    # ------------------------------------------------------------------
    @api.model
    def _get_dashboard_pyramid(self, company, date_from, date_to):
        """Customers (and profit, share of positive profit) per tier, top
        first, and the tier moves of the snapshots dated in the period."""
        Snapshot = self.env["crm.value.snapshot"]
        amounts = self._dashboard_show_amounts()
        profit = self.env["crm.value.ranking"]._get_ranking_basis(company)
        current = self._dashboard_current_domain(company)
        aggregates = ["__count", f"{profit}:sum"] if amounts else ["__count"]
        by_tier = {
            tier.id: values
            for tier, *values in Snapshot._read_group(
                [*current, ("tier_id", "!=", False)], ["tier_id"], aggregates
            )
        }
        moves_domain = [
            ("company_id", "=", company.id),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ]
        moves = {
            (tier.id, move): count
            for tier, move, count in Snapshot._read_group(
                [*moves_domain, ("tier_move", "in", ("up", "down", "new"))],
                ["tier_id", "tier_move"],
                ["__count"],
            )
        }
        moves.update(
            ((tier.id, "lost"), count)
            for tier, count in Snapshot._read_group(
                [*moves_domain, ("tier_move", "=", "lost")],
                ["previous_tier_id"],
                ["__count"],
            )
        )
        positive = 0.0
        if amounts:
            [(positive,)] = Snapshot._read_group(
                [*current, (profit, ">", 0)], [], [f"{profit}:sum"]
            )
        tiers = []
        for tier in self.env["crm.value.tier"]._get_company_tiers(company):
            values = by_tier.get(tier.id, [0, 0.0])
            domain = [*current, ("tier_id", "=", tier.id)]
            row = {
                "id": tier.id,
                "code": tier.code,
                "name": tier.name,
                "color": tier.color,
                "count": values[0],
                "action": self._dashboard_snapshot_action(
                    self.env._("%(tier)s customers", tier=tier.name), domain
                ),
                "moves": {},
            }
            for move, label in self._dashboard_tier_moves():
                field = "previous_tier_id" if move == "lost" else "tier_id"
                row["moves"][move] = {
                    "count": moves.get((tier.id, move), 0),
                    "action": self._dashboard_snapshot_action(
                        f"{tier.name}: {label}",
                        [
                            *moves_domain,
                            (field, "=", tier.id),
                            ("tier_move", "=", move),
                        ],
                    ),
                }
            if amounts:
                row["profit"] = values[1]
                row["profit_share"] = 100.0 * values[1] / positive if positive else 0.0
            tiers.append(row)
        return {
            "tiers": tiers,
            "customer_count": sum(row["count"] for row in tiers),
            "profit_field": profit if amounts else False,
        }

    @api.model
    def _dashboard_tier_moves(self):
        return [
            ("up", self.env._("upgraded")),
            ("down", self.env._("downgraded")),
            ("new", self.env._("new")),
            ("lost", self.env._("left the pyramid")),
        ]

    # ------------------------------------------------------------------
    # The Pareto curve (80/20), managers only
    # ------------------------------------------------------------------
    @api.model
    def _get_dashboard_pareto(self, company):
        """The cumulative share of profit against the share of profitable
        customers, highest profit first (the Pareto view's customers), at
        most one point per percent of customers, and where it crosses 80%."""
        Snapshot = self.env["crm.value.snapshot"]
        profit = self.env["crm.value.ranking"]._get_ranking_basis(company)
        Snapshot.check_field_access_rights("read", [profit])
        domain = [*self._dashboard_current_domain(company), (profit, ">", 0)]
        query = Snapshot._search(domain)
        column = SQL.identifier("crm_value_snapshot", profit)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH ranked AS (
                SELECT row_number() OVER w AS rank,
                       SUM(profit) OVER w AS running,
                       COUNT(*) OVER () AS total_count,
                       SUM(profit) OVER () AS total
                  FROM %(rows)s customers
                WINDOW w AS (ORDER BY profit DESC, id)
            ), crossing AS (
                SELECT MIN(rank) AS rank FROM ranked
                 WHERE running >= %(share)s / 100.0 * total
            )
            SELECT r.rank, r.running, r.total_count, r.total, r.rank = c.rank
              FROM ranked r, crossing c
             WHERE r.rank = c.rank OR r.rank = r.total_count
                OR floor(100.0 * r.rank / r.total_count)
                   > floor(100.0 * (r.rank - 1) / r.total_count)
             ORDER BY r.rank
            """,
                rows=query.subselect(
                    SQL("%s AS profit", column),
                    SQL.identifier("crm_value_snapshot", "id"),
                ),
                share=PARETO_SHARE,
            )
        )
        points, crossing = [[0.0, 0.0]], None
        rows = self.env.cr.fetchall()
        for rank, running, count, total, is_crossing in rows:
            point = [100.0 * rank / count, 100.0 * running / total]
            points.append(point)
            if is_crossing:
                crossing = {
                    "customer_count": rank,
                    "customer_share": point[0],
                    "profit_share": point[1],
                }
        return {
            "points": points,
            "crossing": crossing,
            "target_share": PARETO_SHARE,
            "customer_count": rows[-1][2] if rows else 0,
            "total_profit": rows[-1][3] if rows else 0.0,
            "action": self._dashboard_action(
                "crm_value.crm_value_snapshot_action_pareto",
                self.env._("Profitable customers"),
                domain,
                "list",
            ),
        }

    # ------------------------------------------------------------------
    # The value matrix (客户价值细分)
    # ------------------------------------------------------------------
    @api.model
    def _get_dashboard_matrix(self, company):
        """Customers (and profit) per quadrant of the value matrix."""
        Snapshot = self.env["crm.value.snapshot"]
        amounts = self._dashboard_show_amounts()
        profit = self.env["crm.value.ranking"]._get_ranking_basis(company)
        current = self._dashboard_current_domain(company)
        aggregates = ["__count", f"{profit}:sum"] if amounts else ["__count"]
        groups = {
            quadrant: values
            for quadrant, *values in Snapshot._read_group(
                [*current, ("quadrant", "!=", False)], ["quadrant"], aggregates
            )
        }
        labels = dict(Snapshot._fields["quadrant"]._description_selection(self.env))
        quadrants = []
        for key, _label in QUADRANTS:
            values = groups.get(key, [0, 0.0])
            row = {
                "key": key,
                "name": labels[key],
                "count": values[0],
                "action": self._dashboard_snapshot_action(
                    labels[key], [*current, ("quadrant", "=", key)]
                ),
            }
            if amounts:
                row["profit"] = values[1]
            quadrants.append(row)
        return {"quadrants": quadrants}
