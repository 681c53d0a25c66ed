from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestComplaintSpend(CrmCareCommon):
    """Spend before and after a resolved complaint, from posted invoices and
    credit notes dated around the day it was resolved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.care_complaint_spend_months = 6
        cls.Report = cls.env["crm.care.complaint.spend.report"]
        cls.resolved_stage = cls.env.ref("crm_care.complaint_stage_resolved")
        # Satisfied, resolved eight months ago: a complete period after.
        cls.happy = cls._customer("Jade Tea House")
        cls.happy_on = cls.today - relativedelta(months=8)
        cls.happy_complaint = cls._resolved_complaint(cls.happy, cls.happy_on, 5)
        # Not satisfied, resolved two months ago: the period after is partial.
        cls.unhappy = cls._customer("Willow Porcelain")
        cls.unhappy_on = cls.today - relativedelta(months=2)
        cls.unhappy_complaint = cls._resolved_complaint(cls.unhappy, cls.unhappy_on, 2)

    @classmethod
    def _resolved_complaint(cls, customer, resolved_on, csat):
        complaint = cls.env["crm.care.complaint"].create(
            {"subject": f"{customer.name} complains", "partner_id": customer.id}
        )
        complaint.stage_id = cls.resolved_stage
        complaint.write(
            {
                # Noon UTC: the same day in the company's time zone.
                "date_resolved": datetime.combine(resolved_on, time(12)),
                "csat_score": csat,
            }
        )
        return complaint

    def _invoice_on(self, customer, day, amount, move_type="out_invoice"):
        return self._direct_invoice(
            customer, amount, invoice_date=day, move_type=move_type
        )

    def _row(self, complaint):
        row = self.Report.search([("complaint_id", "=", complaint.id)])
        self.assertEqual(len(row), 1)
        return row

    def _invoice_the_customers(self):
        on = self.happy_on
        for day, amount in (
            (on - relativedelta(months=7), 1000.0),  # before the window
            (on - relativedelta(months=3), 100.0),
            (on - relativedelta(days=1), 50.0),
            (on, 200.0),  # the day it was resolved counts after
            (on + relativedelta(months=5), 300.0),
            (on + relativedelta(months=7), 2000.0),  # after the window
        ):
            self._invoice_on(self.happy, day, amount)
        self._invoice_on(self.happy, on + relativedelta(months=1), 40.0, "out_refund")
        # Not posted: not spent.
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.happy.id,
                "invoice_date": on + relativedelta(months=2),
                "invoice_line_ids": [
                    (0, 0, {"product_id": self.service.id, "price_unit": 999.0})
                ],
            }
        )
        on = self.unhappy_on
        self._invoice_on(self.unhappy, on - relativedelta(months=4), 500.0)
        self._invoice_on(self.unhappy, on + relativedelta(months=1), 80.0)

    def test_spend_before_and_after_equals_the_invoices_around_the_resolution(self):
        self._invoice_the_customers()
        happy = self._row(self.happy_complaint)
        self.assertEqual(happy.partner_id, self.happy)
        self.assertEqual(happy.resolved_on, self.happy_on)
        self.assertTrue(happy.satisfied)
        self.assertAlmostEqual(happy.spend_before, 150.0)  # 100 + 50
        self.assertAlmostEqual(happy.spend_after, 460.0)  # 200 + 300 - 40
        self.assertAlmostEqual(happy.spend_change, 310.0)
        self.assertFalse(happy.after_partial)
        self.assertEqual(
            happy.after_days,
            (self.happy_on + relativedelta(months=6) - self.happy_on).days,
        )

        unhappy = self._row(self.unhappy_complaint)
        self.assertFalse(unhappy.satisfied)
        self.assertTrue(unhappy.answered)
        self.assertAlmostEqual(unhappy.spend_before, 500.0)
        self.assertAlmostEqual(unhappy.spend_after, 80.0)
        self.assertAlmostEqual(unhappy.spend_change, -420.0)
        self.assertTrue(unhappy.after_partial, "resolved two months ago out of six")
        self.assertEqual(unhappy.after_days, (self.today - self.unhappy_on).days + 1)

        groups = {
            satisfied: (before, after)
            for satisfied, before, after in self.Report._read_group(
                [("partner_id", "in", (self.happy | self.unhappy).ids)],
                ["satisfied"],
                ["spend_before:avg", "spend_after:avg"],
            )
        }
        self.assertEqual(groups, {True: (150.0, 460.0), False: (500.0, 80.0)})

    def test_the_months_around_a_complaint_are_the_company_setting(self):
        self._invoice_the_customers()
        self.company.care_complaint_spend_months = 2
        happy = self._row(self.happy_complaint)
        self.assertAlmostEqual(happy.spend_before, 50.0)
        self.assertAlmostEqual(happy.spend_after, 160.0)  # 200 - 40
        self.assertFalse(self._row(self.unhappy_complaint).after_partial)
        with self.assertRaises(ValidationError):
            self.company.care_complaint_spend_months = 0

    def test_open_and_reopened_complaints_are_not_in_the_report(self):
        self.happy_complaint.stage_id = self.env.ref(
            "crm_care.complaint_stage_in_progress"
        )
        self.assertFalse(
            self.Report.search([("complaint_id", "=", self.happy_complaint.id)])
        )
        self.assertTrue(self._row(self.unhappy_complaint))

    def test_spend_around_complaints_is_for_managers_only(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.rep).search_read([], ["spend_before"])
