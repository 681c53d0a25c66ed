from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestCareQueue(CrmCareCommon):
    """Paying, delivering and confirming only queue the care; the care
    scheduler launches it, in its own job, once per customer and plan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["mail.activity.plan"]
        cls.Event = cls.env["crm.care.event"]
        # Only the plans a test creates or names take part, and only the
        # events it queues (a new database still holds its demo's).
        cls.Plan.search([("care_trigger", "!=", False)]).active = False
        cls.env["crm.care.queue"].sudo().search([]).unlink()
        cls.thank_you = cls.env.ref("crm_care.plan_thank_you")
        cls.thank_you.active = True
        cls.accountant = new_test_user(
            cls.env,
            login="care_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        salesman = new_test_user(
            cls.env, login="care_queue_seller", groups="sales_team.group_sale_salesman"
        )
        # Created by a salesman, with no salesperson: no representative either.
        cls.walk_in = (
            cls.env["res.partner"]
            .with_user(salesman)
            .create({"name": "Walk-in Tea House", "email": "walkin@example.com"})
            .with_env(cls.env)
        )

    def _care(self, plan, customer):
        return self.Event.search(
            [("plan_id", "=", plan.id), ("partner_id", "=", customer.id)]
        )

    def _run_scheduler(self):
        self.Plan._cron_care_scheduler()

    def _plan(self, trigger, steps=1, **values):
        plan = self.Plan.create(
            {
                "name": f"Care on {trigger}",
                "res_model": "res.partner",
                "care_trigger": trigger,
                **values,
            }
        )
        for day in range(steps):
            self.env["mail.activity.plan.template"].create(
                {
                    "plan_id": plan.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                    "delay_count": 3 + day,
                    "delay_from": "after_plan_date",
                    "responsible_type": "care_representative",
                }
            )
        return plan

    def test_one_payment_of_two_on_time_invoices_thanks_the_customer_once(self):
        self.assertFalse(self.walk_in.user_id or self.walk_in.care_user_id)
        invoices = self._direct_invoice(self.walk_in, 100.0) | self._direct_invoice(
            self.walk_in, 50.0
        )
        payment = (
            self.env["account.payment.register"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"group_payment": True})
            ._create_payments()
        )
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.amount, 150.0)
        self.assertEqual(set(invoices.mapped("payment_state")), {"paid"})
        self.assertFalse(self._care(self.thank_you, self.walk_in))
        self.assertFalse(
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.walk_in.id)]
            )
        )
        self._run_scheduler()
        event = self._care(self.thank_you, self.walk_in)
        self.assertEqual(len(event), 1, "one thank-you for one payment")
        self.assertIn(event.res_id, invoices.ids)
        thanks = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.walk_in.ids)]
        )
        self.assertEqual(len(thanks), 1)
        # Nobody looks after the customer: the accountant who paid had the
        # step (done at once, the email sent), and follows the customer once.
        followers = self.walk_in.message_follower_ids.partner_id
        self.assertIn(self.accountant.partner_id, followers)
        self._run_scheduler()
        self.assertEqual(self._care(self.thank_you, self.walk_in), event)

    def test_payment_of_branch_invoices_in_the_parent_company_reconciles(self):
        branches = self._create_company(
            name="Care Branch A", parent_id=self.company.id
        ) | self._create_company(name="Care Branch B", parent_id=self.company.id)
        invoices = self._direct_invoice(
            self.customer, 100.0, company=branches[0]
        ) | self._direct_invoice(self.customer, 80.0, company=branches[1])
        # Only the branches selected: one payment per invoice, each the parent's
        # (its journals), re-read after reconciling under the branches' rules.
        payments = (
            self.env["account.payment.register"]
            .with_context(
                allowed_company_ids=branches.ids,
                active_model="account.move",
                active_ids=invoices.ids,
            )
            .create({"group_payment": False})
            ._create_payments()
        )
        self.assertEqual(len(payments), 2)
        self.assertEqual(payments.company_id, self.company)
        self.assertEqual(set(invoices.mapped("payment_state")), {"paid"})
        self.assertFalse(self._care(self.thank_you, self.customer))
        self._run_scheduler()
        self.assertEqual(len(self._care(self.thank_you, self.customer)), 1)

    def test_order_confirmation_queues_then_launches(self):
        plan = self._plan("order_confirmed")
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.service.id}
        )
        order.action_confirm()
        self.assertFalse(self._care(plan, self.customer))
        self.assertFalse(self.customer.activity_ids)
        self._run_scheduler()
        event = self._care(plan, self.customer)
        self.assertEqual((event.res_model, event.res_id), ("sale.order", order.id))
        self.assertEqual(event.activity_ids.user_id, self.rep)

    def test_delivery_validation_queues_then_launches(self):
        plan = self._plan("delivery_done")
        self._receive(self.fifo_product, 5, 10.0)
        order = self._sell(self.customer, [(self.fifo_product, 2, 20.0)])
        delivery = self._deliver(order)
        self.assertFalse(self._care(plan, self.customer))
        self.assertFalse(self.customer.activity_ids)
        self._run_scheduler()
        event = self._care(plan, self.customer)
        self.assertEqual(
            (event.res_model, event.res_id), ("stock.picking", delivery.id)
        )
        self.assertEqual(len(event.activity_ids), 1)

    def test_queue_launched_in_batches_and_a_broken_plan_keeps_its_events(self):
        confirmed = self._plan("order_confirmed")
        delivered = self._plan("delivery_done")
        other = self._customer("Bamboo Imports", care_user_id=self.rep.id)
        self._receive(self.fifo_product, 5, 10.0)
        orders = [
            self._sell(customer, [(self.fifo_product, 1, 20.0)])
            for customer in (self.customer, other)
        ]
        for order in orders:
            self._deliver(order)
        # A plan broken behind the ORM's back (its filter no longer evaluates)
        # must not hold up the care of the other events.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_activity_plan SET care_domain = '[(' WHERE id = %s",
            [confirmed.id],
        )
        self.env.invalidate_all()
        Queue = self.env["crm.care.queue"]
        self.assertEqual(len(Queue.search([])), 4)
        with self.assertLogs("odoo.addons.crm_care.models.crm_care_queue", "ERROR"):
            Queue._launch_queued(batch_size=1)
        for customer in (self.customer, other):
            self.assertEqual(len(self._care(delivered, customer)), 1)
            self.assertFalse(self._care(confirmed, customer))
        self.assertEqual(Queue.search([]).mapped("trigger"), ["order_confirmed"] * 2)
        confirmed.care_domain = "[]"
        Queue._launch_queued()
        self.assertFalse(Queue.search([]))
        self.assertEqual(len(self._care(confirmed, other)), 1)

    def test_one_failing_customer_does_not_hold_up_the_others(self):
        confirmed = self._plan("order_confirmed")
        other = self._customer("Bamboo Imports", care_user_id=self.rep.id)
        for customer in (self.customer, other):
            self._sell(customer, [(self.service, 1, 10.0)])
        Event = type(self.env["crm.care.event"])
        schedule = Event._schedule

        def schedule_failing_for_one(events, plan, todo):
            # A fault injected for one customer (e.g. a representative's
            # activity refused), the plan itself sound.
            if any(customer == self.customer for customer, *_rest in todo):
                raise UserError(self.env._("This customer's care cannot be scheduled."))
            return schedule(events, plan, todo)

        Queue = self.env["crm.care.queue"]
        with (
            patch.object(Event, "_schedule", schedule_failing_for_one),
            self.assertLogs("odoo.addons.crm_care.models.crm_care_queue", "ERROR"),
        ):
            Queue._launch_queued()
        self.assertEqual(len(self._care(confirmed, other)), 1)
        self.assertFalse(self._care(confirmed, self.customer))
        self.assertEqual(Queue.search([]).partner_id, self.customer, "kept queued")
        Queue._launch_queued()
        self.assertEqual(len(self._care(confirmed, self.customer)), 1)
        self.assertFalse(Queue.search([]))

    def test_queueing_costs_the_same_queries_for_one_or_many_orders(self):
        orders = self.env["sale.order"].create(
            [{"partner_id": self._customer(f"Buyer {n}").id} for n in range(5)]
        )
        Queue = self.env["crm.care.queue"]
        self.env.invalidate_all()
        Queue._queue("order_confirmed", orders[0])  # (warms the rule caches)
        costs = []
        for batch in (orders[1:2], orders[2:]):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Queue._queue("order_confirmed", batch)
            costs.append(self.env.cr.sql_log_count - before)
        self.assertEqual(costs[0], costs[1])
        self.assertEqual(
            Queue.search([("res_model", "=", "sale.order")]).mapped("res_id"),
            orders.ids,
        )

    def test_two_steps_for_one_representative_subscribe_them_once(self):
        """A tier move launches directly (inside our own engine): a plan of two
        steps for the same representative schedules both and follows once."""
        plan = self._plan("tier_changed", steps=2)
        self.customer.value_tier_id = self.env.ref("crm_value.tier_iron")
        self.customer.value_tier_id = self.env.ref("crm_value.tier_gold")
        event = self._care(plan, self.customer)
        self.assertEqual(len(event.activity_ids), 2)
        self.assertEqual(event.activity_ids.user_id, self.rep)
        followers = self.customer.message_follower_ids
        self.assertEqual(
            len(followers.filtered(lambda f: f.partner_id == self.rep.partner_id)), 1
        )
