from datetime import datetime, time, timedelta

from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestSatisfactionHistory(CrmCareCommon):
    """The customer form charts the customer's NPS and CSAT month by month,
    for Customer Value users too (who may not read survey answers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False)]
        ).active = False

    def _answer(self, survey, score, day):
        answer = survey.sudo()._create_answer(
            partner=self.customer, check_attempts=False
        )
        for question in survey.question_ids:
            if question.question_type == "scale":
                answer._save_lines(question, str(score))
        answer._mark_done()
        moment = datetime.combine(self.today + timedelta(days=day), time(12))
        answer.end_datetime = moment
        return answer

    def test_nps_and_csat_by_month(self):
        nps = self.env.ref("crm_care.survey_nps")
        csat = self.env.ref("crm_care.survey_csat")
        self._answer(nps, 9, -70)
        self._answer(nps, 3, -5)
        self._answer(nps, 7, -5)
        self._answer(csat, 4, -5)
        customer = self.customer.with_user(self.rep)
        self.assertFalse(self.rep.has_group("survey.group_survey_user"))
        chart = customer.care_satisfaction_chart
        self.assertEqual(len(chart["labels"]), 2)
        self.assertEqual(
            [(s["label"], s["data"]) for s in chart["series"]],
            [("NPS score (0-10)", [9.0, 5.0]), ("CSAT (1-5)", [None, 4.0])],
        )
        no_answer = self._customer("Never Asked").with_user(self.rep)
        self.assertFalse(no_answer.care_satisfaction_chart)
