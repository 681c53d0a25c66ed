"""A move's reason is written when read, in the reader's language, from the
facts stored on the move (`reason_code`, `days_since_order`, ...). The reasons
stored as text before (in the language of whoever evaluated) are kept as
`reason_note` and shown as they were written."""


def migrate(cr, version):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'crm_lifecycle_history'
           AND column_name IN ('reason', 'reason_note')
        """
    )
    columns = {row[0] for row in cr.fetchall()}
    if "reason" in columns and "reason_note" not in columns:
        cr.execute(
            "ALTER TABLE crm_lifecycle_history RENAME COLUMN reason TO reason_note"
        )
