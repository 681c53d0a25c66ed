"""crm.value.current.snapshot.mixin: the figures of the current snapshot are
computed fields of the partner, yet searched, sorted, grouped and summed in
SQL; the manager-only amounts stay manager-only there too."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestCurrentSnapshotMixin(CrmValueCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="snapshot_sql_manager",
            groups="base.group_user,crm_value.group_crm_value_manager",
            company_id=cls.company.id,
        )
        cls.user = new_test_user(
            cls.env,
            login="snapshot_sql_user",
            groups="base.group_user,crm_value.group_crm_value_user",
            company_id=cls.company.id,
        )
        cls.big = cls._customer("Snapshot Big")
        cls.small = cls._customer("Snapshot Small")
        cls.never = cls._customer("Snapshot Never Computed")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Buyer at Small", "parent_id": cls.small.id}
        )
        cls.partners = cls.big | cls.small | cls.never | cls.contact
        cls.domain = [("id", "in", cls.partners.ids)]

    def setUp(self):
        super().setUp()
        self._direct_invoice(self.big, 500.0)
        self._direct_invoice(self.big, 100.0)
        self._direct_invoice(self.small, 200.0)
        self._recompute(self.big, self.small)

    def _as(self, user):
        return self.env["res.partner"].with_user(user).with_company(self.company)

    def test_figures_map_to_snapshot_columns(self):
        fields = self.env["res.partner"]._get_current_snapshot_fields()
        self.assertEqual(fields["value_net_profit"], "net_profit")
        self.assertEqual(fields["value_order_count"], "order_count")
        self.assertEqual(fields["value_score"], "value_score")

    def test_manager_sorts_and_sums_an_amount(self):
        Partner = self._as(self.manager)
        self.assertEqual(
            Partner.search(self.domain, order="value_net_profit desc, id").ids,
            [self.big.id, self.small.id, self.contact.id, self.never.id],
            "a contact sorts with its company's figure; never computed is 0",
        )
        self.assertEqual(
            Partner.search(self.domain, order="value_net_profit, id").ids,
            [self.never.id, self.small.id, self.contact.id, self.big.id],
        )
        [(total,)] = Partner._read_group(self.domain, [], ["value_net_profit:sum"])
        self.assertEqual(total, 600.0 + 200.0 + 200.0)
        groups = dict(
            Partner._read_group(self.domain, ["value_net_profit"], ["__count"])
        )
        self.assertEqual(groups, {600.0: 1, 200.0: 2, 0.0: 1})
        self.assertEqual(
            Partner.search([*self.domain, ("value_net_profit", ">=", 200)]),
            self.big | self.small | self.contact,
        )

    def test_user_may_not_sort_group_or_search_by_an_amount(self):
        Partner = self._as(self.user)
        with self.assertRaises(AccessError):
            Partner.search(self.domain, order="value_net_profit desc")
        with self.assertRaises(AccessError):
            Partner._read_group(self.domain, ["value_net_profit"], ["__count"])
        with self.assertRaises(AccessError):
            Partner._read_group(self.domain, [], ["value_net_profit:sum"])
        with self.assertRaises(AccessError):
            Partner.search([*self.domain, ("value_net_profit", ">", 0)])

    def test_user_sorts_and_searches_a_public_figure(self):
        Partner = self._as(self.user)
        self.assertEqual(
            Partner.search(self.domain, order="value_order_count desc, id").ids,
            [self.big.id, self.small.id, self.contact.id, self.never.id],
        )
        self.assertEqual(
            Partner.search([*self.domain, ("value_order_count", "=", 2)]), self.big
        )
        # Big's two invoices, Small's one, shown on its contact too.
        [(total,)] = Partner._read_group(self.domain, [], ["value_order_count:sum"])
        self.assertEqual(total, 2 + 1 + 1)
