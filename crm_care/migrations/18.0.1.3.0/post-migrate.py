"""Care plans name the lifecycle stage they start on (care_stage_id) instead of
its code (care_stage_code, a text nothing checked): each plan gets the stage
of its code, and the old column goes. Birthday care events are keyed, like
every other event, by their document (the contact): "res.partner,<id>,<year>"
instead of "birthday,<id>,<year>", so this year's birthdays are not cared for
twice."""

from openupgradelib import openupgrade, openupgrade_tools


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
