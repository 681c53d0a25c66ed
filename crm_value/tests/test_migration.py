from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

from ..models.crm_value_snapshot import ONE_CURRENT_INDEX
from ..models.crm_value_tier import CODE_INDEX
from .common import load_migration


def _migrate(stage):
    return load_migration("crm_value", "18.0.1.1.0", f"{stage}-migrate.py").migrate


@tagged("post_install", "-at_install")
class TestMigration(BaseCommon):
    """The update from 18.0.1.0.0 carries the data the new unique indexes
    refuse, and queues every customer for the recompute of the new figures.
    The indexes are dropped inside the test's transaction, as the database of
    18.0.1.0.0 had none (PostgreSQL rolls the drop back with the test)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.today = cls.company._get_value_today()
        cls.customer, cls.other = cls.env["res.partner"].create(
            [{"name": "Twice Current Co"}, {"name": "Once Current Co"}]
        )

    def _snapshot(self, partner, days_ago):
        self.env.cr.execute(
            """
            INSERT INTO crm_value_snapshot (partner_id, company_id, date, is_current)
            VALUES (%s, %s, %s, TRUE) RETURNING id
            """,
            [partner.id, self.company.id, self.today - timedelta(days=days_ago)],
        )
        return self.env["crm.value.snapshot"].browse(self.env.cr.fetchone()[0])

    def test_update_keeps_the_newest_current_snapshot(self):
        self.env.cr.execute(f"DROP INDEX {ONE_CURRENT_INDEX}")
        older, newest = (
            self._snapshot(self.customer, 3),
            self._snapshot(self.customer, 0),
        )
        alone = self._snapshot(self.other, 5)
        _migrate("pre")(self.env.cr, "18.0.1.0.0")
        self.env["crm.value.snapshot"].init()  # the index lands
        (older | newest | alone).invalidate_recordset()
        self.assertEqual(
            [s.is_current for s in (older, newest, alone)], [False, True, True]
        )
        self.assertTrue(older.exists(), "the older one stays as history")

    def test_update_gives_a_shared_code_used_twice_to_one_tier(self):
        lead = self.env.ref("crm_value.tier_lead")
        twin = lead.copy({"code": "lead_twin", "active": False})
        self.env.cr.execute(f"DROP INDEX {CODE_INDEX}")
        self.env.cr.execute(
            "UPDATE crm_value_tier SET code = %s WHERE id = %s", [lead.code, twin.id]
        )
        code = lead.code
        with self.assertLogs("odoo.addons.crm_value", "WARNING"):
            _migrate("pre")(self.env.cr, "18.0.1.0.0")
        self.env["crm.value.tier"].init()
        (lead | twin).invalidate_recordset()
        self.assertEqual((lead.code, twin.code), (code, f"{code}_{twin.id}"))

    def test_update_queues_every_customer_for_the_recompute(self):
        self._snapshot(self.customer, 0)
        self.env.cr.execute("DELETE FROM crm_value_queue")
        _migrate("post")(self.env.cr, "18.0.1.0.0")
        self.env.cr.execute(
            "SELECT DISTINCT partner_id FROM crm_value_queue WHERE company_id = %s",
            [self.company.id],
        )
        queued = {row[0] for row in self.env.cr.fetchall()}
        customers = self.env["crm.value.engine"]._get_all_customers(self.company)
        self.assertIn(self.customer.id, queued)
        self.assertEqual(queued, set(customers))


@tagged("post_install", "-at_install")
class TestMigrationTierTerms(BaseCommon):
    """The update to 18.0.1.2.0 keeps a company's tier pricelist setting as
    its tier terms setting (the column renamed inside the test's transaction,
    as 18.0.1.1.0 had it)."""

    def test_update_keeps_the_tier_pricelist_setting_as_tier_terms(self):
        company = self.env.company
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE res_company "
            "RENAME COLUMN value_apply_tier_terms TO value_apply_tier_pricelist"
        )
        cr.execute(
            "UPDATE res_company SET value_apply_tier_pricelist = (id = %s)",
            [company.id],
        )
        migration = load_migration("crm_value", "18.0.1.2.0", "pre-migrate.py")
        migration.migrate(cr, "18.0.1.1.0")
        cr.execute("SELECT id FROM res_company WHERE value_apply_tier_terms")
        self.assertEqual(cr.fetchall(), [(company.id,)])
        self.env.invalidate_all()
