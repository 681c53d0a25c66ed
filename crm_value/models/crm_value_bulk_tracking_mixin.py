from odoo import models
from odoo.tools import split_every
from odoo.tools.mail import generate_tracking_message_id

# Records whose tracked changes are written and logged together.
TRACKING_CHUNK = 1000


class CrmValueBulkTrackingMixin(models.AbstractModel):
    """Writes of the nightly engines on many records (tiers, stages) that log
    their tracked changes in the chatter as a write would, one note per
    record with its tracking values, but all the notes of a chunk created
    together instead of one message per record at commit.

    For models that inherit mail.thread (res.partner)."""

    _name = "crm.value.bulk.tracking.mixin"
    _description = "Tracked Writes in Bulk"

    def _write_logging_tracking(self, vals, chunk_size=TRACKING_CHUNK):
        """Write `vals` on these records and log the tracked changes, chunk by
        chunk of `chunk_size` records.

        A record's first value (its first tier or stage) is not logged, as Odoo
        logs none of the values a record is created with: it is no move, and
        the first night after installing would log one for every customer."""
        tracked = self._track_get_fields() & vals.keys()
        context = self.env.context
        if (
            not tracked
            or context.get("tracking_disable")
            or context.get("mail_notrack")
        ):
            return self.write(vals)
        tracked_fields = self.fields_get(
            tracked, attributes=("string", "type", "selection", "currency_field")
        )
        for records in split_every(chunk_size, self.ids, self.browse):
            # Only the tracked fields: a record's first read would load all
            # its fields (a hundred columns of a partner, for the whole chunk).
            initial = {
                record.id: {name: record[name] for name in tracked}
                for record in records.with_context(prefetch_fields=False)
            }
            records.with_context(mail_notrack=True).write(vals)
            changes = {}
            for record in records:
                if not any(initial[record.id].values()):
                    continue
                tracking_value_ids = record._mail_track(
                    tracked_fields, initial[record.id]
                )[1]
                if tracking_value_ids:
                    changes[record.id] = tracking_value_ids
            if changes:
                records._log_tracking_values(changes)
            if len(self) > chunk_size:
                # Memory stays bounded: the records, notes and tracking values
                # of every chunk written so far leave the cache.
                self.env.flush_all()
                self.env.invalidate_all()
        return True

    def _log_tracking_values(self, changes):
        """Log {record id: tracking value commands} as the notes tracking
        logs (_message_log), created together."""
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        base = {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=email_from
            )[False],
        }
        messages = self.sudo()._message_create(
            [
                dict(
                    base,
                    res_id=record_id,
                    body="",
                    message_id=generate_tracking_message_id("message-notify"),
                )
                for record_id in changes
            ]
        )
        # Their tracking values in one create (mail.message creates them
        # message by message).
        self.env["mail.tracking.value"].sudo().create(
            [
                dict(command[2], mail_message_id=message.id)
                for message, commands in zip(messages, changes.values(), strict=True)
                for command in commands
            ]
        )
