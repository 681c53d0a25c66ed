from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RAW_EMAIL, CrmCareCommon


@tagged("post_install", "-at_install")
class TestComplaints(CrmCareCommon):
    """Complaints: intake, deadlines in working hours, escalation, closing
    with a survey, and what they cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey_plan = cls.env.ref("crm_care.plan_survey_after_complaint")
        cls.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False), ("id", "!=", cls.survey_plan.id)]
        ).active = False
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": cls.customer.id, "email": "li@lotus.example"}
        )
        # Office hours Mon-Fri 8-12 and 13-17, in UTC so deadlines read plainly.
        cls.company.resource_calendar_id = cls.env["resource.calendar"].create(
            {"name": "Office hours", "tz": "UTC", "company_id": cls.company.id}
        )
        cls.quality = cls.env.ref("crm_care.complaint_category_quality")
        cls.other = cls.env.ref("crm_care.complaint_category_other")
        cls.stage = {
            state: cls.env["crm.care.complaint.stage"].search(
                [("state", "=", state)], limit=1
            )
            for state in ("new", "in_progress", "resolved", "closed", "cancelled")
        }

    def _complaint(self, **values):
        return self.env["crm.care.complaint"].create(
            {
                "subject": "Broken teapots",
                "partner_id": self.customer.id,
                "category_id": self.other.id,
                **values,
            }
        )

    # ------------------------------------------------------------------
    # Intake
    # ------------------------------------------------------------------
    def _email(self, sender, name, subject, body):
        """Feed a raw email to the complaints alias through the mail gateway."""
        raw = RAW_EMAIL.format(
            sender=sender,
            name=name,
            subject=subject,
            message_id=subject.replace(" ", "-"),
            body=body,
        )
        return self.env["crm.care.complaint"].browse(
            self.env["mail.thread"].message_process(None, raw)
        )

    def test_email_to_the_alias_files_a_complaint_for_the_sender_company(self):
        domain = self.env["mail.alias.domain"].create(
            {"name": "lotus-care.example.com"}
        )
        self.env.ref("crm_care.mail_alias_complaints").alias_domain_id = domain
        complaint = self._email(
            "li@lotus.example",
            "Ms Li",
            "Three teapots arrived broken",
            "The box was crushed; three of the ten teapots are broken.",
        )
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.subject, "Three teapots arrived broken")
        self.assertIn("three of the ten teapots", complaint.description)
        self.assertEqual(complaint.user_id, self.rep, "owned by the representative")
        self.assertEqual(complaint.state, "new")
        self.assertIn(
            "three of the ten teapots", complaint.message_ids[-1].body, "mail kept"
        )

        unknown = self._email(
            "stranger@nowhere.example",
            "A Stranger",
            "Who do I talk to?",
            "Nobody answers the phone.",
        )
        self.assertFalse(unknown.partner_id)
        self.assertIn("stranger@nowhere.example", unknown.email_from)
        self.assertEqual(unknown.channel, "email")

        # Our own staff forwarding a complaint: not a customer of ours.
        self.rep.email = "rep@lotus-care.example.com"
        forwarded = self._email(
            "rep@lotus-care.example.com",
            "The Rep",
            "Fwd: late order",
            "Customer called about a late order.",
        )
        self.assertFalse(forwarded.partner_id)

    def test_a_contact_given_as_customer_complains_for_its_company(self):
        form = Form(self.env["crm.care.complaint"])
        form.subject = "Invoice sent twice"
        form.partner_id = self.contact
        complaint = form.save()
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertTrue(complaint.name.startswith("CMP/"))

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    def test_deadlines_skip_the_weekend(self):
        friday = datetime(2026, 11, 20, 15, 0)
        complaint = self._complaint(priority="3", date_received=friday)
        self.assertEqual(
            complaint.sla_policy_id, self.env.ref("crm_care.sla_policy_urgent")
        )
        # Urgent: answer within 1 working hour, resolve within 8.
        self.assertEqual(complaint.response_deadline, datetime(2026, 11, 20, 16, 0))
        # Friday 15-17 (2 h), Monday 8-12 (4 h) and 13-15 (2 h).
        self.assertEqual(complaint.resolution_deadline, datetime(2026, 11, 23, 15, 0))
        # At risk after 75% of 8 h: 6 h, Monday noon.
        self.assertEqual(
            complaint.resolution_warning_date, datetime(2026, 11, 23, 12, 0)
        )

        complaint._sla_refresh(now=datetime(2026, 11, 20, 15, 30))
        self.assertEqual(complaint.sla_status, "on_time")
        complaint.stage_id = self.stage["in_progress"]  # first response
        complaint.date_responded = datetime(2026, 11, 20, 15, 40)
        complaint._sla_refresh(now=datetime(2026, 11, 23, 11, 0))
        self.assertEqual(complaint.sla_status, "on_time", "the weekend does not count")
        complaint._sla_refresh(now=datetime(2026, 11, 23, 12, 30))
        self.assertEqual(complaint.sla_status, "at_risk")
        complaint._sla_refresh(now=datetime(2026, 11, 23, 15, 1))
        self.assertEqual(complaint.sla_status, "late")
        self.assertEqual(complaint.sla_compliance, 0)

    def test_the_most_specific_policy_applies_and_follows_the_priority(self):
        complaint = self._complaint(category_id=self.quality.id, priority="3")
        self.assertEqual(
            complaint.sla_policy_id, self.env.ref("crm_care.sla_policy_quality")
        )
        complaint.category_id = self.other
        self.assertEqual(
            complaint.sla_policy_id, self.env.ref("crm_care.sla_policy_urgent")
        )
        complaint.priority = "1"
        self.assertEqual(
            complaint.sla_policy_id, self.env.ref("crm_care.sla_policy_standard")
        )

    def test_complaint_at_risk_is_escalated_once(self):
        boss = new_test_user(
            self.env,
            login="care_boss",
            groups="crm_value.group_crm_value_manager",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.env.ref("crm_care.sla_policy_urgent").escalation_user_id = boss
        complaint = self._complaint(
            priority="3", date_received=datetime(2026, 11, 20, 15, 0)
        )
        complaint.stage_id = self.stage["in_progress"]
        complaint._sla_refresh(now=datetime(2026, 11, 23, 12, 30))
        complaint._sla_escalate()
        complaint._sla_escalate()
        escalation = complaint.activity_ids.filtered(lambda a: a.user_id == boss)
        self.assertEqual(len(escalation), 1)
        self.assertIn("resolve by 2026-11-23", escalation.summary)
        self.assertTrue(complaint.sla_escalated)

    def test_late_status_says_which_deadline_passed(self):
        """Late on the answer while the resolution is days away: the status
        says it is the answer, as does the escalation."""
        complaint = self._complaint(date_received=datetime(2026, 11, 23, 9, 0))
        now = datetime(2026, 11, 24, 15, 0)
        self.assertLess(complaint.response_deadline, now)
        self.assertGreater(complaint.resolution_deadline, now)
        complaint._sla_refresh(now=now)
        self.assertEqual(complaint.sla_status, "late")
        self.assertEqual(complaint.sla_deadline, "response")
        complaint._sla_escalate()
        self.assertIn("answer by", complaint.activity_ids[-1:].summary)

    def test_resolving_in_time_keeps_the_sla(self):
        complaint = self._complaint(priority="3")
        complaint.stage_id = self.stage["resolved"]
        self.assertTrue(complaint.date_responded)
        self.assertTrue(complaint.date_resolved)
        self.assertEqual(complaint.sla_status, "on_time")
        self.assertEqual(complaint.sla_compliance, 100)
        complaint.stage_id = self.stage["in_progress"]
        self.assertFalse(complaint.date_resolved, "reopening clears the resolution")

    def test_bad_policy_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["crm.care.sla.policy"].create(
                {"name": "Backwards", "response_hours": 10, "resolution_hours": 2}
            )
        self.assertIn("cannot be longer", str(caught.exception))

    # ------------------------------------------------------------------
    # Closing: survey and satisfaction
    # ------------------------------------------------------------------
    def test_closing_sends_the_csat_survey_and_its_answer_rates_the_complaint(self):
        complaint = self._complaint()
        complaint.stage_id = self.stage["resolved"]
        Answer = self.env["survey.user_input"]
        about_it = [
            ("care_res_model", "=", complaint._name),
            ("care_res_id", "=", complaint.id),
        ]
        self.assertFalse(Answer.search(about_it))
        complaint.stage_id = self.stage["closed"]
        answer = Answer.search(
            [
                ("care_res_model", "=", complaint._name),
                ("care_res_id", "=", complaint.id),
            ]
        )
        self.assertEqual(answer.survey_id, self.env.ref("crm_care.survey_csat"))
        self.assertEqual(answer.partner_id, self.customer)
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "survey.user_input"), ("res_id", "=", answer.id)]
            ),
            "the invitation is emailed",
        )
        # Reopened and closed again: no second survey.
        complaint.stage_id = self.stage["in_progress"]
        complaint.stage_id = self.stage["closed"]
        self.assertEqual(Answer.search_count(about_it), 1)

        # The customer answers on the survey page (which works as superuser).
        for question in answer.survey_id.question_ids:
            if question.question_type == "scale":
                answer.sudo()._save_lines(question, "5")
        answer.sudo()._mark_done()
        self.assertEqual(complaint.csat_score, 5)
        self.assertTrue(complaint.satisfied)
        self.assertEqual(self.customer.care_complaint_count, 1)
        self.assertEqual(self.customer.care_complaint_open_count, 0)
        self.assertEqual(self.customer.care_complaint_satisfied_percent, 100)

    def test_customer_complaint_figures(self):
        """The customer's complaint figures, shown on the customer and its
        contacts: cancelled complaints left out, resolution time and
        satisfaction over the resolved ones."""
        received = datetime(2026, 11, 2, 9, 0)
        for state, days, csat in (
            ("resolved", 2, 5),
            ("closed", 4, 2),
            ("in_progress", 0, 0),
            ("cancelled", 10, 5),
        ):
            complaint = self._complaint(subject=f"A {state} complaint")
            complaint.stage_id = self.stage[state]
            complaint.write(
                {
                    "date_received": received,
                    "date_resolved": received + timedelta(days=days) if days else False,
                    "csat_score": csat,
                }
            )
        for partner in (self.customer, self.contact):
            self.assertEqual(partner.care_complaint_count, 3)
            self.assertEqual(partner.care_complaint_open_count, 1)
            self.assertAlmostEqual(partner.care_complaint_resolution_days, 3.0)
            self.assertEqual(partner.care_complaint_satisfied_percent, 50)

    # ------------------------------------------------------------------
    # Cost to serve and access
    # ------------------------------------------------------------------
    def test_complaint_cost_counts_in_the_cost_to_serve(self):
        self._sell(self.customer, [(self.service, 1, 100.0)])
        self._complaint(category_id=self.quality.id)
        self._complaint(category_id=self.quality.id).stage_id = self.stage["cancelled"]
        queued = self.env["crm.value.queue"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertTrue(queued, "a new complaint queues the customer's recompute")
        self._recompute(self.customer)
        self.assertFigures(
            self.customer, cost_to_serve=80.0, lifetime_cost_to_serve=80.0
        )

    def test_salesman_sees_only_complaints_of_own_customers(self):
        salesman = new_test_user(
            self.env,
            login="own_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        mine = self._customer("Mine Ltd", user_id=salesman.id, care_user_id=self.rep.id)
        own = self._complaint(partner_id=mine.id)
        other = self._complaint()
        visible = self.env["crm.care.complaint"].with_user(salesman).search([])
        self.assertIn(own, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            other.with_user(salesman).read(["subject"])
        manager = new_test_user(
            self.env,
            login="care_manager",
            groups="crm_value.group_crm_value_manager",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.assertIn(
            other, self.env["crm.care.complaint"].with_user(manager).search([])
        )
