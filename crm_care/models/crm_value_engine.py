from odoo import api, models
from odoo.tools import SQL

from odoo.addons.crm_value.sql_arrays import array_literal

# How each measure maps to 0-1 satisfaction: (lowest, highest) of its scale.
# CES asks "how easy was it", so 7 (very easy) is the most satisfied.
CARE_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


class CrmValueEngine(models.AbstractModel):
    _inherit = "crm.value.engine"

    @api.model
    def _queue_company_recompute(self, company):
        """The care scheduler runs too: queued events and due care emails."""
        result = super()._queue_company_recompute(company)
        self.env.ref("crm_care.ir_cron_care_scheduler").sudo()._trigger()
        return result

    def _get_satisfaction_by_partner(self, company, partner_ids):
        """Satisfaction from the customers' completed surveys: the average of
        their scores each brought to 0-1 (NPS/10, (CSAT-1)/4, (CES-1)/6)."""
        satisfaction = super()._get_satisfaction_by_partner(company, partner_ids)
        groups = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [
                    ("care_partner_id", "in", list(partner_ids)),
                    ("state", "=", "done"),
                    ("test_entry", "=", False),
                    ("care_kind", "!=", False),
                    "|",
                    ("care_nps_class", "!=", False),
                    ("care_score", ">", 0),
                ],
                ["care_partner_id", "care_kind"],
                ["care_score:sum", "__count"],
            )
        )
        totals = {}
        for partner, kind, score_sum, count in groups:
            low, high = CARE_SCALES[kind]
            normalised = (score_sum - low * count) / (high - low)
            total = totals.setdefault(partner.id, [0.0, 0])
            total[0] += normalised
            total[1] += count
        for partner_id, (normalised, count) in totals.items():
            satisfaction[partner_id] = min(max(normalised / count, 0.0), 1.0)
        return satisfaction

    def _get_cost_to_serve_by_partner(self, company, figures, date_from):
        """Add each complaint's cost (not cancelled ones), on the day it was
        received."""
        costs = super()._get_cost_to_serve_by_partner(company, figures, date_from)
        if not figures:
            return costs
        self.env["crm.care.complaint"].flush_model(
            ["partner_id", "company_id", "cost", "state", "date_received"]
        )
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id,
                   COALESCE(SUM(cost) FILTER (WHERE date_received >= %(date_from)s), 0),
                   SUM(cost)
              FROM crm_care_complaint
             WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s::int[])
               AND state <> 'cancelled' AND cost <> 0
             GROUP BY partner_id
            """,
                company=company.id,
                date_from=date_from,
                partners=array_literal(figures),
            )
        )
        for pid, window, lifetime in self.env.cr.fetchall():
            before_window, before_lifetime = costs.get(pid, (0.0, 0.0))
            costs[pid] = (
                before_window + float(window),
                before_lifetime + float(lifetime),
            )
        return costs
