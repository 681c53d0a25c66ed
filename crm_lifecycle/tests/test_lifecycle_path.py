from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecyclePath(CrmLifecycleCommon):
    def test_prospect_path_from_lead_to_loyal(self):
        prospect = self._customer("Future Loyal Ltd", user_id=self.salesman.id)
        self._evaluate(prospect)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_reserve)

        lead = self.env["crm.lead"].create(
            {"name": "Tea for the canteen", "type": "lead", "partner_id": prospect.id}
        )
        self._evaluate(prospect)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_target)

        lead.convert_opportunity(prospect)
        self._evaluate(prospect)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_opportunity)

        self._order(prospect, 1)
        lead.action_set_won()
        self._evaluate(prospect, day=1)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_new)
        self.assertEqual(prospect.lifecycle_stage_date, self._day(1))

        self._order(prospect, 40)
        self._evaluate(prospect, day=40)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_active)

        for day in (100, 160, 220, 280, 340, 395):
            self._order(prospect, day)
        self._evaluate(prospect, day=300)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_active, "too young")
        self._evaluate(prospect, day=400)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_loyal)

        history = self._history(prospect)
        self.assertPath(
            prospect, ["reserve", "target", "opportunity", "new", "active", "loyal"]
        )
        self.assertEqual(
            history[1:].rule_id,
            self.env.ref("crm_lifecycle.rule_target")
            | self.env.ref("crm_lifecycle.rule_opportunity")
            | self.env.ref("crm_lifecycle.rule_new")
            | self.env.ref("crm_lifecycle.rule_active")
            | self.env.ref("crm_lifecycle.rule_loyal"),
        )
        self.assertEqual(history[4].duration_days, 360.0, "active from day 40 to 400")
        self.assertEqual(history[4].next_stage_id, self.stage_loyal)
        self.assertFalse(history[-1].date_end, "the current stay is open")

    def test_first_evaluation_follows_the_rules_to_the_end(self):
        """A customer found with a long history goes through every stage the
        rules lead it to in one evaluation, each move recorded: loyal comes
        straight from new when orders and tenure are there."""
        veteran = self._customer("Veteran Buyer")
        for day in (-500, -400, -300, -200, -100, -10):
            self._order(veteran, day)
        self._evaluate(veteran)
        self.assertPath(veteran, ["reserve", "new", "loyal"])
        reserve, new, loyal = self._history(veteran)
        self.assertEqual(reserve.next_stage_id, self.stage_new)
        self.assertEqual(new.date_end, new.date, "passed through new at once")
        self.assertEqual((new.next_stage_id, new.duration_days), (self.stage_loyal, 0))
        self.assertFalse(loyal.date_end or loyal.next_stage_id)
        self.assertEqual(loyal.rule_id, self.env.ref("crm_lifecycle.rule_loyal"))
        self.assertFalse(loyal.is_churn or loyal.is_win_back)
        self.assertEqual(veteran.lifecycle_history_count, 3)

    def test_silence_pushes_to_at_risk_then_lost_and_win_back(self):
        customer = self._customer("Quiet Trader", user_id=self.salesman.id)
        for day in (-300, -270, -240):
            self._order(customer, day)
        self._evaluate(customer, day=-235)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_active)

        self._evaluate(customer, day=-160)  # 80 days: within 3 x 30 days
        self.assertEqual(customer.lifecycle_stage_id, self.stage_active)
        self._evaluate(customer, day=-140)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_at_risk)
        warning = customer.activity_ids
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.salesman)
        self.assertEqual(
            warning.activity_type_id,
            self.env.ref("crm_lifecycle.mail_activity_type_churn_warning"),
        )
        self.assertEqual(
            warning.summary, "No order for 100 days; usual interval 30 days"
        )
        self.assertEqual(self._history(customer)[-1].reason, warning.summary)

        self._evaluate(customer, day=-50)  # 190 days: more than 6 x 30 days
        self.assertEqual(customer.lifecycle_stage_id, self.stage_lost)
        churn = self._history(customer)[-1]
        self.assertTrue(churn.is_churn)
        self.assertEqual(
            self._history(customer)[-2].duration_days, 90.0, "at risk for 90 days"
        )
        self.assertFalse(customer.lifecycle_won_back)

        self._evaluate(customer, day=-20)  # silent still: stays lost
        self.assertEqual(customer.lifecycle_stage_id, self.stage_lost)
        self.assertEqual(customer.activity_ids, warning, "lost: still to act on")
        self._order(customer, -10)
        self._evaluate(customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_active)
        # Won back: the warning about the customer gone quiet is closed.
        self.assertFalse(warning.exists() and warning.active)
        self.assertFalse(customer.activity_ids)
        self.assertIn("came back", customer.message_ids.mapped("body")[0] or "")
        won_back = self._history(customer)[-1]
        self.assertTrue(won_back.is_win_back)
        self.assertEqual(won_back.rule_id, self.env.ref("crm_lifecycle.rule_won_back"))
        self.assertTrue(customer.lifecycle_won_back)
        self.assertIn(
            customer,
            self.env["res.partner"].search([("lifecycle_won_back", "=", True)]),
        )
        self.assertPath(
            customer, ["reserve", "new", "active", "at_risk", "lost", "active"]
        )

        self.env.flush_all()
        months = self.env["crm.lifecycle.churn.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(sum(months.mapped("churned_count")), 1)
        self.assertGreaterEqual(sum(months.mapped("won_back_count")), 1)

    def test_low_p_alive_warns_with_the_reason(self):
        customer = self._customer("Fading Buyer", user_id=self.salesman.id)
        self._order(customer, -40)
        self._order(customer, -10)
        self._recompute(customer)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_value_snapshot SET p_alive = 0.21 WHERE partner_id = %s",
            [customer.id],
        )
        self.env["crm.value.snapshot"].invalidate_model()
        self.env["res.partner"].invalidate_model()
        self._evaluate(customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_at_risk)
        self.assertEqual(
            customer.activity_ids.summary,
            "No order for 10 days; usual interval 30 days; P(alive) 0.21",
        )
        self.assertEqual(
            self._history(customer)[-1].rule_id,
            self.env.ref("crm_lifecycle.rule_at_risk_p_alive"),
        )

    def test_locked_partner_is_not_moved(self):
        customer = self._customer("Key Account")
        self._order(customer, -400)
        customer.write({"lifecycle_stage_id": self.stage_loyal.id})
        customer.lifecycle_locked = True
        moved = self._evaluate(customer)
        self.assertFalse(moved)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_loyal)
        self.assertPath(customer, ["loyal"])
        customer.lifecycle_locked = False
        self._evaluate(customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_lost)

    def test_manual_move_is_recorded_with_its_user(self):
        # Their own prospect: a salesperson moves it through the pre-sale stages.
        customer = self._customer("Met at the Fair", user_id=self.salesman.id)
        self._evaluate(customer)
        customer.with_user(self.salesman).lifecycle_stage_id = self.stage_potential
        move = self._history(customer)[-1]
        self.assertEqual(move.stage_from_id, self.stage_reserve)
        self.assertEqual(move.stage_to_id, self.stage_potential)
        self.assertEqual(move.user_id, self.salesman)
        self.assertFalse(move.rule_id)
        self.assertEqual(self._history(customer)[0].next_stage_id, self.stage_potential)

    def test_order_later_the_same_day_wins_back_a_lost_customer(self):
        customer = self._customer("Back the Same Day")
        self._order(customer, -300)
        morning = datetime.combine(self.today, time(9))
        with freeze_time(morning):
            self.lifecycle._evaluate_partners(self.company, customer.ids)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_lost)
        with freeze_time(morning + timedelta(hours=5)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.service.id, "price_unit": 100.0}
                        )
                    ],
                }
            )
            order.action_confirm()
        self.assertEqual(order.date_order, morning + timedelta(hours=5))
        with freeze_time(morning + timedelta(hours=6)):
            self.lifecycle._evaluate_partners(self.company, customer.ids)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_active)
        won_back = self._history(customer)[-1]
        self.assertTrue(won_back.is_win_back)
        self.assertEqual(won_back.rule_id, self.env.ref("crm_lifecycle.rule_won_back"))

    def test_order_before_the_move_the_same_day_does_not_win_back(self):
        customer = self._customer("Ordered Before the Move")
        morning = datetime.combine(self.today, time(8))
        with freeze_time(morning):
            self._order(customer, -400).date_order = morning
        with freeze_time(morning + timedelta(hours=1)):
            # A manager gives the customer up (the order came before).
            customer.sudo().lifecycle_stage_id = self.stage_lost
        with freeze_time(morning + timedelta(hours=7)):
            self.lifecycle._evaluate_partners(self.company, customer.ids)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_lost)
