"""crm.value.bulk.tracking.mixin: the engines' writes on many partners log
one chatter note per partner with its old and new value, created together."""

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestBulkTrackingMixin(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.iron = cls.env.ref("crm_value.tier_iron")
        cls.Partner = cls.env["res.partner"].with_context(
            tracking_disable=False, mail_notrack=False
        )

    def _partners(self, count, tier):
        partners = self.Partner.create(
            [
                {"name": f"Tracked {tier.code or 'none'} {index}", "is_company": True}
                for index in range(count)
            ]
        )
        partners.value_tier_id = tier
        self.env.cr.precommit.run()  # end of the creating transaction
        return partners

    def _tier_notes(self, partners):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("tracking_value_ids.field_id.name", "=", "value_tier_id"),
            ]
        )

    def test_one_note_per_partner_with_old_and_new_value(self):
        moved = self._partners(5, self.gold)
        first = self._partners(2, self.env["crm.value.tier"])
        before = self._tier_notes(moved | first)
        # Chunks of two: three chunks over the five moved partners.
        (moved | first)._write_logging_tracking(
            {"value_tier_id": self.iron.id}, chunk_size=2
        )
        self.env.cr.precommit.run()
        self.assertEqual((moved | first).mapped("value_tier_id"), self.iron)
        notes = self._tier_notes(moved | first) - before
        self.assertEqual(
            sorted(notes.mapped("res_id")), sorted(moved.ids), "one note each"
        )
        for note in notes:
            self.assertEqual(note.message_type, "notification")
            self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
            self.assertEqual(note.author_id, self.env.user.partner_id)
            [value] = note.tracking_value_ids
            self.assertEqual(value.old_value_char, self.gold.name)
            self.assertEqual(value.new_value_char, self.iron.name)
        self.assertFalse(
            self._tier_notes(first) - before, "a first tier is no move: no note"
        )

    def test_notes_are_created_together(self):
        """The queries do not grow with the partners of a chunk."""

        def queries(count):
            partners = self._partners(count, self.gold)
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            partners._write_logging_tracking({"value_tier_id": self.iron.id})
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        queries(2)  # the caches the first notes fill (fields, subtypes)
        self.assertEqual(queries(3), queries(9))

    def test_without_tracking_it_is_a_plain_write(self):
        partners = self._partners(2, self.gold)
        before = self._tier_notes(partners)
        partners.with_context(tracking_disable=True)._write_logging_tracking(
            {"value_tier_id": self.iron.id}
        )
        self.env.cr.precommit.run()
        self.assertEqual(partners.mapped("value_tier_id"), self.iron)
        self.assertFalse(self._tier_notes(partners) - before)
