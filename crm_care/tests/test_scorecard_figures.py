from datetime import datetime, time, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmCareCommon

SOURCES = (
    "crm.value.figure.care.activities",
    "crm.value.figure.complaint.rate",
    "crm.value.figure.nps.trend",
)


@tagged("post_install", "-at_install")
class TestScorecardFigures(CrmCareCommon):
    """The care figures of the scorecard, after the nightly recompute: how
    well the customer is looked after, how often they complain and how we
    answer, and where their NPS is going."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Plans that start by themselves would add activities of their own.
        cls.env["mail.activity.plan"].search([]).active = False
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": cls.customer.id, "email": "li@example.com"}
        )
        cls.date_from = cls.company._get_value_window_start()
        # The window before the analysis window, as many days long.
        cls.before_from = cls.date_from - (cls.today - cls.date_from)
        cls.stage = {
            code: cls.env.ref(f"crm_care.complaint_stage_{code}")
            for code in ("resolved", "closed", "cancelled")
        }
        cls.nps = cls.env.ref("crm_care.survey_nps")

    def _at(self, day):
        return datetime.combine(day, time(10, 0))

    def _figures(self, *customers):
        return self.engine._compute_figures(self.company, [c.id for c in customers])

    # ------------------------------------------------------------------
    # Activities: coverage and touch points
    # ------------------------------------------------------------------
    def _activity(self, partner, deadline, done=False):
        activity = partner.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=deadline,
            summary="Call about the spring tea",
            user_id=self.rep.id,
        )
        if done:
            activity.action_feedback(feedback="Called")
        return activity

    def test_coverage_is_activities_done_against_those_left_late(self):
        self._direct_invoice(self.customer, 100.0)
        # Done: on a contact before its deadline, on the customer after it.
        self._activity(self.contact, self.today + timedelta(days=3), done=True)
        self._activity(self.customer, self.today - timedelta(days=5), done=True)
        # Done before the window: not a touch of the window.
        self._activity(self.customer, self.date_from, done=True)
        old = self.customer.message_ids.filtered("mail_activity_type_id")[:1]
        old.sudo().date = self._at(self.date_from - timedelta(days=2))
        # Open past its deadline: left late; open and due later or due
        # before the window: not counted.
        self._activity(self.customer, self.today - timedelta(days=2))
        self._activity(self.customer, self.today + timedelta(days=5))
        self._activity(self.customer, self.date_from - timedelta(days=5))
        self._activity(self.customer, self.today)  # due today: not late yet
        # Another customer's activities are theirs.
        other = self._customer("Bamboo Imports")
        self._activity(other, self.today - timedelta(days=1))

        self._recompute(self.customer, other)
        # 2 done in the window, 1 of them on time; 1 still open past its
        # deadline.
        self.assertFigures(self.customer, care_touch_count=2, care_coverage=100 / 3)
        self.assertAlmostEqual(self.customer.value_care_coverage, 33.3, places=1)
        self.assertEqual(self.customer.value_care_touch_count, 2)
        figures = self._figures(other)[other.id]
        self.assertEqual(figures["care_coverage"], 0.0, "nothing done, one late")
        self.assertEqual(figures["care_touch_count"], 0)

    def test_an_activity_done_late_is_marked_late_on_its_message(self):
        on_time = self._activity(self.customer, self.today)
        late = self._activity(self.contact, self.today - timedelta(days=1))
        (on_time | late).action_done()
        messages = (self.customer | self.contact).message_ids.filtered(
            "mail_activity_type_id"
        )
        self.assertEqual(
            {m.res_id: m.care_done_late for m in messages},
            {self.customer.id: False, self.contact.id: True},
        )
        figures = self._figures(self.customer)[self.customer.id]
        self.assertEqual(figures["care_coverage"], 50.0)
        self.assertEqual(figures["care_touch_count"], 2)
        # The one who did it late cannot make it on time afterwards.
        late_message = messages.filtered("care_done_late")
        salesman = new_test_user(
            self.env,
            login="care_late_salesman",
            groups="sales_team.group_sale_salesman",
        )
        late_message.author_id = salesman.partner_id
        with self.assertRaises(AccessError):
            late_message.with_user(salesman).write({"care_done_late": False})
        with self.assertRaises(AccessError):
            self.env["mail.message"].with_user(salesman).create(
                {
                    "model": "res.partner",
                    "res_id": self.customer.id,
                    "body": "x",
                    "care_done_late": False,
                }
            )
        self.assertTrue(late_message.care_done_late)

    def test_coverage_is_empty_without_anything_due_or_done(self):
        self._activity(self.customer, self.today + timedelta(days=5))
        figures = self._figures(self.customer)[self.customer.id]
        self.assertIsNone(figures["care_coverage"])
        self.assertEqual(figures["care_touch_count"], 0)

    # ------------------------------------------------------------------
    # Complaints: rate and SLA kept
    # ------------------------------------------------------------------
    def _complaint(self, received, stage=None, partner=None):
        complaint = self.env["crm.care.complaint"].create(
            {
                "subject": "Broken teapots",
                "partner_id": (partner or self.customer).id,
                "date_received": received,
            }
        )
        if stage:
            complaint.stage_id = self.stage[stage]
        return complaint

    def test_complaint_rate_and_sla_kept_over_the_window(self):
        for _ in range(5):
            self._direct_invoice(self.customer, 100.0)
        now = fields.Datetime.now()
        on_time = self._complaint(now, "resolved")
        on_time_closed = self._complaint(now, "closed")
        resolved_late = self._complaint(now - timedelta(days=30), "resolved")
        self._complaint(now)  # open, on time: its outcome is not known yet
        self.assertEqual(
            (on_time | on_time_closed | resolved_late).mapped("sla_compliance"),
            [100, 100, 0],
        )
        self._complaint(now, "cancelled")  # not a complaint any more
        # Received before the window: another window's.
        self._complaint(self._at(self.date_from - timedelta(days=10)), "resolved")

        self._recompute(self.customer)
        # 4 complaints for 5 purchases; 2 of the 3 decided kept their SLA.
        self.assertFigures(self.customer, complaint_rate=80.0)
        self.assertFigures(self.customer, complaint_sla_kept=200 / 3)
        self.assertAlmostEqual(self.customer.value_complaint_rate, 80.0)

    def test_an_open_late_complaint_has_missed_its_sla(self):
        self._direct_invoice(self.customer, 100.0)
        late = self._complaint(fields.Datetime.now() - timedelta(days=30))
        self.assertEqual(late.sla_status, "late")
        self._recompute(self.customer)
        self.assertFigures(self.customer, complaint_rate=100.0, complaint_sla_kept=0.0)

    def test_no_purchase_no_rate_no_decided_complaint_no_sla(self):
        self._complaint(fields.Datetime.now())
        figures = self._figures(self.customer)[self.customer.id]
        self.assertIsNone(figures["complaint_rate"])
        self.assertIsNone(figures["complaint_sla_kept"])
        self.assertNotIn("care_complaint_window_count", figures)

    # ------------------------------------------------------------------
    # NPS trend
    # ------------------------------------------------------------------
    def _answer(self, score, day, partner=None, survey=None):
        survey = survey or self.nps
        answer = survey.sudo()._create_answer(
            partner=partner or self.customer, check_attempts=False
        )
        for question in survey.question_ids:
            if question.question_type == "scale":
                answer._save_lines(question, str(score))
        answer._mark_done()
        answer.sudo().end_datetime = self._at(day)
        return answer

    def test_nps_trend_is_this_window_against_the_one_before(self):
        self._direct_invoice(self.customer, 100.0)
        # This window: a promoter and a passive, NPS 50.
        self._answer(10, self.today - timedelta(days=10), partner=self.contact)
        self._answer(7, self.date_from + timedelta(days=1))
        # The window before: a detractor and a promoter, NPS 0...
        self._answer(3, self.date_from - timedelta(days=1))
        self._answer(9, self.before_from + timedelta(days=1))
        # ...and before that, not counted; nor a CSAT answer, nor a test.
        self._answer(0, self.before_from - timedelta(days=2))
        self._answer(
            1,
            self.today - timedelta(days=3),
            survey=self.env.ref("crm_care.survey_csat"),
        )
        self._answer(0, self.today - timedelta(days=4)).sudo().test_entry = True
        # Answers in one window only: no trend.
        newcomer = self._customer("Bamboo Imports")
        self._answer(10, self.today - timedelta(days=1), partner=newcomer)

        self._recompute(self.customer, newcomer)
        self.assertFigures(self.customer, nps_trend=50.0)
        self.assertAlmostEqual(self.customer.value_nps_trend, 50.0)
        self.assertIsNone(self._figures(newcomer)[newcomer.id]["nps_trend"])

    # ------------------------------------------------------------------
    # Cost
    # ------------------------------------------------------------------
    def test_sources_cost_one_query_whatever_the_customers(self):
        customers = self.customer
        for name in ("Bamboo Imports", "Pine Trading"):
            customers |= self._customer(name)
        for customer in customers:
            self._direct_invoice(customer, 100.0)
            self._complaint(fields.Datetime.now(), "resolved", partner=customer)
            self._answer(9, self.today - timedelta(days=1), partner=customer)
            self._answer(6, self.date_from - timedelta(days=1), partner=customer)
            self._activity(customer, self.today, done=True)

        def queries(partners):
            scope = self.engine._get_figure_scope(self.company, partners.ids)
            self.env.flush_all()
            counts = {}
            for name in SOURCES:
                before = self.env.cr.sql_log_count
                self.env[name]._get_figures(scope)
                counts[name] = self.env.cr.sql_log_count - before
            return counts

        queries(customers)  # warm the caches
        self.assertEqual(queries(self.customer), dict.fromkeys(SOURCES, 1))
        self.assertEqual(queries(customers), dict.fromkeys(SOURCES, 1))
        figures = self._figures(*customers)
        self.assertEqual([figures[c.id]["nps_trend"] for c in customers], [200.0] * 3)
        self.assertEqual(
            [figures[c.id]["care_touch_count"] for c in customers], [1] * 3
        )
        self.assertEqual(
            [figures[c.id]["complaint_rate"] for c in customers], [100.0] * 3
        )
