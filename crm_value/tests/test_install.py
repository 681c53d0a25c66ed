from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

from .common import open_action


@tagged("post_install", "-at_install")
class TestInstall(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.value_user = new_test_user(
            cls.env, login="cv_user", groups="crm_value.group_crm_value_user"
        )
        cls.value_manager = new_test_user(
            cls.env, login="cv_manager", groups="crm_value.group_crm_value_manager"
        )
        cls.employee = new_test_user(
            cls.env, login="cv_employee", groups="base.group_user"
        )
        cls.menu_root = cls.env.ref("crm_value.menu_root")

    def test_manager_group_implies_user_group(self):
        self.assertTrue(self.value_manager.has_group("crm_value.group_crm_value_user"))
        self.assertFalse(self.value_user.has_group("crm_value.group_crm_value_manager"))

    def test_sales_roles_imply_value_groups(self):
        salesman = new_test_user(
            self.env, login="cv_salesman", groups="sales_team.group_sale_salesman"
        )
        sales_admin = new_test_user(
            self.env, login="cv_sales_admin", groups="sales_team.group_sale_manager"
        )
        self.assertTrue(salesman.has_group("crm_value.group_crm_value_user"))
        self.assertFalse(salesman.has_group("crm_value.group_crm_value_manager"))
        self.assertTrue(sales_admin.has_group("crm_value.group_crm_value_manager"))

    def test_top_menu_visible_to_value_groups_only(self):
        menus = self.env["ir.ui.menu"]
        for user in (self.value_user, self.value_manager):
            self.assertIn(self.menu_root.id, menus.with_user(user)._visible_menu_ids())
        self.assertNotIn(
            self.menu_root.id, menus.with_user(self.employee)._visible_menu_ids()
        )

    def test_configuration_menu_for_managers_only(self):
        configuration = self.env.ref("crm_value.menu_configuration")
        self.assertEqual(configuration.parent_id, self.menu_root)
        self.assertEqual(
            configuration.groups_id, self.env.ref("crm_value.group_crm_value_manager")
        )

    def test_each_group_opens_the_customers_action(self):
        customer = self.env["res.partner"].create(
            {"name": "Pyramid Top Ltd", "is_company": True}
        )
        customer._increase_rank("customer_rank")
        for user in (self.value_user, self.value_manager):
            found = open_action(
                self.env, "crm_value.res_partner_action_customer_value", user
            )
            self.assertIn(customer, found)

    def test_each_group_opens_tiers_and_tier_movements(self):
        for user in (self.value_user, self.value_manager):
            tiers = open_action(self.env, "crm_value.crm_value_tier_action", user)
            self.assertIn(self.env.ref("crm_value.tier_platinum"), tiers)
            open_action(self.env, "crm_value.crm_value_snapshot_action_movement", user)
            open_action(self.env, "crm_value.crm_value_snapshot_action_rfm", user)
            segments = open_action(
                self.env, "crm_value.crm_value_rfm_segment_action", user
            )
            self.assertEqual(len(segments), 10)

    def test_managers_open_the_profit_analysis(self):
        for xmlid in (
            "crm_value.crm_value_snapshot_action_analysis",
            "crm_value.crm_value_snapshot_action_pareto",
            "crm_value.crm_value_snapshot_action_matrix",
            "crm_value.crm_value_snapshot_action_clv",
            "crm_value.crm_value_snapshot_action_at_risk",
        ):
            open_action(self.env, xmlid, self.value_manager)
        analysis = self.env.ref("crm_value.menu_profit_analysis")
        self.assertNotIn(
            analysis.id,
            self.env["ir.ui.menu"].with_user(self.value_user)._visible_menu_ids(),
        )

    def test_access_rights_per_group(self):
        tier = self.env["crm.value.tier"]
        self.assertTrue(tier.with_user(self.value_user).has_access("read"))
        self.assertFalse(tier.with_user(self.value_user).has_access("write"))
        self.assertTrue(tier.with_user(self.value_manager).has_access("write"))
        self.assertFalse(tier.with_user(self.employee).has_access("read"))

    def test_top_menu_is_translated_to_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_value")]
        )._update_translations("zh_CN")
        self.assertEqual(self.menu_root.with_context(lang="zh_CN").name, "客户价值")
