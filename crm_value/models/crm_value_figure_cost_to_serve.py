from odoo import api, fields, models
from odoo.tools import SQL

from ..figures import Figure, figure_source

AMOUNT = {"aggregator": "sum"}


@figure_source
class CrmValueFigureCostToServe(models.AbstractModel):
    """The cost of serving each customer: here the completed activities, by
    their type's cost. Other sources add to it (the handling of invoiced
    orders, crm.value.figure.purchases; complaints, in crm_care): a new cost
    is a new source yielding cost_to_serve and lifetime_cost_to_serve."""

    _name = "crm.value.figure.cost.to.serve"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Cost to Serve"
    _figure_sequence = 50
    _figures = (
        Figure(
            "cost_to_serve",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot=AMOUNT,
            partner={
                "string": "Cost to Serve",
                "help": "Handling cost per invoiced order plus the cost of "
                "completed activities by type.",
            },
        ),
        Figure(
            "lifetime_cost_to_serve",
            fields.Monetary,
            managers_only=True,
            merge="sum",
            snapshot=AMOUNT,
            partner={"string": "Cost to Serve (all time)"},
        ),
    )

    @api.model
    def _get_figures(self, scope):
        """The cost of each completed activity by type on the customer and its
        orders, in the window and ever."""
        return self._fetch_by_partner(
            SQL(
                """
            WITH contacts AS (
                SELECT p.id, p.commercial_partner_id FROM res_partner p
                 WHERE p.commercial_partner_id = ANY(%(partner_array)s::int[])
            ), done AS (
                -- activities done on the customer's contacts, and on their orders
                SELECT c.commercial_partner_id, msg.mail_activity_type_id, msg.date
                  FROM contacts c
                  JOIN mail_message msg ON msg.model = 'res.partner' AND msg.res_id = c.id
                 WHERE msg.mail_activity_type_id IS NOT NULL
                   AND (msg.record_company_id = %(company)s
                        OR msg.record_company_id IS NULL)
                UNION ALL
                SELECT c.commercial_partner_id, msg.mail_activity_type_id, msg.date
                  FROM contacts c
                  JOIN sale_order so ON so.partner_id = c.id
                  JOIN mail_message msg ON msg.model = 'sale.order' AND msg.res_id = so.id
                 WHERE msg.mail_activity_type_id IS NOT NULL
                   AND msg.record_company_id = %(company)s
            )
            SELECT done.commercial_partner_id AS partner_id,
                   COALESCE(SUM(t.value_cost) FILTER (WHERE done.date >= %(date_from)s), 0)
                       AS cost_to_serve,
                   SUM(t.value_cost) AS lifetime_cost_to_serve
              FROM done
              JOIN mail_activity_type t ON t.id = done.mail_activity_type_id
             WHERE t.value_cost <> 0
             GROUP BY 1
            """,
                **scope,
            )
        )
