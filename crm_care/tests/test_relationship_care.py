from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestRelationshipCare(CrmCareCommon):
    """The shipped suggestions call: periodic care for the customers whose
    tier's relationship level is proactive or partnership, none for basic."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["mail.activity.plan"]
        cls.plan = cls.env.ref("crm_care.plan_suggestions_call")
        # Only the shipped suggestions call takes part.
        (cls.Plan.search([("care_trigger", "!=", False)]) - cls.plan).active = False
        Tier = cls.env["crm.value.tier"]
        own = {"company_id": cls.company.id, "relationship_level_pinned": True}
        # One create: a tier set is checked whole.
        cls.proactive, cls.basic, _losing = Tier.create(
            [
                {"name": "Close", "code": "close", "rule_type": "profit_min"}
                | {"sequence": 1, "threshold": 1000.0}
                | {"relationship_level": "proactive"}
                | own,
                {"name": "Far", "code": "far", "rule_type": "profit_min"}
                | {"sequence": 2, "threshold": 0.0, "relationship_level": "basic"}
                | own,
                {"name": "Losing", "code": "losing", "rule_type": "profit_max"}
                | {"sequence": 3, "threshold": 0.0, "relationship_level": "basic"}
                | own,
            ]
        )
        cls.far_customer = cls._customer("Far Away Tea", care_user_id=cls.rep.id)
        (cls.customer | cls.far_customer)._increase_rank("customer_rank")

    def _called(self):
        """The suggestions calls started for this test's two customers (the
        demo's customers have tiers and levels too)."""
        return self.env["crm.care.event"].search(
            [
                ("plan_id", "=", self.plan.id),
                ("partner_id", "in", (self.customer | self.far_customer).ids),
            ]
        )

    def test_proactive_customers_get_the_call_and_basic_ones_none(self):
        self._direct_invoice(self.customer, 5000.0)
        self._direct_invoice(self.far_customer, 200.0)
        self._recompute(self.customer, self.far_customer)
        self.assertEqual(self.customer.value_relationship_level, "proactive")
        self.assertEqual(self.far_customer.value_relationship_level, "basic")
        self.Plan._cron_care_scheduler()
        events = self._called()
        self.assertEqual(events.partner_id, self.customer)
        call = events.activity_ids
        self.assertEqual(
            call.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(call.user_id, self.rep)
        # Once per period: the next day's scheduler does not call again.
        self.Plan._cron_care_scheduler()
        self.assertEqual(self._called(), events)

    def test_a_customer_turning_partnership_is_called(self):
        self._direct_invoice(self.far_customer, 200.0)
        self._recompute(self.far_customer)
        self.Plan._cron_care_scheduler()
        self.assertFalse(self._called())
        self.basic.relationship_level = "partnership"
        self.Plan._cron_care_scheduler()
        self.assertEqual(self._called().partner_id, self.far_customer)
