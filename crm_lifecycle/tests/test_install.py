from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.crm_value.tests.common import open_action

from ..hooks import uninstall_hook
from .common import CrmLifecycleCommon


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


@tagged("post_install", "-at_install")
class TestUninstall(CrmLifecycleCommon):
    def test_uninstall_hook_frees_the_stages_and_the_activity_type(self):
        """What blocked the uninstall (history and consultants' rules on the
        stages, churn warnings on the activity type) goes first; the warnings
        stay on the salespeople's lists as to-dos."""
        customer = self._customer("Long Gone", user_id=self.salesman.id)
        self._order(customer, -300)
        self._evaluate(customer)
        self.assertTrue(self._history(customer))
        self.env["crm.lifecycle.rule"].sudo().create(
            {"name": "A consultant's", "stage_to_id": self.stage_loyal.id}
        )
        churn = self.env.ref("crm_lifecycle.mail_activity_type_churn_warning")
        warning = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": customer.id,
                "activity_type_id": churn.id,
                "summary": "Call them",
                "user_id": self.salesman.id,
            }
        )
        uninstall_hook(self.env)
        with self.env.cr.savepoint():
            # The stages are referenced by nothing of this addon any more
            # (the addons above, uninstalled first, may plan care on the new,
            # at-risk and lost stages: not these).
            self.env.cr.execute(
                "DELETE FROM crm_lifecycle_stage WHERE id = ANY(%s)",
                [self.stage_loyal.ids + self.stage_reserve.ids],
            )
            churn.unlink()
        self.assertTrue(warning.exists())
        self.assertEqual(
            warning.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertEqual(warning.summary, "Call them")
