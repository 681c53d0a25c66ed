"""Before the models load: the data the new unique indexes need (created by
`init` once this has run).

- One current snapshot per customer and company
  (`crm_value_snapshot_one_current_uniq`): a recompute dated by a user's time
  zone ahead of the nightly run's could leave two; the newest one (by date,
  then id) stays current, the others stay as history.
- A tier code once per company and once among the shared tiers
  (`crm_value_tier_code_scope_uniq`): `unique(code, company_id)` let two shared
  tiers (no company) have one code; the first keeps it, the others get their
  id appended (and a warning names them), as two tiers one code named are
  ambiguous to whoever reads them."""

import logging

from openupgradelib import openupgrade

from odoo.tools.sql import index_exists

_logger = logging.getLogger(__name__)


def _keep_newest_current_snapshot(cr):
    if index_exists(cr, "crm_value_snapshot_one_current_uniq"):
        return  # the database already holds one per customer and company
    openupgrade.logged_query(
        cr,
        """
        UPDATE crm_value_snapshot s SET is_current = FALSE
          FROM (
            SELECT id, row_number() OVER (
                       PARTITION BY partner_id, company_id ORDER BY date DESC, id DESC
                   ) AS rank
              FROM crm_value_snapshot WHERE is_current
          ) newest
         WHERE s.id = newest.id AND newest.rank > 1
        """,
        skip_no_result=True,
    )


def _rename_shared_codes_used_twice(cr):
    openupgrade.logged_query(
        cr,
        """
        UPDATE crm_value_tier t SET code = t.code || '_' || t.id
          FROM (
            SELECT id, row_number() OVER (PARTITION BY code ORDER BY id) AS rank
              FROM crm_value_tier WHERE company_id IS NULL
          ) twin
         WHERE t.id = twin.id AND twin.rank > 1
     RETURNING t.id, t.code
        """,
        skip_no_result=True,
    )
    for tier_id, code in cr.fetchall():
        _logger.warning(
            "crm.value.tier %s: its code was another shared tier's, now %s",
            tier_id,
            code,
        )


def migrate(cr, version):
    _keep_newest_current_snapshot(cr)
    _rename_shared_codes_used_twice(cr)
