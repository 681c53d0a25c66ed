from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.figures import Figure, figure_source

# The start of each customer's current run of customer stages, and whether
# it began at their first classification in the company: from _get_figures
# to _derive_figures (never stored).
RUN_START, RUN_IS_FIRST = "lifecycle_run_start", "lifecycle_run_is_first"


@figure_source
class CrmValueFigureCustomerTenure(models.AbstractModel):
    """How mature the relationship is: whole months the customer has been,
    without a break, in stages that count as customer."""

    _name = "crm.value.figure.customer.tenure"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Customer Tenure"
    _figure_sequence = 90
    _figures = (
        Figure(
            "customer_tenure_months",
            fields.Integer,
            default=0,
            snapshot={
                "string": "Customer For (months)",
                "aggregator": "avg",
                "help": "Whole months since the customer entered, without a "
                "break, the customer stages they are in; 0 outside them.",
            },
            partner={
                "string": "Customer For (months)",
                "aggregator": "avg",
                "help": "Whole months the customer has been, without a break, in "
                "lifecycle stages that count as customer: since their first sale "
                "when they have been one since the lifecycle first classified "
                "them, else since they last became one (a win-back starts "
                "again). 0 when their stage is not a customer stage. As of the "
                "lifecycle's last evaluation.",
            },
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """The first move of each customer's current run of stays in customer
        stages (none when the last stay is not one), and whether that run
        began at their first classification in the company (its moves, say
        reserve, new then active, share one moment)."""
        self.env["crm.lifecycle.history"].flush_model(
            ["partner_id", "company_id", "stage_to_id", "date"]
        )
        self.env["crm.lifecycle.stage"].flush_model(["is_customer"])
        return self._fetch_by_partner(
            SQL(
                """
            SELECT partner_id, MIN(date) AS %(start)s,
                   MIN(date) = MIN(first_date) AS %(first)s
              FROM (
                SELECT h.partner_id, h.date,
                       -- from the latest stay back to this one, all customer stays
                       BOOL_AND(st.is_customer IS TRUE) OVER (
                           PARTITION BY h.partner_id ORDER BY h.date DESC, h.id DESC
                       ) AS unbroken,
                       -- the first classification (its moves share one moment)
                       MIN(h.date) OVER (PARTITION BY h.partner_id) AS first_date
                  FROM crm_lifecycle_history h
                  JOIN crm_lifecycle_stage st ON st.id = h.stage_to_id
                 WHERE h.company_id = %(company)s
                   AND h.partner_id = ANY(%(partner_array)s::int[])
              ) stays
             WHERE unbroken
             GROUP BY partner_id
            """,
                start=SQL.identifier(RUN_START),
                first=SQL.identifier(RUN_IS_FIRST),
                **scope,
            )
        )

    @api.model
    def _derive_figures(self, figures):
        """Whole months from the run's start to the company's today: from the
        first sale when the run began at the customer's first classification
        (the lifecycle classifies customers long after their first sale), else
        from the move."""
        today = self.env.company._get_value_today()
        for values in figures.values():
            start = values.pop(RUN_START, None)
            is_first = values.pop(RUN_IS_FIRST, False)
            if start is None:
                continue
            start = start.date()
            if is_first and values.get("first_sale_date"):
                start = min(start, values["first_sale_date"])
            age = relativedelta(today, start)
            values["customer_tenure_months"] = max(age.years * 12 + age.months, 0)
