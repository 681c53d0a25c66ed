import logging

import numpy as np

from odoo import api, models
from odoo.tools import SQL

from ..analytics import clv, rfm, value_matrix
from ..sql_arrays import unnest_rows
from .crm_value_engine import SCORE_COLUMNS

_logger = logging.getLogger(__name__)


class CrmValueScoring(models.AbstractModel):
    """Scores over all a company's current customers at once: RFM, lifetime
    value (BG/NBD and Gamma-Gamma fitted per company, `analytics.clv`), value
    matrix and value vector, written to their current snapshots."""

    _name = "crm.value.scoring"
    _description = "Customer Value Scoring"

    @api.model
    def _refresh_company(self, company):
        """Everything computed over all the company's customers at once: the
        scores, then the ranking."""
        self._score_company(company)
        self.env["crm.value.ranking"]._rank_company(company)

    @api.model
    def _score_company(self, company):
        """RFM scores and segments, P(alive), expected orders, lifetime value,
        value matrix and value vector of every current customer: one BG/NBD and
        one Gamma-Gamma fit per company, written to the current snapshots."""
        self.env.flush_all()
        cr, today = self.env.cr, company._get_value_today()
        # RFM monetary, the value matrix and the economic value read the
        # profit the pyramid ranks on; lifetime value, the profit of all time.
        cr.execute(
            SQL(
                """
            SELECT id, partner_id, first_sale_date, last_sale_date,
                   GREATEST(lifetime_order_count, 1), lifetime_invoiced_count,
                   %s, lifetime_net_profit
              FROM crm_value_snapshot
             WHERE company_id = %s AND is_current AND first_sale_date IS NOT NULL
             ORDER BY id
            """,
                SQL.identifier(
                    self.env["crm.value.ranking"]._get_ranking_basis(company)
                ),
                company.id,
            )
        )
        rows = cr.fetchall()
        # Customers left without any sale (their invoices cancelled) have no
        # scores any more: none carried over from an earlier snapshot.
        cr.execute(
            SQL(
                """
            UPDATE crm_value_snapshot SET %s
             WHERE company_id = %s AND is_current AND first_sale_date IS NULL
               AND num_nonnulls(%s) > 0
            """,
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(name)) for name in SCORE_COLUMNS
                ),
                company.id,
                SQL(", ").join(SQL.identifier(name) for name in SCORE_COLUMNS),
            )
        )
        if not rows:
            self.env["crm.value.snapshot"].invalidate_model()
            return
        ids, partner_ids, first, last, purchases, invoiced, profit, lifetime_profit = (
            zip(*rows, strict=True)
        )
        purchases = np.array(purchases, dtype=float)
        # Profit counts the invoiced purchases only (matching): profit per
        # purchase is over those.
        invoiced = np.array([count or 0 for count in invoiced], dtype=float)
        profit = np.array(profit, dtype=float)
        lifetime_profit = np.array(lifetime_profit, dtype=float)
        recency_days = np.array([(today - day).days for day in last], dtype=float)
        scores = rfm.rfm_scores(np.maximum(recency_days, 0), purchases, profit)
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        segments = [
            grid.get((int(r), int(f))) for r, f in zip(*scores[:2], strict=True)
        ]
        # BG/NBD convention, in days: repeat purchases, age at last, age now.
        frequency = purchases - 1
        age_at_last = np.array(
            [(b - a).days for a, b in zip(first, last, strict=True)], dtype=float
        )
        recency = np.where(frequency > 0, np.maximum(age_at_last, 0), 0.0)
        age = np.maximum(
            np.array([(today - a).days for a in first], dtype=float), recency
        )
        average = lifetime_profit / np.maximum(invoiced, 1)
        p_alive, expected, future = self._predict(
            company, frequency, recency, age, average, invoiced
        )
        rate = company.value_discount_rate / 100.0
        middle_age = (age - recency / 2) / clv.DAYS_PER_MONTH
        historical = clv.historical_value(
            lifetime_profit, np.maximum(middle_age, 0), rate
        )
        lifetime = historical + future
        quadrants = value_matrix.quadrants(profit, future, company.value_matrix_split)
        economic = value_matrix.percentile_scale(profit)
        engine = self.env["crm.value.engine"]
        breadth = engine._get_categories_bought_by_partner(company, partner_ids)
        functional = value_matrix.percentile_scale(
            [breadth.get(p, 0) for p in partner_ids]
        )
        satisfaction = engine._get_satisfaction_by_partner(company, partner_ids)
        psychological = np.array([satisfaction.get(p, 0.5) for p in partner_ids])
        score = value_matrix.value_score(economic, functional, psychological)
        deciles = value_matrix.deciles(lifetime)
        rows = {
            "id": list(ids),
            "rfm_recency": [int(x) for x in scores[0]],
            "rfm_frequency": [int(x) for x in scores[1]],
            "rfm_monetary": [int(x) for x in scores[2]],
            "rfm_segment_id": segments,
            "p_alive": [None if x is None else float(x) for x in p_alive],
            "expected_orders": [float(x) for x in expected],
            "clv_historical": [float(x) for x in historical],
            "clv_future": [float(x) for x in future],
            "clv": [float(x) for x in lifetime],
            "clv_decile": [int(x) for x in deciles],
            "quadrant": list(quadrants),
            "value_economic": [float(x) for x in economic],
            "value_functional": [float(x) for x in functional],
            "value_psychological": [float(x) for x in psychological],
            "value_score": [float(x) for x in score],
        }
        names = list(SCORE_COLUMNS)
        cr.execute(
            SQL(
                "UPDATE crm_value_snapshot s SET %s FROM %s WHERE s.id = v.id",
                SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in names
                ),
                unnest_rows(self.env["crm.value.snapshot"]._fields, rows),
            )
        )
        self.env["crm.value.snapshot"].invalidate_model()

    @api.model
    def _predict(self, company, frequency, recency, age, average, invoiced):
        """P(alive), expected orders in 12 months and discounted future profit
        over the company's horizon (`analytics.clv.forecast`, in days, with the
        company's settings). Without enough repeat buyers to fit the models,
        nothing is predicted (P(alive) unknown, no future profit).

        `frequency`, `recency`, `age`: every purchase (BG/NBD); `average`:
        profit per invoiced purchase, `invoiced` of them (Gamma-Gamma)."""
        predicted = clv.forecast(
            frequency,
            recency,
            age,
            average,
            invoiced,
            time_unit_days=1,
            horizon_months=company.value_clv_horizon_months,
            monthly_rate=company.value_discount_rate / 100.0,
        )
        if predicted.fit_error:
            _logger.warning(
                "customer value: no BG/NBD fit for %s: %s",
                company.name,
                predicted.fit_error,
            )
        return predicted.p_alive, predicted.expected_orders, predicted.future_value
