from odoo import api, models
from odoo.tools import SQL

from ..analytics.scorecard import DIMENSIONS, group_shares, scorecard
from ..sql_arrays import array_literal
from .crm_value_scorecard_indicator import SCORECARD_SCORES

# What the scorecard writes to the snapshot: the market share it derives for
# its indicators, then the scores.
SCORECARD_COLUMNS = ("segment_revenue_share", *SCORECARD_SCORES)


class CrmValueScorecard(models.AbstractModel):
    """The customer scorecard (客户平衡计分卡) of a company's current customers,
    in memory, after the other scores of the night: each indicator
    (crm.value.scorecard.indicator) scores a snapshot column 0-100, each
    dimension is the weighted mean of its indicators, the total the weighted
    mean of the dimensions (the company's weights). The computation is
    `analytics.scorecard`."""

    _name = "crm.value.scorecard"
    _description = "Customer Scorecard"

    @api.model
    def _get_score_inputs(self, company):
        """The snapshot columns _score_rows reads beside the other scores'
        inputs: revenue (the segment share) and the indicators' figures."""
        indicators = self.env["crm.value.scorecard.indicator"]._get_company_indicators(
            company
        )
        return tuple(
            dict.fromkeys(
                name
                for name in ("revenue", *(figure for figure, _i in indicators))
                if name not in SCORECARD_COLUMNS
            )
        )

    @api.model
    def _score_rows(self, company, rows, scores):
        """{SCORECARD_COLUMNS column: [value per row]} of the company's current
        `rows` (as crm.value.scoring._score_rows reads them, with the columns
        of _get_score_inputs), once `scores` ({score column: [value per row]})
        are computed: an indicator reads this night's scores (clv, rfm
        segment) rather than the rows' previous ones. Customers without any
        sale have no scorecard, as they have no other score."""
        size = len(rows["partner_id"])
        sold = [
            index
            for index, day in enumerate(rows["first_sale_date"])
            if day is not None
        ]
        result = {name: [None] * size for name in SCORECARD_COLUMNS}
        if not sold:
            return result

        def column(name):
            values = scores[name] if name in scores else rows[name]
            return [values[index] for index in sold]

        # The customer's share of the revenue of their RFM segment's customers.
        derived = {
            "segment_revenue_share": group_shares(
                column("revenue"), column("rfm_segment_id")
            )
        }
        indicators = self.env["crm.value.scorecard.indicator"]._get_company_indicators(
            company
        )
        card = scorecard(
            [indicator for _figure, indicator in indicators],
            [
                derived[figure] if figure in derived else column(figure)
                for figure, _indicator in indicators
            ],
            company._get_value_scorecard_weights(),
            len(sold),
        )
        computed = dict(
            derived,
            **{f"score_{dimension}": card[dimension] for dimension in DIMENSIONS},
            score_total=card["total"],
        )
        for name, values in computed.items():
            for index, value in zip(sold, values, strict=True):
                result[name][index] = value
        return result

    # ------------------------------------------------------------------
    # Read
    # ------------------------------------------------------------------
    @api.model
    def _get_dimension_labels(self):
        """[(dimension, label in the reader's language)] in DIMENSIONS order."""
        return (
            self.env["crm.value.scorecard.indicator"]
            ._fields["dimension"]
            ._description_selection(self.env)
        )

    @api.model
    def _get_average_scores(self, domain, columns, groupby=()):
        """{group key tuple: ([average per column, None where no snapshot of
        the group has a value], count)} of the snapshots of `domain` grouped
        by `groupby`, in one query."""
        aggregates = ["__count"]
        for column in columns:
            aggregates += [f"{column}:avg", f"{column}:count"]
        result = {}
        for row in self.env["crm.value.snapshot"]._read_group(
            domain, list(groupby), aggregates
        ):
            keys, (count, *values) = row[: len(groupby)], row[len(groupby) :]
            result[tuple(keys)] = (
                [
                    average if counted else None
                    for average, counted in zip(values[::2], values[1::2], strict=True)
                ],
                count,
            )
        return result

    @api.model
    def _get_radar_charts(self, company, partner_ids):
        """{partner id: chart} of the commercial partners scored in `company`
        (crm_value_radar_chart widget: {labels, max, series: [{label, data}]}),
        the customer's four dimension scores (None: no indicator value) beside
        the company's average, in two queries."""
        Snapshot = self.env["crm.value.snapshot"]
        columns = [f"score_{dimension}" for dimension in DIMENSIONS]
        Snapshot.flush_model(["partner_id", "company_id", "is_current", *columns])
        # In SQL: a dimension without any indicator value is NULL, not 0.
        self.env.cr.execute(
            SQL(
                """
            SELECT partner_id, %(columns)s FROM crm_value_snapshot
             WHERE company_id = %(company)s AND is_current
               AND partner_id = ANY(%(partners)s::int[])
               AND score_total IS NOT NULL
            """,
                columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                company=company.id,
                partners=array_literal(partner_ids),
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return {}
        averages = self._get_average_scores(
            [("company_id", "=", company.id), ("is_current", "=", True)], columns
        )
        labels = [label for _key, label in self._get_dimension_labels()]
        average = {
            "label": self.env._("Company Average"),
            "data": [
                None if value is None else round(value, 1) for value in averages[()][0]
            ],
        }

        return {
            pid: {
                "labels": labels,
                "max": 100,
                "series": [
                    {
                        "label": self.env._("This Customer"),
                        "data": [
                            None if value is None else round(value, 1)
                            for value in values
                        ],
                    },
                    average,
                ],
            }
            for pid, *values in rows
        }
