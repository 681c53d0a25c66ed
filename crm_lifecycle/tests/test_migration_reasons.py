from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.crm_value.tests.common import load_migration

from .common import CrmLifecycleCommon


def _post_migrate():
    return load_migration("crm_lifecycle", "18.0.1.2.0", "post-migrate.py").migrate


@tagged("post_install", "-at_install")
class TestReasonMigration(CrmLifecycleCommon):
    def test_text_reasons_the_engine_wrote_become_facts(self):
        """After the upgrade, the reasons stored as text in English or Chinese
        are read in the reader's language; a text of anyone else stays."""
        customer = self._customer("Old History Co")
        Rule, nobody = self.env["crm.lifecycle.rule"], self.env["res.users"]
        texts = (
            "First evaluation: every customer starts here.",
            "130 天未下单; 平时间隔 30 天; P(存活) 0.12",
            "No order yet",
            "手工变动",
            "Imported from the old CRM",
        )
        moves = self.env["crm.lifecycle.history"]._record_moves(
            self.company,
            {
                customer.id: [
                    (self.stage_reserve, self.stage_at_risk, Rule, nobody, text)
                    for text in texts
                ]
            },
            fields.Datetime.now(),
        )
        self.env.flush_all()
        _post_migrate()(self.env.cr, "18.0.1.1.0")
        moves.invalidate_recordset()
        first, silent, never, by_hand, imported = moves.sorted("id")
        self.assertEqual(first.reason_code, "first_evaluation")
        self.assertEqual(
            (silent.reason_code, silent.days_since_order, silent.order_interval),
            ("rule", 130, 30.0),
        )
        self.assertAlmostEqual(silent.p_alive, 0.12)
        self.assertEqual(
            silent.last_order_date, silent.date.date() - timedelta(days=130)
        )
        self.assertEqual(
            silent.with_context(lang="en_US").reason,
            "No order for 130 days; usual interval 30 days; P(alive) 0.12",
        )
        self.assertEqual(never.with_context(lang="en_US").reason, "No order yet")
        self.assertEqual(by_hand.reason_code, "manual")
        self.assertFalse(imported.reason_code)
        self.assertEqual(imported.reason, "Imported from the old CRM")
