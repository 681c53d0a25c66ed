from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon

SALESMAN = "sales_team.group_sale_salesman,base.group_partner_manager"
SALESMAN_ALL = "sales_team.group_sale_salesman_all_leads,base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestValueRoles(CrmValueCommon):
    """Salesmen see the tiers the engines decide but never set them; Customer
    Value managers recompute and override them, contact creators or not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platinum = cls.env.ref("crm_value.tier_platinum")
        cls.lead = cls.env.ref("crm_value.tier_lead")
        cls.salesman = new_test_user(cls.env, login="cv_roles_own", groups=SALESMAN)
        cls.salesman_all = new_test_user(
            cls.env, login="cv_roles_all", groups=SALESMAN_ALL
        )
        # A Customer Value manager who is no contact creator nor salesman.
        cls.manager = new_test_user(
            cls.env,
            login="cv_roles_manager",
            groups="crm_value.group_crm_value_manager",
        )
        cls.manager_creator = new_test_user(
            cls.env,
            login="cv_roles_manager_creator",
            groups="crm_value.group_crm_value_manager,base.group_partner_manager",
        )
        cls.customer = cls._customer("Jade Tea Importers", user_id=cls.salesman.id)
        cls.customer.value_tier_id = cls.lead

    def test_salesmen_cannot_set_what_the_engines_decide(self):
        engine_values = {
            "value_tier_id": self.platinum.id,
            "value_abc_class": "A",
            "value_tier_locked": True,
            "value_pricelist_pinned": True,
        }
        for user in (self.salesman, self.salesman_all):
            customer = self.customer.with_user(user)
            for fname, value in engine_values.items():
                with self.subTest(user=user.login, field=fname):
                    with self.assertRaises(AccessError):
                        customer.write({fname: value})
                    with self.assertRaises(AccessError):
                        customer.create({"name": "New Shop", fname: value})
            # What salesmen do edit still saves.
            customer.write({"phone": "+86 21 5555 0101"})
        self.assertEqual(self.customer.value_tier_id, self.lead)
        self.assertFalse(self.customer.value_abc_class)

    def test_context_defaults_do_not_set_a_tier(self):
        # A list grouped by tier opens new records with default_value_tier_id.
        Partner = self.env["res.partner"].with_user(self.salesman)
        created = Partner.with_context(
            default_value_tier_id=self.platinum.id, default_value_abc_class="A"
        ).create({"name": "Grouped Newcomer"})
        self.assertFalse(created.sudo().value_tier_id)
        self.assertFalse(created.sudo().value_abc_class)
        managed = (
            self.env["res.partner"]
            .with_user(self.manager_creator)
            .with_context(default_value_tier_id=self.lead.id)
            .create({"name": "Managed Newcomer"})
        )
        self.assertEqual(managed.value_tier_id, self.lead)

    def test_salesman_creates_imports_and_copies_contacts(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        created = Partner.create({"name": "Typed In", "is_company": True})
        self.assertEqual(created.name, "Typed In")
        result = Partner.load(
            ["name", "email", "is_company"],
            [["Imported Tea Co", "buy@imported.example", "1"]],
        )
        self.assertFalse(result["messages"])
        self.assertEqual(Partner.browse(result["ids"]).name, "Imported Tea Co")
        copied = self.customer.with_user(self.salesman).copy()
        self.assertFalse(copied.sudo().value_tier_id, "a tier is not copied")
        contact = Partner.create({"name": "Buyer", "parent_id": self.customer.id})
        self.assertEqual(contact.commercial_partner_id, self.customer)

    def test_manager_overrides_a_tier(self):
        self.customer.with_user(self.manager_creator).write(
            {"value_tier_id": self.platinum.id, "value_tier_locked": True}
        )
        self.assertEqual(self.customer.value_tier_id, self.platinum)
        self.assertTrue(self.customer.value_tier_locked)

    def test_manager_recomputes_without_contact_creation(self):
        self._direct_invoice(self.customer, 400.0)
        self.customer.with_user(self.manager).action_recompute_value()
        self.assertFigures(self.customer, revenue=400.0)
        self.assertEqual(self.customer.value_tier_id, self.platinum)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman_all).action_recompute_value()

    def test_nightly_run_still_writes_tiers(self):
        self._direct_invoice(self.customer, 400.0)
        cron_user = self.env.ref("crm_value.ir_cron_recompute_value").user_id
        self.engine.with_user(cron_user)._cron_recompute_value()
        self.assertEqual(self.customer.value_tier_id, self.platinum)
        self.assertEqual(self.customer.value_abc_class, "A")

    def test_only_managers_set_the_tier_of_an_order(self):
        order = self._sell(self.customer, [(self.service, 1, 100.0)])
        self.assertEqual(order.value_tier_id, self.lead)
        for user in (self.salesman, self.salesman_all):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).write({"value_tier_id": self.platinum.id})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "value_tier_id": self.platinum.id}
            )
        self.assertEqual(order.value_tier_id, self.lead)
        grouped = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .with_context(default_value_tier_id=self.platinum.id)
            .create({"partner_id": self.customer.id})
        )
        self.assertEqual(grouped.value_tier_id, self.lead, "the customer's tier")
        # Salesmen still write their quotations and orders.
        quotation = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create({"partner_id": self.customer.id})
        )
        quotation.write({"note": "Deliver before the spring festival"})
        self.assertEqual(quotation.value_tier_id, self.lead)
        sales_manager = new_test_user(
            self.env,
            login="cv_roles_sales_manager",
            groups="sales_team.group_sale_manager",
        )
        order.with_user(sales_manager).write({"value_tier_id": self.platinum.id})
        self.assertEqual(order.value_tier_id, self.platinum)

    def test_personal_defaults_do_not_set_a_tier(self):
        """Any user may save personal defaults (ir.default): a default is
        a write of the field, refused like one."""
        Default = self.env["ir.default"].with_user(self.salesman)
        Default.set("res.partner", "value_tier_id", self.platinum.id, user_id=True)
        Default.set("res.partner", "value_abc_class", "A", user_id=True)
        Default.set("sale.order", "value_tier_id", self.platinum.id, user_id=True)
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "Defaulted Shop"})
        )
        self.assertFalse(partner.value_tier_id)
        self.assertFalse(partner.value_abc_class)
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create({"partner_id": self.customer.id})
        )
        self.assertEqual(order.value_tier_id, self.lead, "the customer's tier")

    def test_merged_customer_is_recomputed(self):
        duplicate = self._customer("Jade Tea Importers Ltd", user_id=self.salesman.id)
        duplicate.value_tier_id = self.platinum
        # Base's merge reads every field, those of the Access Rights and
        # Invoicing groups and the manager-only tier lock included.
        merger = new_test_user(
            self.env,
            login="cv_roles_merger",
            groups="crm_value.group_crm_value_manager,base.group_partner_manager,"
            "base.group_erp_manager,account.group_account_invoice",
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"].with_user(merger).create({})
        )
        wizard._merge((self.customer | duplicate).ids, self.customer)
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.customer.value_tier_id, self.lead, "its own tier")
        queued = self.env["crm.value.queue"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertTrue(queued, "the merged customer is recomputed")
