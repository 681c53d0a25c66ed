from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.crm_value.tests.common import open_action


@tagged("post_install", "-at_install")
class TestInstall(BaseCommon):
    def test_care_menu_under_customer_value(self):
        menu = self.env.ref("crm_care.menu_care")
        self.assertEqual(menu.parent_id, self.env.ref("crm_value.menu_root"))

    def test_each_group_opens_its_care_activities(self):
        customer = self.env["res.partner"].create(
            {"name": "Cared For Ltd", "is_company": True}
        )
        for group in (
            "crm_value.group_crm_value_user",
            "crm_value.group_crm_value_manager",
        ):
            user = new_test_user(self.env, login=group, groups=group)
            call = customer.activity_schedule(
                "mail.mail_activity_data_call",
                user_id=user.id,
                summary="Check delivery",
            )
            self.assertIn(
                call, open_action(self.env, "crm_care.mail_activity_action_care", user)
            )
