from odoo import fields
from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestLostCustomerPlan(CrmCareCommon):
    """The shipped win-back plan: a customer entering the lost stage gets the
    texts' three steps (analyse why, act, evaluate) for their representative."""

    def test_losing_a_customer_starts_analyse_act_evaluate(self):
        plan = self.env.ref("crm_care.plan_lost_customer")
        self.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False), ("id", "!=", plan.id)]
        ).active = False
        plan.active = True
        self.assertEqual(plan.care_stage_id, self.env.ref("crm_lifecycle.stage_lost"))
        History = self.env["crm.lifecycle.history"].sudo()
        History._record_moves(
            self.company,
            {
                self.customer.id: [
                    (
                        self.env.ref("crm_lifecycle.stage_at_risk"),
                        plan.care_stage_id,
                        self.env["crm.lifecycle.rule"],
                        self.env["res.users"],
                        History._reason("rule"),
                    )
                ]
            },
            fields.Datetime.now(),
        )
        event = self.env["crm.care.event"].search(
            [("plan_id", "=", plan.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(event), 1)
        steps = event.activity_ids.sorted("date_deadline")
        self.assertEqual(
            [step.summary.split(":")[0] for step in steps],
            ["Analyse", "Act", "Evaluate"],
        )
        self.assertEqual(steps.user_id, self.rep)
