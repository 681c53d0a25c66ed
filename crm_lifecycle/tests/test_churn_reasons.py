from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestChurnReasons(CrmLifecycleCommon):
    """Why customers leave: asked when a manager marks them lost and when
    their representative completes the churn warning, kept on the stage
    history, counted by reason in the churn analysis and the win-back report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="lc_churn_manager",
            groups="sales_team.group_sale_manager",  # a Customer Value manager
        )
        cls.other_salesman = new_test_user(
            cls.env, login="lc_churn_other", groups="sales_team.group_sale_salesman"
        )
        cls.price = cls.env.ref("crm_lifecycle.churn_reason_price")
        cls.delivery = cls.env.ref("crm_lifecycle.churn_reason_delivery")
        cls.Report = cls.env["crm.lifecycle.lost.report"]
        cls.company.lifecycle_win_back_months = 6

    def _mark_lost(self, customer, reason, note=False, day=0):
        """A manager marks the customer lost through the wizard, on `day`."""
        Wizard = (
            self.env["crm.lifecycle.churn.wizard"]
            .with_user(self.manager)
            .with_context(default_partner_ids=[customer.id])
        )
        with freeze_time(self._moment(day)):
            with Form(Wizard) as wizard:
                self.assertTrue(wizard.stage_id.is_lost)
                wizard.churn_reason_id = reason
                if note:
                    wizard.churn_note = note
            wizard.record.action_apply()

    def _warning(self, customer):
        return self.env["crm.lifecycle.churn.warning"]._get_open(customer)

    def _loss(self, customer):
        """The customer's losses as the report reads them now (a view)."""
        self.env.flush_all()
        self.Report.invalidate_model()
        return self.Report.search([("partner_id", "=", customer.id)])

    def test_reason_from_the_wizard_shows_on_history_and_analysis(self):
        customer = self._customer("Too Dear Ltd", user_id=self.salesman.id)
        self._order(customer, -20)
        self._evaluate(customer)
        self._mark_lost(customer, self.price, note="Found it 10% cheaper")

        self.assertEqual(customer.lifecycle_stage_id, self.stage_lost)
        move = self._history(customer)[-1]
        self.assertEqual(move.stage_to_id, self.stage_lost)
        self.assertTrue(move.is_churn)
        self.assertEqual(move.user_id, self.manager)
        self.assertEqual(move.churn_reason_id, self.price)
        self.assertEqual(move.churn_note, "Found it 10% cheaper")
        groups = self.env["crm.lifecycle.history"]._read_group(
            [("partner_id", "=", customer.id)], ["churn_reason_id"], ["__count"]
        )
        self.assertIn((self.price, 1), groups)

        loss = self._loss(customer)
        self.assertEqual(len(loss), 1)
        self.assertEqual(loss.churn_reason_id, self.price)
        self.assertEqual(loss.user_id, self.salesman)
        self.assertEqual(loss.outcome, "open")
        by_reason = self.Report._read_group(
            [("partner_id", "=", customer.id)],
            ["churn_reason_id", "user_id"],
            ["lost_count:sum", "open_count:sum", "won_back_count:sum"],
        )
        self.assertEqual(by_reason, [(self.price, self.salesman, 1, 1, 0)])

    def test_another_company_reason_is_refused(self):
        customer = self._customer("Elsewhere Ltd")
        other = self.env["res.company"].create({"name": "Other Churn Co"})
        foreign = self.env["crm.lifecycle.churn.reason"].create(
            {"name": "Their own reason", "company_id": other.id}
        )
        wizard = (
            self.env["crm.lifecycle.churn.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "partner_ids": [Command.set(customer.ids)],
                    "churn_reason_id": foreign.id,
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertNotEqual(customer.lifecycle_stage_id, self.stage_lost)

    def test_reason_of_a_customer_already_lost_goes_on_their_loss(self):
        customer = self._customer("Moved Off")
        customer.with_user(self.manager).lifecycle_stage_id = self.stage_lost
        self._mark_lost(customer, self.env.ref("crm_lifecycle.churn_reason_moved"))
        moves = self._history(customer)
        self.assertEqual(len(moves), 1, "no second move: the reason is added")
        self.assertEqual(moves.churn_reason_id.name, "Moved away")

    def test_completing_the_warning_asks_and_records_a_reason(self):
        customer = self._customer("Slow Boat Ltd", user_id=self.salesman.id)
        self._order(customer, -100)
        self._evaluate(customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_at_risk)
        warning = self._warning(customer)
        self.assertEqual(warning.user_id, self.salesman)
        self.assertEqual(warning.activity_category, "churn_reason")
        warning_type = warning.activity_type_id

        # "Done" of the chatter's popover on a churn warning: the wizard.
        action = warning.with_user(self.salesman).action_feedback_schedule_next(
            feedback="Deliveries came late twice"
        )
        self.assertEqual(action["res_model"], "crm.lifecycle.churn.wizard")
        self.assertTrue(warning.exists(), "open until a reason is given")
        Wizard = (
            self.env[action["res_model"]]
            .with_user(self.salesman)
            .with_context(**action["context"])
        )
        with Form(Wizard) as wizard:
            self.assertEqual(wizard.churn_note, "Deliveries came late twice")
            wizard.churn_reason_id = self.delivery
        wizard.record.action_apply()

        self.assertFalse(warning.exists())
        done = customer.message_ids.filtered(
            lambda m: m.mail_activity_type_id == warning_type
        )
        self.assertIn("Delivery", done[0].body)
        stay = self._history(customer)[-1]
        self.assertEqual(stay.stage_to_id, self.stage_at_risk)
        self.assertEqual(stay.churn_reason_id, self.delivery)

        # Still silent: lost by the rules, for the reason found at risk.
        self._evaluate(customer, day=90)
        loss = self._history(customer)[-1]
        self.assertEqual(loss.stage_to_id, self.stage_lost)
        self.assertEqual(loss.churn_reason_id, self.delivery)
        self.assertEqual(loss.churn_note, "Deliveries came late twice")
        self.assertEqual(self._loss(customer).churn_reason_id, self.delivery)

    def test_win_back_counts_returns_within_the_window_only(self):
        back_soon = self._customer("Back Soon", user_id=self.salesman.id)
        back_late = self._customer("Back Late", user_id=self.salesman.id)
        gone = self._customer("Still Gone", user_id=self.salesman.id)
        for customer in back_soon | back_late:
            self._mark_lost(customer, self.price, day=-400)
        self._mark_lost(gone, self.delivery, day=-30)
        self._order(back_soon, -300)  # 100 days after the loss
        self._evaluate(back_soon, day=-300)
        self._order(back_late, -100)  # 300 days: over six months
        self._evaluate(back_late, day=-100)
        self.assertTrue(self._history(back_late)[-1].is_win_back)

        self.assertEqual(self._loss(back_soon).outcome, "won_back")
        self.assertAlmostEqual(self._loss(back_soon).days_to_win_back, 100, delta=0.1)
        self.assertEqual(self._loss(back_late).outcome, "not_won_back")
        self.assertEqual(self._loss(gone).outcome, "open")
        customers = (back_soon | back_late | gone).ids
        self.assertEqual(
            self.Report._read_group(
                [("partner_id", "in", customers)],
                ["churn_reason_id"],
                [
                    "lost_count:sum",
                    "won_back_count:sum",
                    "open_count:sum",
                    "win_back_rate:avg",
                ],
            ),
            [(self.price, 2, 1, 0, 50.0), (self.delivery, 1, 0, 1, 0.0)],
        )
        # The window is the company's setting, read when the report is.
        self.company.lifecycle_win_back_months = 12
        self.assertEqual(self._loss(back_late).outcome, "won_back")
        with self.assertRaises(UserError):
            self.company.lifecycle_win_back_months = 0


@tagged("post_install", "-at_install")
class TestChurnReasonRights(CrmLifecycleCommon):
    """Who records a reason: managers, and the representative for their own
    warning; nobody writes the history over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesman = new_test_user(
            cls.env, login="lc_churn_other2", groups="sales_team.group_sale_salesman"
        )
        cls.cv_user = new_test_user(
            cls.env,
            login="lc_churn_cv_user",
            groups="sales_team.group_sale_salesman,crm_value.group_crm_value_user",
        )
        cls.customer = cls._customer("Watched Co", user_id=cls.salesman.id)
        cls.price = cls.env.ref("crm_lifecycle.churn_reason_price")

    def _wizard(self, user, **values):
        return (
            self.env["crm.lifecycle.churn.wizard"]
            .with_user(user)
            .create({"churn_reason_id": self.price.id, **values})
        )

    def test_salesman_cannot_mark_lost_nor_close_another_warning(self):
        self._order(self.customer, -100)
        self._evaluate(self.customer)
        warning = self.env["crm.lifecycle.churn.warning"]._get_open(self.customer)
        self.assertEqual(warning.user_id, self.salesman)
        for user in (self.salesman, self.cv_user):
            with self.assertRaises(AccessError):
                wizard = self._wizard(
                    user, partner_ids=[Command.set(self.customer.ids)]
                )
                wizard.action_apply()
        with self.assertRaises(AccessError):
            self._wizard(self.other_salesman, activity_id=warning.id).action_apply()
        todo = self.customer.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.salesman.id
        )
        with self.assertRaises(UserError):
            self._wizard(self.salesman, activity_id=todo.id).action_apply()
        self.assertNotEqual(self.customer.lifecycle_stage_id, self.stage_lost)
        self.assertTrue(warning.exists())
        self.assertFalse(self._history(self.customer).churn_reason_id)

    def test_history_is_not_written_over_rpc(self):
        self._evaluate(self.customer)
        stay = self._history(self.customer)
        for user in (self.salesman, self.cv_user):
            History = self.env["crm.lifecycle.history"].with_user(user)
            with self.assertRaises(AccessError):
                History.create(
                    {
                        "partner_id": self.customer.id,
                        "company_id": self.company.id,
                        "stage_to_id": self.stage_lost.id,
                        "date": "2020-01-01",
                        "churn_reason_id": self.price.id,
                    }
                )
            with self.assertRaises(AccessError):
                stay.with_user(user).write({"churn_reason_id": self.price.id})
        with self.assertRaises(AccessError):
            self.price.with_user(self.cv_user).name = "Too dear"


@tagged("post_install", "-at_install")
class TestChurnReasonDemo(BaseCommon):
    """The demo's lost customers say why they left (demo/demo.py)."""

    def test_demo_losses_carry_their_reasons(self):
        customers = [
            self.env.ref(f"crm_lifecycle.demo_customer_{key}").id
            for key in ("snow", "ocean", "riverside")
        ]
        losses = self.env["crm.lifecycle.lost.report"].search(
            [("partner_id", "in", customers)]
        )
        self.assertEqual(set(losses.partner_id.ids), set(customers))
        self.assertTrue(all(losses.mapped("churn_reason_id")))
        self.assertIn(
            self.env.ref("crm_lifecycle.churn_reason_competitor"),
            losses.churn_reason_id,
        )
