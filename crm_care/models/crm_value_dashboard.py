from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.analytics.loyalty import loyalty_index

from .crm_care_complaint_stage import DONE_STATES, OPEN_STATES

# The tiers whose care coverage the dashboard shows.
COVERED_TIERS = ("platinum", "gold")


class CrmValueDashboard(models.AbstractModel):
    _inherit = "crm.value.dashboard"

    @api.model
    def _get_dashboard_sections(self, company, date_from, date_to):
        sections = super()._get_dashboard_sections(company, date_from, date_to)
        if self.env["ir.model.access"].check(
            "survey.user_input", "read", raise_exception=False
        ):
            sections["care_satisfaction"] = self._get_dashboard_satisfaction(
                company, date_from, date_to
            )
        sections["care_complaints"] = self._get_dashboard_complaints(
            company, date_from, date_to
        )
        sections["care_coverage"] = self._get_dashboard_coverage(company)
        return sections

    @api.model
    def _get_dashboard_satisfaction_kinds(self, company, date_from, date_to):
        """{"nps" | "csat": (domain, measure)}: the completed survey answers of
        the company's customers (those with a value snapshot in it) in the
        period, and the figure averaged over them (NPS -100 to 100, CSAT
        1-5). The one definition of the dashboard's satisfaction figures."""
        start, end = self._dashboard_moments(date_from, date_to)
        customers = (
            self.env["crm.value.snapshot"]
            ._search(self._dashboard_current_domain(company))
            .subselect("partner_id")
        )
        base = [
            ("state", "=", "done"),
            ("test_entry", "=", False),
            ("care_partner_id", "in", customers),
            ("end_datetime", ">=", start),
            ("end_datetime", "<", end),
        ]
        return {
            "nps": ([*base, ("care_kind", "=", "nps")], "care_nps_value:avg"),
            "csat": (
                [*base, ("care_kind", "=", "csat"), ("care_score", ">", 0)],
                "care_score:avg",
            ),
        }

    @api.model
    def _get_dashboard_satisfaction(self, company, date_from, date_to):
        """NPS (average of the answers' NPS value, -100 to 100) and CSAT
        (average score, 1-5) per month, from the completed survey answers of
        the company's customers (those with a value snapshot in it): the
        Customer Satisfaction analysis's figures."""
        kinds = self._get_dashboard_satisfaction_kinds(company, date_from, date_to)
        Answer = self.env["survey.user_input"]
        months = []
        month = date_from.replace(day=1)
        while month <= date_to:
            months.append(month)
            month += relativedelta(months=1)
        section = {"months": [m.isoformat() for m in months]}
        for kind, (domain, measure) in kinds.items():
            by_month = {
                fields.Date.to_date(moment).replace(day=1): (count, value)
                for moment, count, value in Answer._read_group(
                    domain, ["end_datetime:month"], ["__count", measure]
                )
            }
            [(count, value)] = Answer._read_group(domain, [], ["__count", measure])
            section[kind] = {
                "values": [by_month.get(m, (0, None))[1] for m in months],
                "counts": [by_month.get(m, (0, None))[0] for m in months],
                "count": count,
                "value": value if count else None,
                "action": self._dashboard_action(
                    "crm_care.survey_user_input_action_care",
                    "NPS" if kind == "nps" else "CSAT",
                    domain,
                    "list",
                ),
            }
        return section

    @api.model
    def _get_dashboard_complaints(self, company, date_from, date_to):
        """Complaints open now and late among them; received in the period,
        and resolved in it, to the customer's satisfaction or not."""
        start, end = self._dashboard_moments(date_from, date_to)
        company_domain = [("company_id", "=", company.id)]
        resolved = [
            *company_domain,
            ("state", "in", DONE_STATES),
            ("date_resolved", ">=", start),
            ("date_resolved", "<", end),
        ]
        figures = {
            "open": (self.env._("Open complaints"), [("state", "in", OPEN_STATES)]),
            "late": (
                self.env._("Late complaints"),
                [("state", "in", OPEN_STATES), ("sla_status", "=", "late")],
            ),
            "received": (
                self.env._("Complaints received"),
                [("date_received", ">=", start), ("date_received", "<", end)],
            ),
            "resolved": (self.env._("Complaints resolved"), resolved[1:]),
            "satisfied": (
                self.env._("Complaints resolved to satisfaction"),
                [*resolved[1:], ("satisfied", "=", True)],
            ),
        }
        Complaint = self.env["crm.care.complaint"]
        section = {}
        for key, (name, domain) in figures.items():
            domain = [*company_domain, *domain]
            section[key] = {
                "count": Complaint.search_count(domain),
                "action": self._dashboard_action(
                    "crm_care.crm_care_complaint_action", name, domain, "list"
                ),
            }
        resolved_count = section["resolved"]["count"]
        section["satisfaction_rate"] = (
            100.0 * section["satisfied"]["count"] / resolved_count
            if resolved_count
            else None
        )
        return section

    @api.model
    def _get_dashboard_coverage(self, company):
        """For the Platinum and Gold customers: how many have a dedicated
        representative, and how many were touched (an activity completed) in
        the last 90 days, from the Care Coverage report."""
        Report = self.env["crm.care.coverage.report"]
        tiers = (
            self.env["crm.value.tier"]
            ._get_company_tiers(company)
            .filtered(lambda tier: tier.code in COVERED_TIERS)
        )
        rows = []
        for tier in tiers:
            domain = [("company_id", "=", company.id), ("tier_id", "=", tier.id)]
            row = {"id": tier.id, "code": tier.code, "name": tier.name}
            for key, extra, name in (
                ("count", [], self.env._("%(tier)s customers", tier=tier.name)),
                (
                    "represented",
                    [("user_id", "!=", False)],
                    self.env._("%(tier)s: with a representative", tier=tier.name),
                ),
                (
                    "unrepresented",
                    [("user_id", "=", False)],
                    self.env._("%(tier)s: no representative", tier=tier.name),
                ),
                (
                    "touched",
                    [("touched", "=", True)],
                    self.env._("%(tier)s: touched in 90 days", tier=tier.name),
                ),
            ):
                row[key] = {
                    "count": Report.search_count([*domain, *extra]),
                    "action": self._dashboard_action(
                        "crm_care.crm_care_coverage_report_action",
                        name,
                        [*domain, *extra],
                        "list",
                    ),
                }
            rows.append(row)
        return {"tiers": rows}

    # ------------------------------------------------------------------
    # The headline figures: satisfaction (CSAT, NPS) and the loyalty index
    # ------------------------------------------------------------------
    @api.model
    def _get_headline_metrics(self, company, group_by, date_from, date_to):
        """Adds `csat` and `nps` (the satisfaction tile's definitions: by tier
        and team, of the answers of the group's customers in the period; by
        month, of the answers completed in the month) with their answer
        counts, and `loyalty_index` (analytics/loyalty.py: the group's
        tenure and repeat rate from crm_value with its NPS)."""
        metrics = super()._get_headline_metrics(company, group_by, date_from, date_to)
        if self._headline_reads_answers():
            kinds = self._get_dashboard_satisfaction_kinds(company, date_from, date_to)
            for kind, (domain, measure) in kinds.items():
                for key, (count, value, partner_ids) in self._get_headline_answers(
                    company, group_by, date_from, date_to, domain, measure
                ).items():
                    metrics.setdefault(key, {}).update(
                        {
                            kind: value,
                            f"{kind}_count": count,
                            f"{kind}_partner_ids": partner_ids,
                        }
                    )
            for values in metrics.values():
                values["loyalty_index"] = loyalty_index(
                    values.get("tenure_months"),
                    values.get("repeat_rate"),
                    values.get("nps"),
                )
        return metrics

    @api.model
    def _headline_reads_answers(self):
        """Whether the user reads survey answers: else no satisfaction column
        (as no satisfaction tile)."""
        return self.env["ir.model.access"].check(
            "survey.user_input", "read", raise_exception=False
        )

    @api.model
    def _get_headline_answers(
        self, company, group_by, date_from, date_to, domain, measure
    ):
        """{group key: (answers, average of `measure`, answering partner ids
        by tier)} of the answers matching `domain` (read as the user): by
        tier and team joined to the customers of crm_value's groups, by month
        the answers' own month."""
        Answer = self.env["survey.user_input"]
        if group_by == "month":
            return {
                fields.Date.to_date(moment).replace(day=1): (count, value, None)
                for moment, count, value in Answer._read_group(
                    domain, ["end_datetime:month"], ["__count", measure]
                )
            }
        column = measure.split(":")[0]
        customers = self._get_headline_customers_query(
            company, group_by, date_from, date_to
        )
        table = Answer._table
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT c.group_key, COUNT(*), AVG(a.measure),
                   ARRAY_AGG(DISTINCT a.partner_id ORDER BY a.partner_id)
              FROM %(answers)s a
              JOIN %(customers)s c ON c.partner_id = a.partner_id
             GROUP BY 1
            """,
                answers=Answer._search(domain).subselect(
                    SQL("%s AS partner_id", SQL.identifier(table, "care_partner_id")),
                    SQL("%s AS measure", SQL.identifier(table, column)),
                ),
                customers=customers,
            )
        )
        return {
            key or False: (count, float(value), ids if group_by == "tier" else None)
            for key, count, value, ids in self.env.cr.fetchall()
        }

    @api.model
    def _get_headline_columns(self, group_by):
        columns = super()._get_headline_columns(group_by)
        if self._headline_reads_answers():
            columns += [
                {
                    "key": "csat",
                    "label": self.env._("CSAT"),
                    "figure": "satisfaction",
                    "format": "score",
                    "addon": "crm_care",
                    "sequence": 10,
                },
                {
                    "key": "nps",
                    "label": self.env._("NPS"),
                    "figure": "satisfaction",
                    "format": "number",
                    "addon": "crm_care",
                    "sequence": 11,
                },
                {
                    "key": "loyalty_index",
                    "label": self.env._("Loyalty Index"),
                    "figure": "loyalty",
                    "format": "number",
                    "addon": "crm_care",
                    "sequence": 20,
                },
            ]
        return columns

    @api.model
    def _get_headline_actions(
        self, company, group_by, key, name, values, date_from, date_to
    ):
        """The CSAT and NPS cells list the answers they average."""
        actions = super()._get_headline_actions(
            company, group_by, key, name, values, date_from, date_to
        )
        if not self._headline_reads_answers():
            return actions
        kinds = self._get_dashboard_satisfaction_kinds(company, date_from, date_to)
        for kind, (domain, _measure) in kinds.items():
            if not values.get(f"{kind}_count"):
                continue
            if group_by == "tier":
                group = [("care_partner_id", "in", values[f"{kind}_partner_ids"])]
            elif group_by == "team":
                group = [("care_partner_id", "any", self._headline_team_domain(key))]
            else:
                month = datetime.combine(key, time.min)
                group = [
                    ("end_datetime", ">=", month),
                    ("end_datetime", "<", month + relativedelta(months=1)),
                ]
            actions[kind] = self._dashboard_action(
                "crm_care.survey_user_input_action_care",
                f"{name}: {'NPS' if kind == 'nps' else 'CSAT'}",
                [*domain, *group],
                "list",
            )
        return actions
