from datetime import datetime, time, timedelta

from odoo import api, models

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
