import logging
import threading

from odoo import api, fields, models
from odoo.tools import SQL

from ..sql_arrays import array_literal

_logger = logging.getLogger(__name__)


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
    def _analyze(self):
        """Refresh the planner's statistics after queueing many customers at
        once: with those of an empty queue it scans the whole queue for each
        customer of a batch (1 s per batch at 10,000 customers)."""
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))

    @api.model
    def _drain(self, process, batch_size):
        """Call process(company, partner ids) for the queued customers, a batch
        at a time, reporting progress and committing each batch (outside
        tests). Returns the companies processed."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        companies, done = self.env["res.company"], 0
        while batch := self._next_batch(batch_size):
            company, partner_ids, queue_ids = batch
            process(company, partner_ids)
            self.env.cr.execute(
                SQL(
                    "DELETE FROM %s WHERE id IN %s",
                    SQL.identifier(self._table),
                    tuple(queue_ids),
                )
            )
            companies |= company
            done += len(partner_ids)
            self.env.cr.execute(
                SQL("SELECT count(*) FROM %s", SQL.identifier(self._table))
            )
            remaining = self.env.cr.fetchone()[0]
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            _logger.info(
                "%s: %s customers done, %s queued", self._name, done, remaining
            )
            if auto_commit:
                # Safe: a batch is complete (its results written, its queue rows
                # gone, together); a crash later resumes from the queue.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return companies

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
        # The cron reads a company's queued customers oldest first and then all
        # the rows of the customers it took: both by index, whatever the length
        # of the queue (a full night queues every customer).
        super().init()
        if self._abstract:
            return
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (company_id, id)",
                SQL.identifier(f"{self._table}_company_id_id_index"),
                SQL.identifier(self._table),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (partner_id, company_id)",
                SQL.identifier(f"{self._table}_partner_company_index"),
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _next_batch(self, batch_size):
        """(company, partner ids, queue row ids) of the oldest queued customers,
        all of one company: the customers of the company's `batch_size` oldest
        rows (fewer when a customer is queued twice), with all their rows.

        Keyset reads by index, never a scan or a sort of the whole queue, so
        draining n customers costs n, not n squared."""
        table = SQL.identifier(self._table)
        self.env.cr.execute(
            SQL(
                """
            WITH head AS (
                SELECT company_id FROM %(table)s ORDER BY id LIMIT 1
            ), partners AS (
                SELECT DISTINCT oldest.partner_id, oldest.company_id FROM (
                    SELECT q.partner_id, q.company_id FROM %(table)s q
                     WHERE q.company_id = (SELECT company_id FROM head)
                     ORDER BY q.id LIMIT %(size)s
                ) oldest
            )
            SELECT q.company_id, array_agg(DISTINCT q.partner_id), array_agg(q.id)
              FROM %(table)s q
              JOIN partners p ON p.partner_id = q.partner_id
                             AND p.company_id = q.company_id
             GROUP BY q.company_id
            """,
                table=table,
                size=batch_size,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        return self.env["res.company"].browse(row[0]), row[1], row[2]
