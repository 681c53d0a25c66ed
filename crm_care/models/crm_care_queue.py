import logging
import threading

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_value.sql_arrays import array_literal, unnest_rows

from ..care_event import CareEvent
from .mail_activity_plan import CARE_TRIGGERS

_logger = logging.getLogger(__name__)

# A queued document cancelled: the care it started is cancelled.
CANCELLED = "document_cancelled"
# A survey answered unhappily: the representative is alerted.
UNHAPPY_ANSWER = "unhappy_answer"


class CrmCareQueue(models.Model):
    """Customer events waiting for their care: an order confirmed, a delivery
    validated, an invoice paid.

    The event only appends a row (no activity, follower, mail or unlink in the
    transaction of whoever confirmed, validated or paid); the care scheduler
    launches the plans in its own job, once per customer and plan, and deletes
    the rows it launched."""

    _name = "crm.care.queue"
    _description = "Customer Care Event Queue"
    _log_access = False
    _order = "id"

    trigger = fields.Selection(
        [
            *CARE_TRIGGERS,
            (CANCELLED, "Document cancelled"),
            (UNHAPPY_ANSWER, "Unhappy survey answer"),
        ],
        required=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    user_id = fields.Many2one(
        "res.users",
        ondelete="set null",
        help="Who made the event: the care steps nobody is responsible for go to "
        "this user.",
    )
    res_model = fields.Char(string="Document Model", required=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True
    )
    date = fields.Date(required=True, help="The day of the event, the plans' base.")
    paid_on_time = fields.Boolean(help="For invoice paid: paid by its due date.")

    @api.model
    def _queue(
        self, trigger, documents, dates=None, paid_on_time=(), customer="partner_id"
    ):
        """Append one row per document (the customer is its `customer` field,
        or the end of a path of fields, the company its company_id) and wake
        the care scheduler. `dates`: the event's day by document id (default
        today), `paid_on_time`: the ids of the invoices paid by their due
        date."""
        documents = documents.filtered(customer)
        if not documents:
            return
        dates = dates or {}
        Company = self.env["res.company"]
        companies = [
            "company_id" in document._fields and document.company_id or self.env.company
            for document in documents
        ]
        today = {c: c._get_value_today() for c in Company.union(*companies)}
        columns = {
            "trigger": [trigger] * len(documents),
            "partner_id": [document.mapped(customer).id for document in documents],
            "company_id": [company.id for company in companies],
            "user_id": [self.env.uid] * len(documents),
            "res_model": [documents._name] * len(documents),
            "res_id": documents.ids,
            "date": [
                dates.get(document.id, today[company])
                for document, company in zip(documents, companies, strict=True)
            ],
            "paid_on_time": [document.id in paid_on_time for document in documents],
        }
        # One INSERT: nothing of the ORM (no flush, no cache invalidation)
        # in the transaction of whoever confirmed, validated or paid.
        self.env.cr.execute(
            SQL(
                "INSERT INTO crm_care_queue (%s) SELECT * FROM %s",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                unnest_rows(self._fields, columns),
            )
        )
        self.env.ref("crm_care.ir_cron_care_scheduler").sudo()._trigger()

    @api.model
    def _launch_queued(self, batch_size=500):
        """Launch the care of the queued events, `batch_size` rows at a time,
        each batch committed with the deletion of its rows. Rows whose launch
        fails are logged and kept for the next run."""
        last_id = done = 0
        while True:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM crm_care_queue WHERE id > %s ORDER BY id "
                    "LIMIT %s FOR UPDATE SKIP LOCKED",
                    last_id,
                    batch_size,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                return
            last_id = ids[-1]
            launched = self._launch_batch(self.browse(ids))
            if launched:
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM crm_care_queue WHERE id = ANY(%s::int4[])",
                        array_literal(launched),
                    )
                )
            done += len(ids)
            self.env.cr.execute(
                SQL("SELECT count(*) FROM crm_care_queue WHERE id > %s", last_id)
            )
            remaining = self.env.cr.fetchone()[0]
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            _logger.info("Care scheduler: %s queued events seen", done)
            self._commit()
            # What the batch loaded and created is not needed any more.
            self.env.invalidate_all()

    @api.model
    def _launch_batch(self, rows):
        """Launch `rows` by trigger, cancellations last, as the system (the
        care is the scheduler's job, whoever made the event); returns the ids
        of the rows launched."""
        launched = []
        for trigger, group in sorted(
            rows.grouped("trigger").items(), key=lambda item: item[0] == CANCELLED
        ):
            if group._try_launch(trigger):
                launched += group.ids
                continue
            # One customer must not hold up the others: each customer's
            # events alone (still once per plan), only those failing again
            # stay queued.
            for customer_rows in group.grouped("partner_id").values():
                if customer_rows._try_launch(trigger, log=True):
                    launched += customer_rows.ids
        return launched

    def _try_launch(self, trigger, log=False):
        """Launch these rows in a savepoint; whether it went through (a
        failure logged when `log`: the rows stay queued for the next run)."""
        try:
            with self.env.cr.savepoint():
                self.sudo()._launch(trigger)
        except Exception:  # any failure of a plan keeps its events queued
            if log:
                _logger.exception(
                    "Care of %s queued events (%s) of customer %s not launched; "
                    "kept queued",
                    len(self),
                    trigger,
                    self.partner_id.ids,
                )
            return False
        return True

    def _launch(self, trigger):
        """Launch the care of these rows of one trigger, once per customer
        and plan; the steps nobody is responsible for go to the user who made
        the event."""
        documents = {
            model: self.env[model].browse(rows.mapped("res_id")).exists()
            for model, rows in self.grouped("res_model").items()
        }
        if trigger == CANCELLED:
            for found in documents.values():
                self.env["crm.care.event"]._cancel_for_documents(found)
            return
        if trigger == UNHAPPY_ANSWER:
            documents["survey.user_input"]._care_alert_unhappy()
            return
        existing = {(doc._name, doc.id) for docs in documents.values() for doc in docs}
        self.env["mail.activity.plan"]._care_fire(
            trigger,
            [
                CareEvent(
                    row.partner_id,
                    self.env[row.res_model].browse(row.res_id),
                    row.date,
                    row.company_id,
                    user=row.user_id,
                    paid_on_time=row.paid_on_time,
                )
                for row in self
                if (row.res_model, row.res_id) in existing
            ],
            once_per_customer=True,
        )

    @api.model
    def _commit(self):
        """Commit the batch launched with the deletion of its rows (after a
        crash, the rest is still queued); not in tests, which roll back."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
