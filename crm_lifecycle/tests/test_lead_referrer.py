from odoo.tests import Form, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestLeadReferrer(BaseCommon):
    """The customer who referred a lead becomes the converted customer's
    referrer (its network value counts them), unless it has one already."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.referrer = Partner.create({"name": "Jade Tea House", "is_company": True})
        cls.other = Partner.create({"name": "Pearl Foods", "is_company": True})

    def _lead(self, **values):
        return self.env["crm.lead"].create(
            {
                "name": "Tea tasting for a new café",
                "type": "lead",
                "referred_by_id": self.referrer.id,
                **values,
            }
        )

    def _convert(self, lead, action, partner=None):
        wizard = Form(
            self.env["crm.lead2opportunity.partner"].with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
        )
        wizard.name = "convert"
        wizard.action = action
        if partner:
            wizard.partner_id = partner
        wizard.save().action_apply()

    def test_converted_lead_gives_the_new_customer_its_referrer(self):
        lead = self._lead(partner_name="Plum Blossom Café", contact_name="Li Mei")
        self._convert(lead, "create")
        customer = lead.partner_id.commercial_partner_id
        self.assertEqual(customer.name, "Plum Blossom Café")
        self.assertEqual(customer.value_referred_by_id, self.referrer)
        # Its contact shares it.
        self.assertEqual(lead.partner_id.value_referred_by_id, self.referrer)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.referred_by_id, self.referrer, "kept on the lead")

    def test_existing_customer_keeps_its_referrer(self):
        known = self.env["res.partner"].create(
            {
                "name": "Garden Hotel",
                "is_company": True,
                "value_referred_by_id": self.other.id,
            }
        )
        newcomer = self.env["res.partner"].create(
            {"name": "Lakeside Inn", "is_company": True}
        )
        first, second = self._lead(), self._lead()
        self._convert(first, "exist", known)
        self._convert(second, "exist", newcomer)
        self.assertEqual(known.value_referred_by_id, self.other)
        self.assertEqual(newcomer.value_referred_by_id, self.referrer)

    def test_the_referrer_itself_is_not_its_own_referrer(self):
        lead = self._lead()
        self._convert(lead, "exist", self.referrer)
        self.assertEqual(lead.partner_id, self.referrer)
        self.assertFalse(self.referrer.value_referred_by_id)
