import logging
import threading

from odoo import api, fields, models
from odoo.tools import SQL, split_every

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
    # res.company date field: the day the cron last took all customers
    _full_pass_field = None

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
    def _get_runs(self, get_all_customers):
        """[(company, sorted commercial partner ids, last queue row id, full)]
        for the cron to process, per company: what is queued, plus once a day
        every customer (`get_all_customers(company)`; full is True).

        Every customer is not put in the queue (each queue row's foreign keys
        are checked one by one, for nothing): the day's full pass
        is marked done at its end (`_mark_full_pass_done`), so a run stopped
        half-way does it again."""
        queued = {
            company: (partner_ids, last_id)
            for company, partner_ids, last_id in self._get_queued_by_company()
        }
        runs = []
        for company in self.env["res.company"].search([]):
            partner_ids, last_id = queued.get(company, ([], 0))
            full = company[self._full_pass_field] != company._get_value_today()
            if full:
                partner_ids = sorted(set(partner_ids).union(get_all_customers(company)))
            runs.append((company, partner_ids, last_id, full))
        return runs

    @api.model
    def _store_in_batches(self, company, partner_ids, last_id, batch_size, store):
        """Call `store(batch)` for `batch_size` customers at a time, each batch
        committed with its queue rows (up to `last_id`: customers queued again
        meanwhile stay queued for the next run), reporting progress."""
        done = 0
        for batch in split_every(batch_size, partner_ids, list):
            store(batch)
            self._forget(company, batch, last_id)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(partner_ids) - done
            )
            _logger.info(
                "%s of %s: %s of %s customers done",
                self._description,
                company.name,
                done,
                len(partner_ids),
            )
            self._commit()
            # What the batch loaded and created is not needed any more.
            self.env.invalidate_all()

    @api.model
    def _mark_full_pass_done(self, company):
        company[self._full_pass_field] = company._get_value_today()
        self._commit()

    @api.model
    def _commit(self):
        """Commit what the cron did so far, each step being whole (after a
        crash, the rest is still queued or the day's full pass still to do);
        not in tests, which roll back."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

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
