from odoo.tests import tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestTierNoteLanguage(CrmValueCommon):
    def test_tier_move_note_names_the_tiers_in_the_readers_language(self):
        """The note of a tier move written by an English recompute reads
        "黄金层 → 铁层" to a Chinese user, "Gold → Iron" to an English one."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_value")]
        )._update_translations("zh_CN")
        gold = self.env.ref("crm_value.tier_gold")
        iron = self.env.ref("crm_value.tier_iron")
        customer = self._customer("Silk Road Traders", value_tier_id=gold.id)
        self.env.cr.precommit.run()  # end of the creating transaction
        customer.with_context(
            lang="en_US", tracking_disable=False, mail_notrack=False
        )._write_logging_tracking({"value_tier_id": iron.id})
        tracking = customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "value_tier_id"
        )
        self.assertEqual(tracking.new_value_char, "Iron", "stored as written")
        for lang, names in (("zh_CN", ("黄金层", "铁层")), ("en_US", ("Gold", "Iron"))):
            [shown] = tracking.with_context(lang=lang)._tracking_value_format()
            self.assertEqual(
                (shown["oldValue"]["value"], shown["newValue"]["value"]), names
            )
