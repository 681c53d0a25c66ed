from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_value.tests.common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestSegmentMailingList(CrmValueCommon):
    """A segment's mailing list: its subscribed contacts are exactly the
    members having an email; a campaign to it reaches exactly them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        china = cls.env.ref("base.cn")
        cls.jade = cls._customer("Jade Tea", country_id=china.id, email="jade@x.cn")
        cls.pearl = cls._customer("Pearl Silk", country_id=china.id, email="pearl@x.cn")
        cls.silent = cls._customer("Silent Tea", country_id=china.id)
        cls.loire = cls._customer("Loire Wines", email="loire@x.fr")
        cls.prospect = cls._customer("Panda", country_id=china.id, email="p@x.cn")
        customers = (cls.jade, cls.pearl, cls.silent, cls.loire)
        for customer in customers:
            cls._direct_invoice(cls, customer, 100.0)
        cls._recompute(cls, *customers)
        cls.segment = cls.env["crm.value.segment"].create(
            {"name": "Customers in China", "domain": "[('country_id.code', '=', 'CN')]"}
        )
        cls.marketer = new_test_user(
            cls.env,
            login="cv_marketer",
            groups="mass_mailing.group_mass_mailing_user,crm_value.group_crm_value_manager",
        )

    def _subscribed(self):
        subscriptions = self.segment.mailing_list_id.subscription_ids
        return subscriptions.filtered(lambda s: not s.opt_out).contact_id

    def _members_with_email(self):
        return self.env["res.partner"].search(
            [*self.segment._get_members_action()["domain"], ("email", "!=", False)]
        )

    def test_list_holds_one_contact_per_member_with_an_email(self):
        self.segment.with_user(self.marketer).action_sync_mailing_list()
        contacts = self._subscribed()
        self.assertEqual(contacts.value_partner_id, self.jade | self.pearl)
        self.assertEqual(contacts.value_partner_id, self._members_with_email())
        self.assertEqual(sorted(contacts.mapped("email")), ["jade@x.cn", "pearl@x.cn"])
        # A campaign to the list reaches exactly them.
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "New tea",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.env.ref("mass_mailing.model_mailing_list").id,
                "contact_list_ids": [(6, 0, self.segment.mailing_list_id.ids)],
            }
        )
        self.assertEqual(
            sorted(
                self.env["mailing.contact"]
                .browse(mailing._get_recipients())
                .mapped("email")
            ),
            ["jade@x.cn", "pearl@x.cn"],
        )

    def test_sync_follows_the_members_and_keeps_opt_outs(self):
        self.segment.action_sync_mailing_list()
        mailing_list = self.segment.mailing_list_id
        pearl_contact = self._subscribed().filtered(
            lambda c: c.value_partner_id == self.pearl
        )
        # Jade opts out; Pearl leaves the segment; Loire joins; Jade's email changes.
        mailing_list.subscription_ids.filtered(
            lambda s: s.contact_id.value_partner_id == self.jade
        ).opt_out = True
        self.pearl.country_id = self.env.ref("base.fr")
        self.loire.country_id = self.env.ref("base.cn")
        self.segment.mailing_sync = True
        self.env["crm.value.segment"]._cron_sync_mailing_lists()
        self.assertEqual(self.segment.mailing_list_id, mailing_list)
        self.assertEqual(self._subscribed().value_partner_id, self.loire)
        opted_out = mailing_list.subscription_ids.filtered("opt_out")
        self.assertEqual(opted_out.contact_id.value_partner_id, self.jade)
        self.assertNotIn(pearl_contact, mailing_list.subscription_ids.contact_id)
        # Jade comes back by email change: still opted out, one contact.
        self.jade.email = "jade.new@x.cn"
        self.segment.action_sync_mailing_list()
        jade_contacts = self.env["mailing.contact"].search(
            [("value_partner_id", "=", self.jade.id)]
        )
        self.assertEqual(len(jade_contacts), 1)
        self.assertEqual(jade_contacts.email, "jade.new@x.cn")
        self.assertTrue(
            mailing_list.subscription_ids.filtered(
                lambda s: s.contact_id == jade_contacts
            ).opt_out
        )

    def test_the_list_is_never_chosen_by_hand(self):
        # The sync empties its list of anyone outside the segment: pointing a
        # segment at the company's newsletter would wipe the newsletter.
        newsletter = self.env["mailing.list"].create({"name": "Newsletter"})
        manager = new_test_user(
            self.env, login="cv_seg_manager", groups="crm_value.group_crm_value_manager"
        )
        for user in (self.marketer, manager):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                self.segment.with_user(user).write(
                    {"mailing_list_id": newsletter.id, "mailing_sync": True}
                )
        with self.assertRaises(UserError):
            self.env["crm.value.segment"].with_user(self.marketer).create(
                {"name": "Mine", "domain": "[]", "mailing_list_id": newsletter.id}
            )
        # A manager without Email Marketing cannot have lists made nightly.
        with self.assertRaises(AccessError):
            self.segment.with_user(manager).write({"mailing_sync": True})
        self.assertFalse(self.segment.mailing_list_id)
        self.assertFalse(self.segment.mailing_sync)
