from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestSharedConfiguration(BaseCommon):
    """A company's manager changes what applies to their company; what every
    company shares changes only by a manager of every company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_1 = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Second Trading Co."})
        manager_groups = "sales_team.group_sale_manager,base.group_multi_company"
        cls.manager_2 = new_test_user(
            cls.env,
            "shared_manager_2",
            groups=manager_groups,
            company_id=cls.company_2.id,
            company_ids=[(6, 0, cls.company_2.ids)],
        )
        cls.manager_all = new_test_user(
            cls.env,
            "shared_manager_all",
            groups=manager_groups,
            company_id=cls.company_1.id,
            company_ids=[(6, 0, cls.env["res.company"].search([]).ids)],
        )
        cls.Tier = cls.env["crm.value.tier"]
        cls.platinum = cls.env.ref("crm_value.tier_platinum")

    def test_shared_tiers_change_only_by_a_manager_of_every_company(self):
        as_manager_2 = self.platinum.with_user(self.manager_2)
        with self.assertRaises(AccessError):
            as_manager_2.threshold = 40.0
        with self.assertRaises(AccessError):
            as_manager_2.unlink()
        with self.assertRaises(AccessError):
            self.env.ref("crm_value.rfm_segment_champions").with_user(
                self.manager_2
            ).name = "Ours"
        self.assertEqual(self.platinum.threshold, 50.0)
        self.platinum.with_user(self.manager_all).threshold = 40.0
        self.assertEqual(self.platinum.threshold, 40.0)

    def test_a_company_makes_its_own_tier_set_and_changes_it(self):
        Tier = self.Tier.with_user(self.manager_2).with_company(self.company_2)
        shared = self.Tier._get_company_tiers(self.company_1)
        Tier.action_make_company_tier_set()
        own = self.Tier._get_company_tiers(self.company_2)
        self.assertEqual(own.mapped("code"), shared.mapped("code"))
        self.assertEqual(own.company_id, self.company_2)
        platinum_2 = own.filtered(lambda tier: tier.code == "platinum")
        platinum_2.with_user(self.manager_2).threshold = 40.0
        self.assertEqual(platinum_2.threshold, 40.0)
        self.assertEqual(self.platinum.threshold, 50.0, "company 1 keeps its tiers")
        self.assertEqual(self.Tier._get_company_tiers(self.company_1), shared)
        with self.assertRaises(UserError):
            Tier.action_make_company_tier_set()
