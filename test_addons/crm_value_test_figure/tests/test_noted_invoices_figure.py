from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_value.tests.common import CrmValueCommon

SALESMAN = "sales_team.group_sale_salesman,crm_value.group_crm_value_user"
MANAGER = "sales_team.group_sale_salesman,crm_value.group_crm_value_manager"


@tagged("post_install", "-at_install")
class TestNotedInvoicesFigure(CrmValueCommon):
    """A figure source declared in another addon, in one place, lands on the
    snapshot and on the partner with the groups it declares."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, login="cv_figure_sales", groups=SALESMAN)
        cls.manager = new_test_user(cls.env, login="cv_figure_manager", groups=MANAGER)
        cls.customer = cls._customer("Jade Tea Importers", user_id=cls.salesman.id)

    def setUp(self):
        super().setUp()
        self._direct_invoice(self.customer, 100.0, narration="<p>Back door</p>")
        self._direct_invoice(self.customer, 40.0, narration="<p>Back gate</p>")
        self._direct_invoice(self.customer, 25.0)
        self._recompute(self.customer)

    def test_new_figure_is_on_the_snapshot_after_a_recompute(self):
        snapshot = self._snapshot(self.customer)
        self.assertEqual(snapshot.noted_invoice_count, 2)
        self.assertAlmostEqual(snapshot.noted_invoice_amount, 140.0)
        # The declared figures around it are unchanged.
        self.assertAlmostEqual(snapshot.revenue, 165.0)
        self.assertEqual(snapshot.order_count, 3)

    def test_new_figure_is_on_the_partner_and_searchable(self):
        partner = self.customer.with_user(self.manager)
        self.assertEqual(partner.value_noted_invoice_count, 2)
        self.assertAlmostEqual(partner.value_noted_invoice_amount, 140.0)
        found = (
            self.env["res.partner"]
            .with_user(self.manager)
            .search([("value_noted_invoice_count", "=", 2)])
        )
        self.assertIn(self.customer, found)

    def test_new_amount_is_for_managers_only(self):
        partner = self.customer.with_user(self.salesman)
        self.assertEqual(partner.value_noted_invoice_count, 2)
        with self.assertRaises(AccessError):
            partner.read(["value_noted_invoice_amount"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).search(
                [("value_noted_invoice_amount", ">", 0)]
            )
        snapshot = self._snapshot(self.customer).with_user(self.salesman)
        self.assertEqual(snapshot.noted_invoice_count, 2)
        with self.assertRaises(AccessError):
            snapshot.read(["noted_invoice_amount"])

    def test_declared_once_for_engine_snapshot_and_partner(self):
        declared = self.engine._get_declared_figures()
        self.assertEqual(declared["noted_invoice_count"].merge, "set")
        Snapshot, Partner = self.env["crm.value.snapshot"], self.env["res.partner"]
        self.assertEqual(
            Snapshot._fields["noted_invoice_amount"].groups,
            "crm_value.group_crm_value_manager",
        )
        self.assertEqual(
            Partner._fields["value_noted_invoice_count"].groups, "base.group_user"
        )
        self.assertEqual(
            Partner._fields["value_noted_invoice_amount"]._module,
            "crm_value_test_figure",
        )
