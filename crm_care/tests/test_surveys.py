from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestSurveys(CrmCareCommon):
    """Satisfaction surveys: sent by care plans, scored, and acted upon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": cls.customer.id, "email": "li@example.com"}
        )
        cls.nps = cls.env.ref("crm_care.survey_nps")
        cls.csat = cls.env.ref("crm_care.survey_csat")
        cls.ces = cls.env.ref("crm_care.survey_ces")
        cls.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False)]
        ).active = False

    def _answer(self, survey, score, comment=None, partner=None):
        """A completed answer: `score` on the scale, `comment` in the text box,
        saved as the survey's pages do (sudo)."""
        answer = survey.sudo()._create_answer(
            partner=partner or self.customer, check_attempts=False
        )
        for question in survey.question_ids:
            if question.question_type == "scale":
                answer._save_lines(question, str(score))
            elif comment:
                answer._save_lines(question, comment)
        answer._mark_done()
        return answer

    def test_nps_is_promoters_minus_detractors(self):
        for score in (3, 6, 7, 8, 7, 9, 10, 9, 10, 9):
            self._answer(self.nps, score, partner=self.contact)
        answers = self.env["survey.user_input"].search(
            [("care_partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(answers), 10, "a contact's answers count for the company")
        self.assertEqual(
            sorted(answers.mapped("care_nps_class")),
            ["detractor"] * 2 + ["passive"] * 3 + ["promoter"] * 5,
        )
        [[nps]] = self.env["survey.user_input"]._read_group(
            [("id", "in", answers.ids)], [], ["care_nps_value:avg"]
        )
        self.assertEqual(nps, 30)
        self.assertEqual(self.customer.care_nps, 30)
        self.assertEqual(self.customer.care_nps_last, 9)
        self.assertEqual(self.customer.care_nps_last_class, "promoter")

    def test_nps_by_tier_keeps_the_tier_of_the_day(self):
        gold = self.env.ref("crm_value.tier_gold")
        self.customer.value_tier_id = gold
        self._answer(self.nps, 10)
        self._answer(self.nps, 9)
        self._answer(self.nps, 2)
        self.customer.value_tier_id = self.env.ref("crm_value.tier_iron")
        groups = self.env["survey.user_input"]._read_group(
            [("care_partner_id", "=", self.customer.id)],
            ["care_tier_id"],
            ["care_nps_value:avg"],
        )
        # Two promoters, one detractor: NPS 33, counted in the tier of the day.
        self.assertEqual([(tier, round(nps)) for tier, nps in groups], [(gold, 33)])

    def test_csat_figures_and_zero_is_a_detractor(self):
        self._answer(self.csat, 4)
        self._answer(self.csat, 5)
        self._answer(self.nps, 0)
        self.assertEqual(self.customer.care_csat_last, 5)
        self.assertAlmostEqual(self.customer.care_csat_avg, 4.5)
        self.assertEqual(self.customer.care_nps_last, 0)
        self.assertEqual(self.customer.care_nps_last_class, "detractor")
        self.assertEqual(self.customer.care_nps, -100)

    def test_detractor_alerts_the_representative_and_puts_the_customer_at_risk(self):
        self._answer(self.nps, 3, "Late delivery", partner=self.contact)
        # Submitting the answer only queues the alert: the scheduler sends it.
        self.assertFalse(self.customer.activity_ids)
        self.env["mail.activity.plan"]._cron_care_scheduler()
        activity = self.customer.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.rep)
        self.assertIn("Detractor: NPS 3", activity.summary)
        self.assertIn("Late delivery", activity.summary)
        self.assertGreater(activity.date_deadline, self.today)
        self.assertLess(activity.date_deadline.weekday(), 5)
        self.assertLessEqual((activity.date_deadline - self.today).days, 3)
        rule = self.env.ref("crm_care.rule_at_risk_unhappy")
        domain = rule._get_domain(self.company, self.today)
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search([*domain, ("id", "=", self.customer.id)]), self.customer
        )
        self.assertIn(self.env.ref("crm_lifecycle.stage_active"), rule.stage_from_ids)
        self._sell(self.customer, [(self.service, 1, 100.0)])
        self.env["crm.lifecycle.engine"]._evaluate_partners(
            self.company, self.customer.ids
        )
        self.assertEqual(self.customer.lifecycle_stage_id.code, "at_risk")
        history = self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertEqual(history.rule_id, rule)

    def test_happy_answers_alert_nobody_and_low_csat_does(self):
        self._answer(self.nps, 8)
        self._answer(self.csat, 3)
        self.env["mail.activity.plan"]._cron_care_scheduler()
        self.assertFalse(self.customer.activity_ids)
        rule = self.env.ref("crm_care.rule_at_risk_unhappy")
        domain = rule._get_domain(self.company, self.today)
        self.assertFalse(
            self.env["res.partner"].search([*domain, ("id", "=", self.customer.id)])
        )
        self._answer(self.csat, 2, "Rude on the phone")
        self.env["mail.activity.plan"]._cron_care_scheduler()
        self.assertIn("CSAT 2", self.customer.activity_ids.summary)
        self.assertTrue(
            self.env["res.partner"].search([*domain, ("id", "=", self.customer.id)])
        )

    def test_care_plan_step_invites_the_customer(self):
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Survey after the order",
                "res_model": "res.partner",
                "care_trigger": "order_confirmed",
                "care_type": "after_sale",
            }
        )
        self.env["mail.activity.plan.template"].create(
            {
                "plan_id": plan.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_email").id,
                "delay_count": 0,
                "delay_from": "after_plan_date",
                "responsible_type": "care_representative",
                "care_survey_id": self.csat.id,
            }
        )
        order = self._sell(self.customer, [(self.service, 1, 100.0)])
        self.env["mail.activity.plan"]._cron_care_scheduler()
        answer = self.env["survey.user_input"].search(
            [("survey_id", "=", self.csat.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(answer), 1)
        self.assertEqual(
            (answer.care_res_model, answer.care_res_id), (order._name, order.id)
        )
        self.assertEqual(answer.care_partner_id, self.customer)
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "survey.user_input"), ("res_id", "=", answer.id)]
            )
        )
        done = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("care_survey_id", "=", self.csat.id),
                    ("res_id", "=", self.customer.id),
                ]
            )
        )
        self.assertFalse(done.active, "the survey step is closed once sent")

    def test_send_survey_skips_customers_who_opted_out(self):
        other = self._customer("Bamboo Imports", email="bamboo@example.com")
        self.env["mail.blacklist"].create({"email": other.email})
        wizard = (
            self.env["crm.care.survey.wizard"]
            .with_user(self.rep)
            .with_context(
                active_model="res.partner", active_ids=[self.contact.id, other.id]
            )
            .create({"survey_id": self.nps.id})
        )
        wizard.action_send()
        answers = self.env["survey.user_input"].search(
            [
                ("survey_id", "=", self.nps.id),
                ("partner_id", "in", (self.customer | other).ids),
            ]
        )
        self.assertEqual(answers.partner_id, self.customer)

    def test_satisfaction_feeds_the_value_vector(self):
        self._direct_invoice(self.customer, 100.0)
        self._answer(self.nps, 8)
        self._answer(self.ces, 7)
        satisfaction = self.env["crm.value.figure.satisfaction"]._get_figures(
            self.engine._get_figure_scope(self.company, [self.customer.id])
        )
        self.assertAlmostEqual(satisfaction[self.customer.id]["satisfaction"], 0.9)
        self._recompute(self.customer)
        self.assertNotEqual(self._snapshot(self.customer).value_psychological, 0.5)

    def test_an_answer_queues_the_customer_for_the_value_recompute(self):
        self._direct_invoice(self.customer, 100.0)
        self._recompute(self.customer)
        Queue = self.env["crm.value.queue"].sudo()
        Queue.search([("partner_id", "=", self.customer.id)]).unlink()
        answer = self._answer(self.csat, 5, partner=self.contact)
        queued = Queue.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(queued.company_id, self.company)
        for change in (
            lambda: answer.write({"test_entry": True}),
            lambda: answer.write({"test_entry": False}),
            answer.unlink,
        ):
            queued.unlink()
            change()
            queued = Queue.search([("partner_id", "=", self.customer.id)])
            self.assertEqual(queued.company_id, self.company)

    def test_figures_cost_the_same_queries_for_one_or_many_customers(self):
        customers = self.customer
        for name in ("Bamboo Imports", "Pine Trading"):
            customers |= self._customer(name, email=f"{name[:4].lower()}@example.com")
        for customer in customers:
            self._answer(self.nps, 9, partner=customer)
            self._answer(self.csat, 4, partner=customer)

        def queries(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners._compute_care_satisfaction()
            self.env["crm.value.figure.satisfaction"]._get_figures(
                self.engine._get_figure_scope(self.company, partners.ids)
            )
            return self.env.cr.sql_log_count - before

        queries(customers)  # warm the access-rule caches
        self.assertEqual(queries(self.customer), queries(customers))
        self.assertEqual(customers.mapped("care_nps"), [100.0] * 3)

    def test_satisfaction_data_by_customer_from_their_answers_only(self):
        other = self._customer("Bamboo Imports")
        silent = self._customer("Silent Co")
        self._answer(self.nps, 10, partner=self.contact)
        self._answer(self.nps, 3)
        self._answer(self.csat, 2, partner=other)
        self._answer(self.csat, 4, partner=other)
        Answer = self.env["survey.user_input"]
        figures = Answer._care_satisfaction_by_partner(
            [self.customer.id, other.id, silent.id]
        )
        self.assertEqual(
            figures[self.customer.id],
            {
                "care_nps_last": 3,
                "care_nps_last_class": "detractor",
                "care_nps": 0.0,
                "care_csat_last": 0,
                "care_csat_avg": 0.0,
            },
        )
        self.assertEqual(figures[other.id]["care_csat_last"], 4)
        self.assertAlmostEqual(figures[other.id]["care_csat_avg"], 3.0)
        self.assertEqual(figures[other.id]["care_nps_last_class"], False)
        self.assertNotIn(silent.id, figures, "no answer, no figures")
        months = Answer._care_monthly_scores([self.customer.id, other.id])
        self.assertEqual(
            [dict(by_kind) for by_kind in months[self.customer.id].values()],
            [{"nps": 6.5}],
        )
        self.assertEqual(
            [dict(by_kind) for by_kind in months[other.id].values()], [{"csat": 3.0}]
        )
