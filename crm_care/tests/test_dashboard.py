from datetime import datetime, time

from odoo.tests import new_test_user, tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestCareDashboard(CrmCareCommon):
    """The care tiles: NPS and CSAT per month, complaints as the user may see
    them, and the care coverage of Platinum and Gold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False)]
        ).active = False
        cls.manager = new_test_user(
            cls.env,
            login="care_dash_manager",
            groups="crm_value.group_crm_value_manager,survey.group_survey_user",
            company_id=cls.company.id,
        )
        # Lotus (represented by care_rep) is Platinum, Jasmine Gold with no
        # representative, Pebble Iron.
        cls.jasmine = cls._customer("Jasmine House")
        cls.pebble = cls._customer("Pebble Shop")
        for customer, amount in (
            (cls.customer, 1000.0),
            (cls.jasmine, 600.0),
            (cls.pebble, 50.0),
        ):
            order = cls._sell(cls, customer, [(cls.service, 1, amount)])
            order.date_order = cls.today
            cls._invoice(cls, order, cls.today)
        customers = cls.customer | cls.jasmine | cls.pebble
        cls.engine._recompute_partners(cls.company, customers.ids)
        cls.scoring._refresh_company(cls.company)
        cls.stage = {
            state: cls.env["crm.care.complaint.stage"].search(
                [("state", "=", state)], limit=1
            )
            for state in ("new", "in_progress", "resolved")
        }

    def _sections(self, user):
        env = self.env(user=user, context={"allowed_company_ids": [self.company.id]})
        return env["crm.value.dashboard"].get_dashboard_data(12)["sections"]

    def _complaint(self, customer, **values):
        return self.env["crm.care.complaint"].create(
            {"subject": "Cracked cups", "partner_id": customer.id, **values}
        )

    def _answer(self, survey, score, partner):
        answer = survey.sudo()._create_answer(partner=partner, check_attempts=False)
        for question in survey.question_ids:
            if question.question_type == "scale":
                answer._save_lines(question, str(score))
        answer._mark_done()
        return answer

    def test_tiers_of_the_test(self):
        tiers = {
            c.name: c.with_company(self.company).value_tier_id.code
            for c in self.customer | self.jasmine | self.pebble
        }
        self.assertEqual(
            tiers,
            {
                "Lotus Tea Garden": "platinum",
                "Jasmine House": "gold",
                "Pebble Shop": "iron",
            },
        )

    def test_complaints_count_what_the_user_may_see(self):
        late = self._complaint(self.customer, date_received=datetime(2026, 1, 5, 9, 0))
        late._sla_refresh(now=datetime.combine(self.today, time(12, 0)))
        self.assertEqual(late.sla_status, "late")
        self._complaint(self.customer)
        resolved = self._complaint(self.customer)
        resolved.stage_id = self.stage["resolved"]
        resolved.csat_score = 5  # the answer to the survey after closing
        self._complaint(self.jasmine)  # not the representative's customer
        self.env.flush_all()

        complaints = self._sections(self.manager)["care_complaints"]
        self.assertEqual(complaints["open"]["count"], 3)
        self.assertEqual(complaints["late"]["count"], 1)
        self.assertEqual(complaints["resolved"]["count"], 1)
        self.assertEqual(complaints["satisfied"]["count"], 1)
        self.assertEqual(complaints["satisfaction_rate"], 100.0)
        # The representative sees the complaints of their customers only.
        mine = self._sections(self.rep)["care_complaints"]
        self.assertEqual(mine["open"]["count"], 2)
        self.assertEqual(mine["late"]["count"], 1)
        Complaint = self.env["crm.care.complaint"].with_user(self.rep)
        self.assertEqual(Complaint.search_count(mine["open"]["action"]["domain"]), 2)

    def test_nps_and_csat_per_month_from_the_answers(self):
        contact = self.env["res.partner"].create(
            {"name": "Ms Wu", "parent_id": self.customer.id}
        )
        for score in (10, 9, 3):
            self._answer(self.env.ref("crm_care.survey_nps"), score, contact)
        for score in (5, 4):
            self._answer(self.env.ref("crm_care.survey_csat"), score, self.jasmine)
        # Not a customer of this company: not in its figures.
        stranger = self.env["res.partner"].create({"name": "Passer-by"})
        self._answer(self.env.ref("crm_care.survey_nps"), 0, stranger)

        satisfaction = self._sections(self.manager)["care_satisfaction"]
        self.assertEqual(satisfaction["nps"]["count"], 3)
        self.assertAlmostEqual(satisfaction["nps"]["value"], 100 / 3)
        self.assertEqual(satisfaction["csat"]["count"], 2)
        self.assertAlmostEqual(satisfaction["csat"]["value"], 4.5)
        this_month = satisfaction["months"].index(self.today.replace(day=1).isoformat())
        self.assertAlmostEqual(satisfaction["nps"]["values"][this_month], 100 / 3)
        self.assertEqual(satisfaction["csat"]["counts"][this_month], 2)
        self.assertEqual(len(satisfaction["months"]), 12)
        # Without access to survey answers, no satisfaction tile.
        self.assertNotIn("care_satisfaction", self._sections(self.rep))

    def test_coverage_of_platinum_and_gold(self):
        coverage = {
            t["code"]: t for t in self._sections(self.rep)["care_coverage"]["tiers"]
        }
        self.assertEqual(list(coverage), ["platinum", "gold"])
        self.assertEqual(coverage["platinum"]["count"]["count"], 1)
        self.assertEqual(coverage["platinum"]["represented"]["count"], 1)
        self.assertEqual(coverage["gold"]["count"]["count"], 1)
        self.assertEqual(coverage["gold"]["represented"]["count"], 0)
        self.assertEqual(coverage["gold"]["unrepresented"]["count"], 1)
        Report = self.env["crm.care.coverage.report"].with_user(self.rep)
        self.assertEqual(
            Report.search(
                coverage["gold"]["unrepresented"]["action"]["domain"]
            ).partner_id,
            self.jasmine,
        )
