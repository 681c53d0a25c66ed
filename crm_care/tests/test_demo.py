"""The care demo spreads surveys and complaints over eighteen months, each at
its moment (the test database is installed with demo data, as scripts/test.sh
and CI install it)."""

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.base.tests.common import BaseCommon

DEMO_CUSTOMERS = ("jade", "westlake", "pearl", "panda", "garden", "bargain")


@tagged("post_install", "-at_install")
class TestDemoCare(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.customers = cls.env["res.partner"].browse(
            [cls.env.ref(f"crm_value.demo_customer_{key}").id for key in DEMO_CUSTOMERS]
        )
        cls.answers = cls.env["survey.user_input"].search(
            [("care_partner_id", "in", cls.customers.ids), ("state", "=", "done")]
        )
        cls.complaints = cls.env["crm.care.complaint"].search(
            [("partner_id", "in", cls.customers.ids)]
        )

    def test_demo_flows_are_no_model(self):
        """The flows that made this history are plain Python (demo/demo.py):
        no model of theirs in the database."""
        self.assertNotIn("crm.care.demo", self.env.registry)
        self.assertFalse(self.env["ir.model"].search([("model", "=", "crm.care.demo")]))

    def _month(self, moment):
        return self.company._get_value_date(moment).strftime("%Y-%m")

    def test_survey_answers_across_the_months(self):
        for kind in ("nps", "csat"):
            answers = self.answers.filtered(lambda a, kind=kind: a.care_kind == kind)
            self.assertGreaterEqual(
                len({self._month(a.end_datetime) for a in answers}), 6, kind
            )
        # Created when answered: never after (as if entered at install).
        for answer in self.answers:
            self.assertLessEqual(answer.create_date, answer.end_datetime)

    def test_answers_keep_the_tier_of_the_day_they_were_given(self):
        self.env.cr.execute(
            SQL(
                """
            SELECT a.id, a.care_tier_id, (
                   SELECT s.tier_id FROM crm_value_snapshot s
                    WHERE s.partner_id = a.care_partner_id AND s.company_id = %s
                      AND s.date <= (a.end_datetime AT TIME ZONE 'UTC'
                                     AT TIME ZONE %s)::date
                    ORDER BY s.date DESC LIMIT 1)
              FROM survey_user_input a WHERE a.id = ANY(%s)
            """,
                self.company.id,
                self.company._get_value_tz(),
                self.answers.ids,
            )
        )
        rows = self.env.cr.fetchall()
        for answer_id, tier, tier_that_day in rows:
            self.assertEqual(tier, tier_that_day, answer_id)
        self.assertGreaterEqual(len({tier for _a, tier, _t in rows if tier}), 2)

    def test_complaints_across_the_months_in_order(self):
        closed = self.complaints.filtered(lambda c: c.state == "closed")
        self.assertGreaterEqual(len({self._month(c.date_received) for c in closed}), 6)
        for complaint in closed:
            self.assertLessEqual(complaint.date_received, complaint.date_responded)
            self.assertLessEqual(complaint.date_responded, complaint.date_resolved)
            self.assertLessEqual(complaint.date_resolved, complaint.date_closed)
        rated = closed.filtered("csat_score")
        self.assertGreaterEqual(len(rated), 6)
        self.assertTrue(rated.filtered("satisfied"))
        self.assertTrue(rated.filtered(lambda c: not c.satisfied))
        both = {"on_time", "late"}
        self.assertEqual({c.sla_status for c in closed} & both, both)

    def test_rated_complaints_leave_no_survey_to_send(self):
        rated = self.complaints.filtered("csat_score")
        open_surveys = self.env["mail.activity"].search(
            [
                ("care_event_id.res_model", "=", "crm.care.complaint"),
                ("care_event_id.res_id", "in", rated.ids),
            ]
        )
        self.assertFalse(open_surveys)

    def test_todays_figures_count_satisfaction(self):
        surveyed = self.answers.care_partner_id
        psychological = {
            snapshot.partner_id: snapshot.value_psychological
            for snapshot in self.env["crm.value.snapshot"].search(
                [
                    ("company_id", "=", self.company.id),
                    ("partner_id", "in", surveyed.ids),
                    ("is_current", "=", True),
                ]
            )
        }
        self.assertEqual(set(psychological), set(surveyed))
        self.assertTrue(any(value != 0.5 for value in psychological.values()))
