from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestCareSegments(CrmCareCommon):
    """A care plan restricted to a saved segment starts only for its members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer._increase_rank("customer_rank")
        cls.Plan = cls.env["mail.activity.plan"]
        cls.Plan.search([("care_trigger", "!=", False)]).active = False
        cls.other = cls._customer("Bamboo Imports", care_user_id=cls.rep.id)
        cls.outsider = cls._customer("Lotus Outsider", care_user_id=cls.rep.id)
        for customer in (cls.customer, cls.other):
            cls._direct_invoice(cls, customer, 100.0)
        cls._recompute(cls, cls.customer, cls.other)
        # Lotus customers of the company: the outsider has no snapshot.
        cls.segment = cls.env["crm.value.segment"].create(
            {"name": "Lotus customers", "domain": "[('name', 'ilike', 'Lotus')]"}
        )

    def _plan(self, **values):
        plan = self.Plan.create(
            {
                "name": "Care of a segment",
                "res_model": "res.partner",
                "care_trigger": "order_confirmed",
                "care_type": "after_sale",
                "care_segment_id": self.segment.id,
                **values,
            }
        )
        self.env["mail.activity.plan.template"].create(
            {
                "plan_id": plan.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "delay_count": 3,
                "delay_from": "after_plan_date",
                "responsible_type": "care_representative",
            }
        )
        return plan

    def _cared(self, plan):
        return self.env["crm.care.event"].search([("plan_id", "=", plan.id)]).partner_id

    def test_plan_of_a_segment_fires_only_for_its_members(self):
        plan = self._plan()
        for customer in (self.customer, self.other, self.outsider):
            self._sell(customer, [(self.service, 1, 100.0)])
        self.Plan._cron_care_scheduler()
        self.assertEqual(self._cared(plan), self.customer)

    def test_segment_and_filter_both_apply(self):
        plan = self._plan(care_domain="[('name', 'ilike', 'Bamboo')]")
        for customer in (self.customer, self.other):
            self._sell(customer, [(self.service, 1, 100.0)])
        self.Plan._cron_care_scheduler()
        self.assertFalse(self._cared(plan))

    def test_plan_of_a_company_takes_a_segment_of_that_company(self):
        other_company = self.env["res.company"].create({"name": "Other Care Co"})
        with self.assertRaises(ValidationError):
            self._plan(company_id=other_company.id)
