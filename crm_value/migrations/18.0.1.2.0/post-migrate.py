"""A tier's relationship level follows the numbers now (proposed after each
night's ranking) unless it is pinned. Until this version a person typed every
level: the levels a company changed from what crm_value shipped, and those of
the tiers it made itself, are pinned so that what was typed stays; the shipped
tiers still at their shipped level follow the proposal from the next night.

The current snapshots get the credit risk figures a pyramid may rank on before
the next full pass computes them: no expected bad debt yet, the risk-adjusted
profit the net profit (a queued run ranks the others on their stored rows)."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The levels crm_value/data/crm_value_tier_data.xml gave its tiers.
SHIPPED_LEVELS = (
    ("tier_platinum", "partnership"),
    ("tier_gold", "proactive"),
    ("tier_iron", "accountable"),
    ("tier_lead", "basic"),
)


def migrate(cr, version):
    cr.execute(
        SQL(
            """
        UPDATE crm_value_tier t SET relationship_level_pinned = TRUE
         WHERE NOT EXISTS (
               SELECT FROM ir_model_data d
                WHERE d.module = 'crm_value' AND d.model = 'crm.value.tier'
                  AND d.res_id = t.id
                  AND (d.name, t.relationship_level) IN %s)
        RETURNING id
        """,
            SHIPPED_LEVELS,
        )
    )
    _logger.info("%s tiers keep their relationship level (pinned)", cr.rowcount)
    cr.execute(
        """
        UPDATE crm_value_snapshot
           SET expected_bad_debt = 0, risk_adjusted_profit = net_profit
         WHERE is_current AND risk_adjusted_profit IS NULL
        """
    )
