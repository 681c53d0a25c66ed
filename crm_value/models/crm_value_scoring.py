import logging

import numpy as np

from odoo import api, models

from ..analytics import clv, rfm, value_matrix
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
        network figures, the scores, then the ranking."""
        self.env["crm.value.network"]._refresh_company(company)
        self._score_company(company)
        self.env["crm.value.ranking"]._rank_company(company)

    @api.model
    def _score_company(self, company):
        """Score every current customer of the company (_score_rows) and write
        the scores that changed to the current snapshots."""
        self.env.flush_all()
        Snapshot = self.env["crm.value.snapshot"]
        rows = Snapshot._read_current_rows(
            company, (*self._get_score_inputs(company), *SCORE_COLUMNS)
        )
        scores = self._score_rows(company, rows)
        scores.update(
            self.env["crm.value.scorecard"]._score_rows(company, rows, scores)
        )
        Snapshot._update_changed(rows, scores)

    @api.model
    def _get_score_inputs(self, company):
        """The snapshot columns _score_rows reads."""
        return (
            "first_sale_date",
            "last_sale_date",
            "lifetime_order_count",
            "lifetime_invoiced_count",
            self.env["crm.value.ranking"]._get_ranking_basis(company),
            "lifetime_net_profit",
            "categories_bought",
            "satisfaction",
            *self.env["crm.value.scorecard"]._get_score_inputs(company),
        )

    @api.model
    def _score_rows(self, company, rows):
        """{score column: [value per row]}: RFM scores and segments, P(alive),
        expected orders, lifetime value, value matrix and value vector of the
        company's current customers, `rows` ({column: [value per row]} of
        _get_score_inputs, in snapshot id order), with one BG/NBD and one
        Gamma-Gamma fit per company. Customers left without any sale (their
        invoices cancelled) have no scores."""
        today = company._get_value_today()
        sold = [
            index
            for index, day in enumerate(rows["first_sale_date"])
            if day is not None
        ]
        scores = {name: [None] * len(rows["first_sale_date"]) for name in SCORE_COLUMNS}
        if not sold:
            return scores

        def column(name):
            return [rows[name][index] for index in sold]

        first, last = column("first_sale_date"), column("last_sale_date")
        purchases = np.array(
            [max(count or 1, 1) for count in column("lifetime_order_count")],
            dtype=float,
        )
        # Profit counts the invoiced purchases only (matching): profit per
        # purchase is over those.
        invoiced = np.array(
            [count or 0 for count in column("lifetime_invoiced_count")], dtype=float
        )
        # RFM monetary, the value matrix and the economic value read the
        # profit the pyramid ranks on; lifetime value, the profit of all time.
        profit = np.array(
            column(self.env["crm.value.ranking"]._get_ranking_basis(company)),
            dtype=float,
        )
        lifetime_profit = np.array(column("lifetime_net_profit"), dtype=float)
        recency_days = np.array([(today - day).days for day in last], dtype=float)
        rfm_scores = rfm.rfm_scores(np.maximum(recency_days, 0), purchases, profit)
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        segments = [
            grid.get((int(r), int(f))) for r, f in zip(*rfm_scores[:2], strict=True)
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
        functional = value_matrix.percentile_scale(
            [count or 0 for count in column("categories_bought")]
        )
        psychological = np.array(
            [0.5 if value is None else value for value in column("satisfaction")],
            dtype=float,
        )
        score = value_matrix.value_score(economic, functional, psychological)
        deciles = value_matrix.deciles(lifetime)
        computed = {
            "rfm_recency": [int(x) for x in rfm_scores[0]],
            "rfm_frequency": [int(x) for x in rfm_scores[1]],
            "rfm_monetary": [int(x) for x in rfm_scores[2]],
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
        for name, values in computed.items():
            for index, value in zip(sold, values, strict=True):
                scores[name][index] = value
        return scores

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
