from odoo import api, fields, models
from odoo.tools import SQL

from ..sql_arrays import array_literal


class CrmValueQueueMixin(models.AbstractModel):
    """A queue of (customer, company) pairs to process soon, drained by a cron.

    Append-only: marking inserts a row and never updates one, so the event
    that marks (an invoice posted, an order confirmed) neither waits for nor
    locks anything the cron holds. The cron deletes only the rows it read, so
    marks made while it runs stay for its next run.
    """

    _name = "crm.value.queue.mixin"
    _description = "Customer Queue"
    _log_access = False
    _queue_cron = None  # xml id of the cron that drains the queue

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    @api.model
    def _mark(self, pairs):
        """Queue (commercial partner id, company id) pairs and wake the cron."""
        pairs = {(p, c) for p, c in pairs if p and c}
        if not pairs:
            return
        partner_ids, company_ids = zip(*sorted(pairs), strict=True)
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (partner_id, company_id) "
                "SELECT * FROM unnest(%s::int4[], %s::int4[])",
                SQL.identifier(self._table),
                array_literal(partner_ids),
                array_literal(company_ids),
            )
        )
        self.env.ref(self._queue_cron).sudo()._trigger()

    @api.model
    def _get_queued_by_company(self):
        """[(company, sorted commercial partner ids, last queue row id)] of
        what is queued now, per company."""
        self.env.cr.execute(
            SQL(
                """
            SELECT company_id, array_agg(DISTINCT partner_id), MAX(id)
              FROM %s GROUP BY company_id ORDER BY MIN(id)
            """,
                SQL.identifier(self._table),
            )
        )
        return [
            (self.env["res.company"].browse(company_id), partner_ids, last_id)
            for company_id, partner_ids, last_id in self.env.cr.fetchall()
        ]

    @api.model
    def _forget(self, company, partner_ids, last_id):
        """Remove these customers' rows up to `last_id`: the rows queued
        after were not seen by the run that processed them."""
        self.env.cr.execute(
            SQL(
                """
            DELETE FROM %s WHERE company_id = %s AND id <= %s
               AND partner_id = ANY(%s::int4[])
            """,
                SQL.identifier(self._table),
                company.id,
                last_id,
                array_literal(partner_ids),
            )
        )

    def init(self):
        # The cron forgets the rows of the customers of each batch it stored:
        # by index, whatever the length of the queue.
        super().init()
        if self._abstract:
            return
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (partner_id, company_id)",
                SQL.identifier(f"{self._table}_partner_company_index"),
                SQL.identifier(self._table),
            )
        )
