from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.crm_value.tests.common import open_action


@tagged("post_install", "-at_install")
class TestInstall(BaseCommon):
    def test_lifecycle_menu_under_customer_value(self):
        menu = self.env.ref("crm_lifecycle.menu_lifecycle")
        self.assertEqual(menu.parent_id, self.env.ref("crm_value.menu_root"))

    def test_each_group_opens_the_lifecycle_action(self):
        prospect = self.env["res.partner"].create(
            {"name": "Future Buyer Co", "is_company": True}
        )
        for group in (
            "crm_value.group_crm_value_user",
            "crm_value.group_crm_value_manager",
        ):
            user = new_test_user(self.env, login=group, groups=group)
            self.assertIn(
                prospect,
                open_action(
                    self.env, "crm_lifecycle.res_partner_action_lifecycle", user
                ),
            )
