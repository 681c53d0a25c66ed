from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..groups import MANAGER, USER
from .crm_value_snapshot import QUADRANTS

# The periods the dashboard offers, in calendar months up to the current one.
PERIODS = (3, 6, 12)
# The share of profit the Pareto tile looks for (the 80 of 80/20).
PARETO_SHARE = 80.0
# The groupings of the headline figures (the tile's switch).
HEADLINE_GROUPINGS = ("tier", "team", "month")
# Days in an average month: tenure in months is days since the first sale / this.
DAYS_PER_MONTH = 365.25 / 12
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
            "scorecard": self._get_dashboard_scorecard(company),
        }
        if self._dashboard_show_amounts():
            sections["pareto"] = self._get_dashboard_pareto(company)
        sections["value_headline"] = self._get_dashboard_headline(
            company, date_from, date_to
        )
        segments = self.env["crm.value.segment"]._get_dashboard_segments(
            company, self._dashboard_show_amounts()
        )
        if segments["segments"]:
            sections["value_segments"] = segments
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

    # ------------------------------------------------------------------
    # The headline figures: satisfaction, loyalty, conversion and lifetime
    # value side by side, per tier, sales team and month
    # ------------------------------------------------------------------
    @api.model
    def _get_dashboard_headline(self, company, date_from, date_to):
        """{groupings: [{key, label}], tables: {grouping: {columns, rows}}}:
        per grouping, the columns of the figures the installed addons give
        and a row per group, each cell {value (count for the customers),
        action: the records it counts}."""
        tables = {}
        for group_by in HEADLINE_GROUPINGS:
            metrics = self._get_headline_metrics(company, group_by, date_from, date_to)
            columns = sorted(
                self._get_headline_columns(group_by), key=lambda c: c["sequence"]
            )
            rows = []
            for key, name in self._get_headline_groups(
                company, group_by, date_from, date_to, metrics
            ):
                values = metrics.get(key, {})
                actions = self._get_headline_actions(
                    company, group_by, key, name, values, date_from, date_to
                )
                cells = {}
                for column in columns:
                    value = values.get(column["key"])
                    cell = (
                        {"count": value or 0}
                        if column["format"] == "count"
                        else {"value": value}
                    )
                    if column["key"] in actions:
                        cell["action"] = actions[column["key"]]
                    cells[column["key"]] = cell
                rows.append(
                    {
                        "key": key.isoformat() if group_by == "month" else key,
                        "name": name,
                        "cells": cells,
                    }
                )
            tables[group_by] = {"columns": columns, "rows": rows}
        return {
            "groupings": [
                {"key": key, "label": label}
                for key, label in self._get_headline_groupings()
            ],
            "tables": tables,
        }

    @api.model
    def _get_headline_groupings(self):
        return [
            ("tier", self.env._("Tier")),
            ("team", self.env._("Sales Team")),
            ("month", self.env._("Month")),
        ]

    @api.model
    def _get_headline_metrics(self, company, group_by, date_from, date_to):
        """Hook: {group key: {metric: value}} of the headline figures of the
        company's customers (their current snapshots, as the user reads them)
        in the period, grouped by `group_by`: "tier" (crm.value.tier id),
        "team" (crm.team id: the main team of the customer's salesperson) or
        "month" (the
        first day of each month of the period); False groups the customers
        of no tier or team.

        crm_value gives `customer_count`, `tenure_months` (average months
        since the first sale, to the company's today), `repeat_rate` (% of
        the buying customers with two purchases or more), for managers `clv`
        (average lifetime value, company currency), and by month the
        `partner_ids` counted. Upper addons add theirs, calling super()."""
        Snapshot = self.env["crm.value.snapshot"]
        amounts = self._dashboard_show_amounts()
        if amounts:
            Snapshot.check_field_access_rights("read", ["clv"])
        columns = ["first_sale_date", "lifetime_order_count"]
        customers = self._get_headline_customers_query(
            company, group_by, date_from, date_to, [*columns, *(["clv"] * amounts)]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT c.group_key,
                   COUNT(*),
                   AVG(%(today)s - c.first_sale_date) / %(days_per_month)s,
                   COUNT(*) FILTER (WHERE c.lifetime_order_count >= 2),
                   COUNT(*) FILTER (WHERE c.lifetime_order_count >= 1),
                   %(clv)s,
                   %(partner_ids)s
              FROM %(customers)s c
             GROUP BY 1
            """,
                today=company._get_value_today(),
                days_per_month=DAYS_PER_MONTH,
                clv=SQL("AVG(COALESCE(c.clv, 0))") if amounts else SQL("NULL"),
                partner_ids=(
                    SQL("ARRAY_AGG(c.partner_id ORDER BY c.partner_id)")
                    if group_by == "month"
                    else SQL("NULL")
                ),
                customers=customers,
            )
        )
        metrics = {}
        for key, count, tenure, repeat, buying, clv, ids in self.env.cr.fetchall():
            values = metrics[key or False] = {
                "customer_count": count,
                "tenure_months": float(tenure) if tenure is not None else None,
                "repeat_rate": 100.0 * repeat / buying if buying else None,
            }
            if amounts:
                values["clv"] = clv
            if group_by == "month":
                values["partner_ids"] = ids
        return metrics

    @api.model
    def _get_headline_customers_query(
        self, company, group_by, date_from, date_to, columns=()
    ):
        """SQL, a subquery: the company's customers counted in the headline
        figures (current snapshots, the user's record rules applied), a row
        (partner_id, group_key, *columns: snapshot columns) per customer and
        group: by tier, their tier; by team, their salesperson's sales team
        (_headline_team_sql); by month,
        a row per month of the period they bought in (the one definition of
        a purchase, dated in the company's day). Upper addons join their
        records to it by partner_id."""
        if group_by not in HEADLINE_GROUPINGS:
            raise UserError(
                self.env._("The headline figures are grouped by tier, team or month.")
            )
        Snapshot = self.env["crm.value.snapshot"]
        query = Snapshot._search(self._dashboard_current_domain(company))
        table = Snapshot._table
        partner = SQL.identifier(table, "partner_id")
        if group_by == "tier":
            key = SQL.identifier(table, "tier_id")
        elif group_by == "team":
            key = self._headline_team_sql(query, table, "partner_id")
        else:
            alias = query.make_alias(table, "headline_month")
            query.add_join(
                "JOIN",
                alias,
                self._get_headline_purchase_months(company, date_from, date_to),
                SQL("%s = %s", SQL.identifier(alias, "partner_id"), partner),
            )
            key = SQL.identifier(alias, "month")
        return query.subselect(
            SQL("%s AS partner_id", partner),
            SQL("%s AS group_key", key),
            *(SQL.identifier(table, column) for column in columns),
        )

    @api.model
    def _headline_team_sql(self, query, alias, partner_column):
        """SQL: the sales team of the partner in `alias`.`partner_column` of
        `query` (joined to it): the main team (res.users.sale_team_id) of the
        partner's salesperson, the one definition of a customer's team."""
        partner = query.make_alias(alias, "headline_partner")
        query.add_join(
            "JOIN",
            partner,
            "res_partner",
            SQL(
                "%s = %s",
                SQL.identifier(partner, "id"),
                SQL.identifier(alias, partner_column),
            ),
        )
        user = query.make_alias(partner, "user")
        query.add_join(
            "LEFT JOIN",
            user,
            "res_users",
            SQL(
                "%s = %s",
                SQL.identifier(user, "id"),
                SQL.identifier(partner, "user_id"),
            ),
        )
        return SQL.identifier(user, "sale_team_id")

    @api.model
    def _headline_team_domain(self, team_id):
        """The domain on a partner of `team_id`'s customers (False: of no team:
        no salesperson, or one in no team)."""
        if not team_id:
            return ["|", ("user_id", "=", False), ("user_id.sale_team_id", "=", False)]
        return [("user_id.sale_team_id", "=", team_id)]

    @api.model
    def _get_headline_purchase_months(self, company, date_from, date_to):
        """SQL, a subquery: (partner_id, month) of each customer and month of
        the period they bought in, in the company's day (an order's moment in
        its time zone, an invoice's date as it is)."""
        return SQL(
            """(
            SELECT DISTINCT b.partner_id, date_trunc('month', b.day)::date AS month
              FROM (
                SELECT p.partner_id,
                       CASE WHEN p.order_id IS NULL THEN p.purchased_at::date
                            ELSE (p.purchased_at AT TIME ZONE 'UTC'
                                  AT TIME ZONE %(tz)s)::date
                       END AS day
                  FROM (%(purchases)s) p
              ) b
             WHERE b.day BETWEEN %(date_from)s AND %(date_to)s
            )""",
            tz=company._get_value_tz(),
            purchases=self.env["crm.value.engine"]._get_purchases_query(company),
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _get_headline_columns(self, group_by):
        """Hook: the headline table's columns for `group_by`, [{key (a metric
        of _get_headline_metrics), label, figure (satisfaction, loyalty,
        conversion, value, or customers), format (count, amount, number,
        percent, score), addon, sequence}]: only what the installed addons
        compute, amounts for managers only. Upper addons add theirs."""
        columns = [
            {
                "key": "customer_count",
                "label": self.env._("Customers"),
                "figure": "customers",
                "format": "count",
                "addon": "crm_value",
                "sequence": 0,
            },
            {
                "key": "tenure_months",
                "label": self.env._("Tenure (months)"),
                "figure": "loyalty",
                "format": "number",
                "addon": "crm_value",
                "sequence": 22,
            },
            {
                "key": "repeat_rate",
                "label": self.env._("Repeat Rate"),
                "figure": "loyalty",
                "format": "percent",
                "addon": "crm_value",
                "sequence": 23,
            },
        ]
        if self._dashboard_show_amounts():
            columns.append(
                {
                    "key": "clv",
                    "label": self.env._("Lifetime Value (avg)"),
                    "figure": "value",
                    "format": "amount",
                    "addon": "crm_value",
                    "sequence": 40,
                }
            )
        return columns

    @api.model
    def _get_headline_groups(self, company, group_by, date_from, date_to, metrics):
        """[(group key, name)] of the headline table's rows: the company's
        tiers, the sales teams with customers, or the period's months; then
        the customers of no tier or team, if any."""
        if group_by == "month":
            months, month = [], date_from.replace(day=1)
            while month <= date_to:
                months.append((month, month.isoformat()))
                month += relativedelta(months=1)
            return months
        if group_by == "tier":
            groups = [
                (tier.id, tier.name)
                for tier in self.env["crm.value.tier"]._get_company_tiers(company)
            ]
            none = self.env._("No tier")
        else:
            teams = self.env["crm.team"].browse([key for key in metrics if key])
            groups = sorted(
                ((team.id, team.display_name) for team in teams.exists()),
                key=lambda group: group[1],
            )
            none = self.env._("No sales team")
        if False in metrics:
            groups.append((False, none))
        return groups

    @api.model
    def _get_headline_actions(
        self, company, group_by, key, name, values, date_from, date_to
    ):
        """Hook: {metric: window action} of a group's cells, each showing the
        records the figure counts. Upper addons add theirs."""
        domain = self._dashboard_current_domain(company)
        if group_by == "tier":
            domain.append(("tier_id", "=", key))
        elif group_by == "team":
            domain.append(("partner_id", "any", self._headline_team_domain(key)))
        else:
            domain.append(("partner_id", "in", values.get("partner_ids") or []))
            name = fields.Date.to_date(key).strftime("%Y-%m")
        customers = self._dashboard_snapshot_action(
            self.env._("%(group)s: customers", group=name), domain
        )
        actions = {"customer_count": customers, "tenure_months": customers}
        actions["repeat_rate"] = self._dashboard_snapshot_action(
            self.env._("%(group)s: repeat customers", group=name),
            [*domain, ("lifetime_order_count", ">=", 2)],
        )
        if "clv" in values:
            actions["clv"] = customers
        return actions

    # ------------------------------------------------------------------
    # The scorecard (客户平衡计分卡)
    # ------------------------------------------------------------------
    @api.model
    def _get_dashboard_scorecard(self, company):
        """The company's average score per dimension (and total) per tier,
        top tier first, and over every scored customer, in two queries."""
        Snapshot = self.env["crm.value.snapshot"]
        Scorecard = self.env["crm.value.scorecard"]
        dimensions = Scorecard._get_dimension_labels()
        columns = [*(f"score_{key}" for key, _label in dimensions), "score_total"]
        scored = [
            *self._dashboard_current_domain(company),
            ("score_total", ">=", 0),  # scored (a number field "!= False" is "!= 0")
        ]
        by_tier = {
            tier.id: values
            for (tier,), values in Scorecard._get_average_scores(
                [*scored, ("tier_id", "!=", False)], columns, ["tier_id"]
            ).items()
        }
        everyone = Scorecard._get_average_scores(scored, columns).get((), ([], 0))

        def row(key, name, values, domain):
            scores, count = values
            return {
                "key": key,
                "name": name,
                "count": count,
                "scores": scores,
                "action": self._dashboard_snapshot_action(name, domain),
            }

        tiers = [
            row(
                tier.id,
                tier.name,
                by_tier[tier.id],
                [*scored, ("tier_id", "=", tier.id)],
            )
            for tier in self.env["crm.value.tier"]._get_company_tiers(company)
            if tier.id in by_tier
        ]
        return {
            "dimensions": [label for _key, label in dimensions],
            "total_label": Snapshot._fields["score_total"]._description_string(
                self.env
            ),
            "tiers": tiers,
            "all": row("all", self.env._("All Customers"), everyone, scored),
        }
