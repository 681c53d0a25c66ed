"""crm.value.engine.fields.mixin: what the engines decide is written only by
them (superuser) and by Customer Value managers, on create, write and
defaults alike."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

SALESMAN = "sales_team.group_sale_salesman,base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestEngineFieldsMixin(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.salesman = new_test_user(
            cls.env, login="engine_fields_own", groups=SALESMAN
        )
        cls.manager = new_test_user(
            cls.env,
            login="engine_fields_manager",
            groups=f"{SALESMAN},crm_value.group_crm_value_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Engine Fields Customer", "user_id": cls.salesman.id}
        )

    def test_engine_fields_are_the_partners_classification(self):
        fields = self.env["res.partner"]._get_engine_fields()
        self.assertLessEqual(
            {"value_tier_id", "value_tier_locked", "value_abc_class"}, fields
        )
        self.assertTrue(
            all(fname in self.env["res.partner"]._fields for fname in fields)
        )

    def test_refusal_names_the_fields_refused(self):
        customer = self.customer.with_user(self.salesman)
        with self.assertRaisesRegex(AccessError, "ABC Class, Lock Tier") as caught:
            customer.write(
                {"value_abc_class": "A", "value_tier_locked": True, "phone": "1"}
            )
        self.assertIn("only Customer Value managers", str(caught.exception))
        self.assertFalse(self.customer.phone, "nothing of the write is saved")

    def test_managers_and_engines_write_them(self):
        self.customer.with_user(self.manager).write({"value_tier_id": self.gold.id})
        self.assertEqual(self.customer.value_tier_id, self.gold)
        self.customer.with_user(self.salesman).sudo().write({"value_abc_class": "B"})
        self.assertEqual(self.customer.value_abc_class, "B")

    def test_defaults_of_engine_fields_only_for_those_who_write_them(self):
        context = {
            "default_value_tier_id": self.gold.id,
            "default_value_abc_class": "A",
        }
        wanted = ["name", "value_tier_id", "value_abc_class"]
        salesman = (
            self.env["res.partner"].with_user(self.salesman).with_context(**context)
        )
        self.assertEqual(salesman.default_get(wanted), {})
        manager = (
            self.env["res.partner"].with_user(self.manager).with_context(**context)
        )
        self.assertEqual(
            manager.default_get(wanted),
            {"value_tier_id": self.gold.id, "value_abc_class": "A"},
        )
