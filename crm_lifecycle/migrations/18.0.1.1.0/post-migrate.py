"""Rule conditions read the company's settings as plain numbers now
(`loyal_order_count`, not `company.lifecycle_loyal_order_count`): rewrite the
conditions already stored (the shipped rules are noupdate, and a consultant's
rules were written the old way). A condition reading anything else of the
company is left as it is: the engine skips it and reports it on the rule."""

import logging

from odoo.addons.crm_lifecycle.rule_conditions import rewrite_legacy_condition

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    cr.execute(
        "SELECT id, domain FROM crm_lifecycle_rule WHERE domain LIKE '%company%'"
    )
    for rule_id, domain in cr.fetchall():
        rewritten = rewrite_legacy_condition(domain)
        if rewritten != domain:
            cr.execute(
                "UPDATE crm_lifecycle_rule SET domain = %s WHERE id = %s",
                (rewritten, rule_id),
            )
            _logger.info(
                "Lifecycle rule %s: condition rewritten to %s", rule_id, rewritten
            )
