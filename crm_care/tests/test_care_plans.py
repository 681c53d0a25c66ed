from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_care.care_event import CareEvent
from odoo.addons.crm_value.tests.common import open_action

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestCarePlans(CrmCareCommon):
    """Care plans launched by real events, once each, for the right people."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer._increase_rank("customer_rank")
        cls.Plan = cls.env["mail.activity.plan"]
        cls.Event = cls.env["crm.care.event"]
        # Only the plans a test creates or names take part.
        cls.Plan.search([("care_trigger", "!=", False)]).active = False

    def _plan(
        self, trigger, steps=(("mail.mail_activity_data_call", 3, False),), **values
    ):
        plan = self.Plan.create(
            {
                "name": f"Care on {trigger}",
                "res_model": "res.partner",
                "care_trigger": trigger,
                "care_type": "after_sale",
                **values,
            }
        )
        for activity_type, days, template in steps:
            self.env["mail.activity.plan.template"].create(
                {
                    "plan_id": plan.id,
                    "activity_type_id": self.env.ref(activity_type).id,
                    "delay_count": days,
                    "delay_from": "after_plan_date",
                    "responsible_type": "care_representative",
                    "care_mail_template_id": template and self.env.ref(template).id,
                }
            )
        return plan

    def _care(self, plan, customer=None):
        return self.Event.search(
            [
                ("plan_id", "=", plan.id),
                ("partner_id", "=", (customer or self.customer).id),
            ]
        )

    def test_representative_defaults_to_salesperson_and_reaches_contacts(self):
        salesman = new_test_user(
            self.env, login="care_salesman", groups="sales_team.group_sale_salesman"
        )
        company = self._customer("Jasmine Traders", user_id=salesman.id)
        self.assertEqual(company.care_user_id, salesman)
        contact = self.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": company.id}
        )
        self.assertEqual(contact.care_user_id, salesman)
        company.care_user_id = self.rep
        self.assertEqual(contact.care_user_id, self.rep)
        order = self.env["sale.order"].create({"partner_id": contact.id})
        self.assertEqual(order.care_user_id, self.rep)

    def test_delivery_schedules_the_call_once_with_deadline_and_representative(self):
        plan = self._plan("delivery_done")
        self._receive(self.fifo_product, 5, 10.0)
        order = self._sell(self.customer, [(self.fifo_product, 2, 20.0)])
        delivery = self._deliver(order)
        # Validation only queues the care: the care scheduler launches it.
        self.assertFalse(self._care(plan))
        self.Plan._cron_care_scheduler()
        event = self._care(plan)
        self.assertEqual(len(event), 1)
        self.assertEqual(
            (event.res_model, event.res_id), ("stock.picking", delivery.id)
        )
        activity = event.activity_ids
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.user_id, self.rep)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=3))
        self.assertIn(delivery.name, activity.summary)
        # The same event again (a re-run, a re-validation) creates nothing.
        self.Plan._care_fire(
            "delivery_done",
            [CareEvent(self.customer, delivery, company=delivery.company_id)],
        )
        self.assertEqual(self._care(plan), event)
        self.assertEqual(len(self.customer.activity_ids), 1)
        self.Plan._cron_care_scheduler()
        self.assertEqual(self._care(plan), event)

    def test_cancelled_order_cancels_its_pending_care(self):
        confirmed = self._plan("order_confirmed")
        sent = self._plan(
            "quotation_sent", steps=(("mail.mail_activity_data_todo", 2, False),)
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [fields.Command.create({"product_id": self.service.id})],
            }
        )
        order.write({"state": "sent"})
        self.Plan._cron_care_scheduler()
        self.assertEqual(len(self._care(sent)), 1)
        order.action_confirm()
        self.Plan._cron_care_scheduler()
        event = self._care(confirmed)
        self.assertEqual(len(event.activity_ids), 1)
        order._action_cancel()
        self.assertEqual(event.state, "scheduled", "cancelling only queues")
        self.Plan._cron_care_scheduler()
        self.assertEqual(event.state, "cancelled")
        self.assertFalse(event.activity_ids)
        self.assertFalse(
            self.customer.activity_ids.filtered(
                lambda a: a.care_event_id.res_model == "sale.order"
            )
        )

    def test_filter_keeps_other_customers_out(self):
        plan = self._plan("order_confirmed", care_domain="[('name', 'ilike', 'Lotus')]")
        other = self._customer("Bamboo Imports", care_user_id=self.rep.id)
        self._sell(self.customer, [(self.service, 1, 100.0)])
        self._sell(other, [(self.service, 1, 100.0)])
        self.Plan._cron_care_scheduler()
        self.assertEqual(len(self._care(plan)), 1)
        self.assertFalse(self._care(plan, other))

    def test_thank_you_email_queued_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "crm_care")]
        )._update_translations("zh_CN")
        self.customer.lang = "zh_CN"
        plan = self.env.ref("crm_care.plan_thank_you")
        plan.active = True
        invoice = self._direct_invoice(self.customer, 100.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.Plan._cron_care_scheduler()
        event = self._care(plan)
        self.assertEqual(len(event), 1)
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids)], order="id desc", limit=1
        )
        self.assertTrue(mail, "no thank-you email queued")
        self.assertIn("谢谢", mail.subject)
        self.assertFalse(event.with_context(active_test=False).activity_ids.active)

    def test_late_payment_gets_no_thank_you(self):
        plan = self.env.ref("crm_care.plan_thank_you")
        plan.active = True
        invoice = self._direct_invoice(
            self.customer,
            100.0,
            invoice_date=self.today - timedelta(days=60),
            invoice_payment_term_id=self.pay_terms_a.id,
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": self.today})._create_payments()
        self.Plan._cron_care_scheduler()
        self.assertFalse(self._care(plan))

    def test_blacklisted_customer_gets_no_email(self):
        self.env["mail.blacklist"].create({"email": self.customer.email})
        plan = self._plan(
            "order_confirmed",
            steps=(
                (
                    "mail.mail_activity_data_email",
                    0,
                    "crm_care.mail_template_care_thank_you",
                ),
            ),
        )
        self._sell(self.customer, [(self.service, 1, 100.0)])
        self.Plan._cron_care_scheduler()
        event = self._care(plan)
        self.assertEqual(len(event), 1)
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        )
        done = event.with_context(active_test=False).activity_ids
        self.assertFalse(done.active, "the email step is closed, not left to retry")

    def test_scheduler_starts_dated_care_once(self):
        birthday = self._plan("birthday")
        anniversary = self._plan("purchase_anniversary")
        review = self._plan(
            "periodic",
            care_interval_months=3,
            care_domain="[('name', 'ilike', 'Lotus')]",
        )
        renewal = self._plan("renewal", care_days_before=30)
        contact = self.env["res.partner"].create(
            {
                "name": "Mr Wang",
                "parent_id": self.customer.id,
                "birthdate_date": self.today.replace(year=1980),
            }
        )
        first = self._sell(self.customer, [(self.service, 1, 100.0)])
        first.date_order = datetime.combine(
            self.today - relativedelta(years=1), time(10)
        )
        first.validity_date = False
        contract = self._sell(
            self.customer,
            [(self.service, 1, 100.0)],
            validity_date=self.today + timedelta(days=30),
        )
        for _run in range(2):
            self.Plan._cron_care_scheduler()
        self.assertEqual(len(self._care(birthday)), 1)
        self.assertEqual(self._care(birthday).res_id, contact.id)
        self.assertEqual(len(self._care(anniversary)), 1)
        self.assertEqual(len(self._care(review)), 1)
        self.assertEqual(self._care(renewal).res_id, contract.id)

    def test_first_purchase_by_invoice_has_its_anniversary(self):
        """An invoice with no sales order is a purchase (crm_value's one
        definition): its first anniversary starts the plan, and a later
        order's does not replace it."""
        anniversary = self._plan("purchase_anniversary")
        buyer = self._customer("Invoice-Only Teahouse")
        buyer._increase_rank("customer_rank")
        self._direct_invoice(
            buyer, 80.0, invoice_date=self.today - relativedelta(years=1)
        )
        later = self._customer("Ordered Later Teahouse")
        self._direct_invoice(
            later, 80.0, invoice_date=self.today - relativedelta(years=1, days=3)
        )
        order = self._sell(later, [(self.service, 1, 100.0)])
        order.date_order = datetime.combine(
            self.today - relativedelta(years=1), time(10)
        )
        self.Plan._cron_care_scheduler()
        self.assertEqual(len(self._care(anniversary, buyer)), 1)
        self.assertFalse(self._care(anniversary, later))

    def test_tier_upgrade_starts_care_and_downgrade_does_not(self):
        plan = self._plan("tier_changed", care_tier_direction="up")
        gold = self.env.ref("crm_value.tier_gold")
        iron = self.env.ref("crm_value.tier_iron")
        self.customer.value_tier_id = iron
        self.assertFalse(self._care(plan), "a first tier is not a move")
        self.customer.value_tier_id = gold
        self.assertEqual(len(self._care(plan)), 1)
        self.customer.value_tier_id = iron
        self.assertEqual(len(self._care(plan)), 1)

    def test_entering_a_lifecycle_stage_starts_its_plan(self):
        plan = self.env.ref("crm_care.plan_win_back")
        plan.active = True
        at_risk = self.env["crm.lifecycle.stage"].search([("code", "=", "at_risk")])
        # Moves are written by the lifecycle engine, as superuser.
        self.env["crm.lifecycle.history"].sudo()._record_moves(
            self.company,
            {
                self.customer.id: [
                    (
                        self.env["crm.lifecycle.stage"],
                        at_risk,
                        self.env["crm.lifecycle.rule"],
                        self.env["res.users"],
                        "no order for 120 days",
                    )
                ]
            },
            fields.Datetime.now(),
        )
        event = self._care(plan)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.activity_ids.user_id, self.rep)

    def test_only_the_stage_a_customer_ends_in_starts_care(self):
        welcome = self.env.ref("crm_care.plan_welcome")
        welcome.active = True
        stage = {
            stage.code: stage for stage in self.env["crm.lifecycle.stage"].search([])
        }
        newcomer = self._customer("Newcomer Ltd", care_user_id=self.rep.id)
        History = self.env["crm.lifecycle.history"].sudo()
        # A long-standing customer classified for the first time passes through
        # "new" to "loyal" in one evaluation; a newcomer stays "new".
        no_rule, user = self.env["crm.lifecycle.rule"], self.env.user
        History._record_moves(
            self.company,
            {
                self.customer.id: [
                    (stage["reserve"], stage["new"], no_rule, user, "first order"),
                    (stage["new"], stage["loyal"], no_rule, user, "many orders"),
                ],
                newcomer.id: [
                    (stage["reserve"], stage["new"], no_rule, user, "first order"),
                ],
            },
            fields.Datetime.now(),
        )
        self.assertFalse(self._care(welcome), "no welcome call for an old customer")
        self.assertEqual(len(self._care(welcome, newcomer)), 1)

    def test_first_evaluation_of_a_company_classifies_without_care(self):
        """The first scheduled evaluation stages the customers a company
        already has without a welcome call or churn warning for each; from the
        next one on, a customer entering a stage gets its care."""
        welcome = self.env.ref("crm_care.plan_welcome")
        welcome.active = True
        warning = self.env.ref("crm_lifecycle.mail_activity_type_churn_warning")
        Activity = self.env["mail.activity"].sudo()
        engine = self.env["crm.lifecycle.engine"].sudo()
        existing = self._customer("Existing Buyer Ltd", care_user_id=self.rep.id)
        self._sell(existing, [(self.service, 1, 100.0)])
        self.company.lifecycle_last_full_evaluation = False
        engine._cron_evaluate_lifecycle()
        self.assertEqual(
            existing.with_company(self.company).lifecycle_stage_id.code, "new"
        )
        # (Only this company's customer: the demo companies may have their
        # own nightly pass due, on their own day.)
        self.assertFalse(
            self.Event.search([("partner_id", "=", existing.id)]),
            "no care on the first evaluation",
        )
        self.assertFalse(
            Activity.search_count(
                [
                    ("activity_type_id", "=", warning.id),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", existing.id),
                ]
            )
        )
        newcomer = self._customer("Newcomer Buyer Ltd", care_user_id=self.rep.id)
        self._sell(newcomer, [(self.service, 1, 100.0)])
        self.company.lifecycle_last_full_evaluation = self.today - timedelta(days=1)
        engine._cron_evaluate_lifecycle()
        self.assertEqual(len(self._care(welcome, newcomer)), 1)
        self.assertFalse(self._care(welcome, existing))

    def test_representative_sees_only_their_customers(self):
        other_rep = new_test_user(
            self.env, login="care_rep_2", groups="crm_value.group_crm_value_user"
        )
        theirs = self._customer("Someone Else's", care_user_id=other_rep.id)
        mine = open_action(
            self.env, "crm_care.res_partner_action_my_customers", self.rep
        )
        self.assertIn(self.customer, mine)
        self.assertNotIn(theirs, mine)

    def test_bulk_assignment(self):
        others = self._customer("Plum Co") | self._customer("Pine Co")
        wizard = (
            self.env["crm.care.assign.wizard"]
            .with_context(active_model="res.partner", active_ids=others.ids)
            .create({"user_id": self.rep.id})
        )
        wizard.action_assign()
        self.assertEqual(others.care_user_id, self.rep)

    def test_completed_care_counts_in_the_cost_to_serve(self):
        self.env.ref("mail.mail_activity_data_call").value_cost = 12.0
        plan = self._plan("order_confirmed")
        order = self._sell(self.customer, [(self.service, 1, 100.0)])
        self._invoice(order)
        self.Plan._cron_care_scheduler()
        self._care(plan).activity_ids.action_done()
        self._recompute(self.customer)
        self.assertFigures(self.customer, cost_to_serve=12.0)

    def test_churn_warning_goes_to_the_representative(self):
        salesman = new_test_user(
            self.env, login="care_seller", groups="sales_team.group_sale_salesman"
        )
        self.customer.user_id = salesman
        responsible = self.env["crm.lifecycle.engine"]._get_lifecycle_responsible(
            self.customer
        )
        self.assertEqual(responsible[self.customer.id], self.rep)
