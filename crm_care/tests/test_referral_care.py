from odoo import Command
from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestReferralThanks(CrmCareCommon):
    """The shipped thank-you for a referral: the referrer is cared for once,
    when a customer it referred has its first invoice posted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["mail.activity.plan"]
        cls.Event = cls.env["crm.care.event"]
        # Only the plan under test takes part.
        cls.Plan.search([("care_trigger", "!=", False)]).active = False
        cls.plan = cls.env.ref("crm_care.plan_referral_thanks")
        cls.plan.active = True
        cls.referred = cls._customer(
            "Plum Blossom Café", value_referred_by_id=cls.customer.id
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Li Mei", "parent_id": cls.referred.id}
        )
        cls.stranger = cls._customer("Bargain Mart")

    def _queued(self):
        return self.env["crm.care.queue"].search(
            [("trigger", "=", "referral_invoiced")]
        )

    def _thanks(self):
        return self.Event.search([("plan_id", "=", self.plan.id)])

    def test_referrer_is_thanked_once_on_the_first_invoice_only(self):
        self.assertEqual(self.plan.care_trigger, "referral_invoiced")
        first = self._direct_invoice(self.contact, 300.0)
        queued = self._queued()
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued.partner_id, self.customer, "the referrer")
        self.assertEqual((queued.res_model, queued.res_id), ("account.move", first.id))
        self.Plan._cron_care_scheduler()
        thanks = self._thanks()
        self.assertEqual(thanks.partner_id, self.customer)
        self.assertEqual((thanks.res_model, thanks.res_id), ("account.move", first.id))
        activity = thanks.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.user_id, self.rep, "the referrer's representative")

        # The next invoices, and the first one posted again, thank no more.
        self._direct_invoice(self.referred, 200.0)
        first.button_draft()
        first.action_post()
        self.Plan._cron_care_scheduler()
        self.assertEqual(self._thanks(), thanks)

    def test_two_first_invoices_posted_together_thank_once(self):
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.referred.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.service.id,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for amount in (100.0, 200.0)
            ]
        )
        invoices.action_post()
        self.assertEqual(self._queued().res_id, invoices[0].id)

    def test_customers_nobody_referred_start_no_thanks(self):
        self._direct_invoice(self.stranger, 500.0)
        self._direct_invoice(self.customer, 500.0)
        self.assertFalse(self._queued())
        self.Plan._cron_care_scheduler()
        self.assertFalse(self._thanks())
