"""Care plans name the lifecycle stage they start on (care_stage_id) instead of
its code (care_stage_code, a text nothing checked): each plan gets the stage
of its code, and the old column goes. Birthday care events are keyed, like
every other event, by their document (the contact): "res.partner,<id>,<year>"
instead of "birthday,<id>,<year>", so this year's birthdays are not cared for
twice."""

import logging

from openupgradelib import openupgrade, openupgrade_tools

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if openupgrade_tools.column_exists(cr, "mail_activity_plan", "care_stage_code"):
        openupgrade.logged_query(
            cr,
            """
            UPDATE mail_activity_plan plan
               SET care_stage_id = stage.id
              FROM crm_lifecycle_stage stage
             WHERE stage.code = plan.care_stage_code
               AND plan.care_stage_id IS NULL
            """,
        )
        # A code naming no stage (nothing checked the text): the plan could
        # never start; it is archived and named in the log, not left silent.
        cr.execute(
            """
            UPDATE mail_activity_plan SET active = FALSE
             WHERE care_trigger = 'stage_entered' AND care_stage_id IS NULL
            RETURNING id, care_stage_code
            """
        )
        for plan_id, code in cr.fetchall():
            _logger.warning(
                "care plan %s starts on lifecycle stage %r, which does not "
                "exist: archived, choose its stage and unarchive it",
                plan_id,
                code,
            )
        openupgrade.drop_columns(cr, [("mail_activity_plan", "care_stage_code")])
    openupgrade.logged_query(
        cr,
        """
        UPDATE crm_care_event
           SET key = 'res.partner,' || substr(key, length(%(old)s) + 1)
         WHERE key LIKE %(old)s || '%%'
        """,
        {"old": "birthday,"},
    )
