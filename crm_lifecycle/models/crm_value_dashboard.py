from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

# The churn report's monthly figures the dashboard charts.
CHURN_FIGURES = (
    "month",
    "customer_count",
    "churned_count",
    "churn_rate",
    "lost_count",
    "won_back_count",
    "win_back_rate",
)


class CrmValueDashboard(models.AbstractModel):
    _inherit = "crm.value.dashboard"

    @api.model
    def _get_dashboard_sections(self, company, date_from, date_to):
        sections = super()._get_dashboard_sections(company, date_from, date_to)
        sections["lifecycle_funnel"] = self._get_dashboard_funnel(
            company, date_from, date_to
        )
        sections["lifecycle_churn"] = self._get_dashboard_churn(
            company, date_from, date_to
        )
        sections["lifecycle_at_risk"] = self._get_dashboard_at_risk(company)
        return sections

    @api.model
    def _dashboard_moments(self, date_from, date_to):
        """The period as the lifecycle history dates it (UTC, as the churn
        report's months): from the first moment of `date_from` to the end of
        `date_to`."""
        return datetime.combine(date_from, time.min), datetime.combine(
            date_to + timedelta(days=1), time.min
        )

    @api.model
    def _get_dashboard_funnel(self, company, date_from, date_to):
        """The customers now in each stage of the funnel (the Lifecycle Funnel
        view), and from the stage history, of the stays begun in the period
        in each stage, the share that moved on to a later stage."""
        stages = self.env["crm.lifecycle.stage"].search([])
        funnel = stages.filtered(lambda s: not (s.is_lost or s.is_at_risk))
        Partner = self.env["res.partner"].with_company(company)
        customers = [("parent_id", "=", False), ("lifecycle_stage_id", "!=", False)]
        counts = dict(
            Partner._read_group(customers, ["lifecycle_stage_id"], ["__count"])
        )
        start, end = self._dashboard_moments(date_from, date_to)
        period = [
            ("company_id", "=", company.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]
        stays = self.env["crm.lifecycle.history"]._read_group(
            [*period, ("stage_to_id", "in", funnel.ids)],
            ["stage_to_id", "next_stage_id"],
            ["__count"],
        )
        rows = []
        for stage in funnel:
            later = funnel.filtered(lambda s, stage=stage: s.sequence > stage.sequence)
            entered = sum(c for to, _next, c in stays if to == stage)
            advanced = sum(c for to, nxt, c in stays if to == stage and nxt in later)
            entered_domain = [*period, ("stage_to_id", "=", stage.id)]
            rows.append(
                {
                    "id": stage.id,
                    "code": stage.code,
                    "name": stage.name,
                    "count": counts.get(stage, 0),
                    "entered": entered,
                    "advanced": advanced,
                    "conversion_rate": 100.0 * advanced / entered if entered else None,
                    "is_customer": stage.is_customer,
                    "action": self._dashboard_action(
                        "crm_lifecycle.res_partner_action_lifecycle",
                        stage.name,
                        [*customers, ("lifecycle_stage_id", "=", stage.id)],
                        "list",
                    ),
                    "advanced_action": self._dashboard_action(
                        "crm_lifecycle.crm_lifecycle_history_action",
                        self.env._(
                            "%(stage)s: moved on to a later stage", stage=stage.name
                        ),
                        [*entered_domain, ("next_stage_id", "in", later.ids)],
                        "list",
                    ),
                    "entered_action": self._dashboard_action(
                        "crm_lifecycle.crm_lifecycle_history_action",
                        self.env._("%(stage)s: entered", stage=stage.name),
                        entered_domain,
                        "list",
                    ),
                }
            )
        return {"stages": rows}

    @api.model
    def _get_dashboard_churn(self, company, date_from, date_to):
        """Churn and win-back rates per month of the period: the rows of the
        Churn and Win-back report."""
        domain = [
            ("company_id", "=", company.id),
            ("month", ">=", date_from),
            ("month", "<=", date_to),
        ]
        months = self.env["crm.lifecycle.churn.report"].search_read(
            domain, list(CHURN_FIGURES), order="month"
        )
        for month in months:
            month.pop("id")
            month["month"] = month["month"].isoformat()
        return {
            "months": months,
            "churned_count": sum(m["churned_count"] for m in months),
            "won_back_count": sum(m["won_back_count"] for m in months),
            "action": self._dashboard_action(
                "crm_lifecycle.crm_lifecycle_churn_report_action",
                self.env._("Churn and Win-back"),
                domain,
                "list",
            ),
        }

    @api.model
    def _get_dashboard_at_risk(self, company):
        """Customers at risk now (their stage counts as at risk), and for
        managers the lifetime value at stake, the highest first."""
        Snapshot = self.env["crm.value.snapshot"].with_company(company)
        amounts = self._dashboard_show_amounts()
        domain = [
            *self._dashboard_current_domain(company),
            ("partner_id.lifecycle_stage_id.is_at_risk", "=", True),
        ]
        aggregates = ["__count", "clv:sum"] if amounts else ["__count"]
        [values] = Snapshot._read_group(domain, [], aggregates)
        order = "clv desc, id" if amounts else "p_alive, id"
        top = Snapshot.search_fetch(
            domain,
            ["partner_id", "p_alive", *(["clv"] if amounts else [])],
            limit=5,
            order=order,
        )
        section = {
            "count": values[0],
            "customers": [
                {
                    # As Odoo reads a many2one: the name even of a partner
                    # the user's rules hide (their snapshot is readable).
                    "name": snapshot.partner_id.sudo().display_name,
                    "p_alive": snapshot.p_alive,
                    **({"clv": snapshot.clv} if amounts else {}),
                }
                for snapshot in top
            ],
            "action": self._dashboard_action(
                "crm_lifecycle.crm_value_snapshot_action_at_risk",
                self.env._("At Risk by Lifetime Value"),
                domain,
            ),
        }
        if amounts:
            section["clv"] = values[1]
        return section

    # ------------------------------------------------------------------
    # The headline figures: conversion (lead to customer)
    # ------------------------------------------------------------------
    @api.model
    def _get_headline_conversion_domain(self, company, start, end):
        """The stays begun between the moments `start` and `end` in a lead
        stage: a stage of the funnel (neither lost nor at risk) that does not
        count as customer, 储备 to 商机."""
        return [
            ("company_id", "=", company.id),
            ("date", ">=", start),
            ("date", "<", end),
            ("stage_to_id.is_customer", "=", False),
            ("stage_to_id.is_lost", "=", False),
            ("stage_to_id.is_at_risk", "=", False),
        ]

    @api.model
    def _get_headline_converted_domain(self):
        """Of those stays, the ones that ended in a stage counting as
        customer: the lead became a customer (a lost customer coming back is
        a win-back, not a conversion)."""
        return [
            ("next_stage_id.is_customer", "=", True),
            ("next_stage_id.is_lost", "=", False),
        ]

    @api.model
    def _get_headline_metrics(self, company, group_by, date_from, date_to):
        """Adds, by team and by month, `lead_count` (the partners who entered
        a lead stage in the period: by month, in that month), `converted_count`
        (those of them whose stay there ended in a customer stage: they
        became customers) and `conversion_rate` (%). Leads have no tier yet:
        nothing by tier."""
        metrics = super()._get_headline_metrics(company, group_by, date_from, date_to)
        if group_by not in ("team", "month"):
            return metrics
        History = self.env["crm.lifecycle.history"]
        domain = self._get_headline_conversion_domain(
            company, *self._dashboard_moments(date_from, date_to)
        )
        query = History._search(domain)
        converted = History._search([*domain, *self._get_headline_converted_domain()])
        table = History._table
        if group_by == "team":
            key = self._headline_team_sql(query, table, "partner_id")
        else:
            # UTC months, as the period's moments (_dashboard_moments).
            key = SQL("date_trunc('month', %s)::date", SQL.identifier(table, "date"))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT s.group_key, COUNT(DISTINCT s.partner_id),
                   COUNT(DISTINCT s.partner_id) FILTER (WHERE s.id IN %(converted)s)
              FROM %(stays)s s
             GROUP BY 1
            """,
                converted=converted.subselect(),
                stays=query.subselect(
                    SQL("%s AS group_key", key),
                    SQL.identifier(table, "id"),
                    SQL.identifier(table, "partner_id"),
                ),
            )
        )
        for key, leads, converted_count in self.env.cr.fetchall():
            metrics.setdefault(key or False, {}).update(
                lead_count=leads,
                converted_count=converted_count,
                conversion_rate=100.0 * converted_count / leads,
            )
        return metrics

    @api.model
    def _get_headline_columns(self, group_by):
        columns = super()._get_headline_columns(group_by)
        if group_by in ("team", "month"):
            columns.append(
                {
                    "key": "conversion_rate",
                    "label": self.env._("Lead to Customer"),
                    "figure": "conversion",
                    "format": "percent",
                    "addon": "crm_lifecycle",
                    "sequence": 30,
                }
            )
        return columns

    @api.model
    def _get_headline_actions(
        self, company, group_by, key, name, values, date_from, date_to
    ):
        """The conversion cell lists the lead stays that ended in a customer
        stage."""
        actions = super()._get_headline_actions(
            company, group_by, key, name, values, date_from, date_to
        )
        if group_by not in ("team", "month"):
            return actions
        start, end = self._dashboard_moments(date_from, date_to)
        if group_by == "month":
            month = datetime.combine(key, time.min)
            start, end = max(start, month), min(end, month + relativedelta(months=1))
            group = [("date", ">=", start), ("date", "<", end)]
        else:
            group = [("partner_id", "any", self._headline_team_domain(key))]
        actions["conversion_rate"] = self._dashboard_action(
            "crm_lifecycle.crm_lifecycle_history_action",
            self.env._("%(group)s: leads who became customers", group=name),
            [
                *self._get_headline_conversion_domain(company, start, end),
                *group,
                *self._get_headline_converted_domain(),
            ],
            "list",
        )
        return actions
