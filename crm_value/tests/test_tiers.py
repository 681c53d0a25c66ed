from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestCustomerPyramid(CrmValueCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platinum = cls.env.ref("crm_value.tier_platinum")
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.iron = cls.env.ref("crm_value.tier_iron")
        cls.lead = cls.env.ref("crm_value.tier_lead")
        # Only these customers in the ranking: other data of the database stays out.
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.big = cls._customer("Big Buyer")
        cls.second = cls._customer("Second Best")
        cls.middle = cls._customer("Middle Market")
        cls.small = cls._customer("Small Shop")
        cls.costly = cls._customer("Costly Client")
        cls.stranger = cls._customer("Never Bought")

    def _sell_profits(self):
        """Profits 500, 300, 150, 50 and a loss of 40 (a service sold at cost
        30 with no revenue... here: a credit note larger than the invoice)."""
        for customer, amount in (
            (self.big, 500),
            (self.second, 300),
            (self.middle, 150),
            (self.small, 50),
        ):
            self._direct_invoice(customer, amount)
        self._direct_invoice(self.costly, 60.0)
        self._direct_invoice(self.costly, 100.0, move_type="out_refund")
        self._recompute(
            self.big, self.second, self.middle, self.small, self.costly, self.stranger
        )

    def test_default_pyramid_from_pareto_shares(self):
        self._sell_profits()
        # Shares of the 1000 positive profit held above each: 0, 50, 80, 95 %.
        self.assertEqual(self.big.value_tier_id, self.platinum)
        self.assertEqual(self.second.value_tier_id, self.gold)
        self.assertEqual(self.middle.value_tier_id, self.iron)
        self.assertEqual(self.small.value_tier_id, self.iron)
        self.assertEqual(self.costly.value_tier_id, self.lead)
        self.assertFalse(self.stranger.value_tier_id, "no sale, no history: no tier")
        self.assertEqual(
            [
                c.value_abc_class
                for c in (self.big, self.second, self.middle, self.small, self.costly)
            ],
            ["A", "A", "B", "C", "C"],
        )

    def test_abc_classes_are_kept_per_company(self):
        self._sell_profits()
        other = self.setup_other_company()["company"]
        Partner = self.env["res.partner"]
        self.ranking._write_abc_classes(
            Partner.with_company(other), {"B": [self.big.id]}
        )
        self.ranking._write_abc_classes(
            Partner.with_company(self.company),
            {False: [self.big.id], "A": [self.small.id]},
        )
        self.assertFalse(self.big.with_company(self.company).value_abc_class)
        self.assertEqual(self.big.with_company(other).value_abc_class, "B")
        self.assertEqual(self.small.with_company(self.company).value_abc_class, "A")
        self.assertEqual(self.middle.with_company(self.company).value_abc_class, "B")

    def test_threshold_edit_reranks_and_tracks_the_move(self):
        def tier_notes(partner):
            return partner.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "value_tier_id"
            )

        self.env.cr.precommit.run()  # end of the creating transaction: tracking starts
        tracking = {"tracking_disable": False, "mail_notrack": False}
        self.engine = self.engine.with_context(**tracking)
        self.scoring = self.scoring.with_context(**tracking)
        self.ranking = self.ranking.with_context(**tracking)
        self._sell_profits()
        self.env.cr.precommit.run()  # tracking values are written at commit
        self.assertEqual(self.second.value_tier_id, self.gold)
        self.assertFalse(tier_notes(self.second), "a first tier is not a move")
        self.platinum.threshold = 60.0
        self.ranking._rank_company(self.company)
        self.env.cr.precommit.run()
        self.assertEqual(self.second.value_tier_id, self.platinum)
        self.assertEqual(self._snapshot(self.second).tier_id, self.platinum)
        tracked = tier_notes(self.second)
        self.assertEqual(tracked.old_value_char, self.gold.name)
        self.assertEqual(tracked.new_value_char, self.platinum.name)

    def test_tier_moves_are_recorded_on_snapshots(self):
        self._sell_profits()
        self.env.cr.execute(
            "UPDATE crm_value_snapshot SET date = date - 1 WHERE partner_id = %s",
            [self.second.id],
        )
        self.env["crm.value.snapshot"].invalidate_model()
        self._direct_invoice(self.second, 1000.0)
        self._recompute(self.second)
        snapshots = self.env["crm.value.snapshot"].search(
            [("partner_id", "=", self.second.id)], order="date"
        )
        self.assertEqual(len(snapshots), 2)
        self.assertEqual(snapshots.mapped("is_current"), [False, True])
        self.assertEqual(snapshots[1].previous_tier_id, self.gold)
        self.assertEqual(snapshots[1].tier_id, self.platinum)
        self.assertEqual(snapshots[1].tier_move, "up")

    def test_locked_tier_is_left_alone(self):
        self._sell_profits()
        self.small.write({"value_tier_id": self.gold.id, "value_tier_locked": True})
        self._recompute(self.small)
        self.assertEqual(self.small.value_tier_id, self.gold)
        self.assertEqual(self._snapshot(self.small).tier_id, self.gold)

    def assertRefused(self, pattern, write):
        with self.assertRaises(ValidationError) as caught:
            write()
        self.assertRegex(str(caught.exception), pattern)

    def test_bad_thresholds_are_refused(self):
        self.assertRefused(
            "at most 100", lambda: self.platinum.write({"threshold": 150.0})
        )
        self.assertRefused(
            "can never be won", lambda: self.gold.write({"threshold": 40.0})
        )
        self.assertRefused(
            "profitable customers would get no tier",
            lambda: self.iron.write({"threshold": 90.0}),
        )
        self.assertRefused("Loss-making customers", self.lead.unlink)
        self.assertRefused(
            "Loss-making customers", lambda: self.lead.write({"active": False})
        )
        self.assertEqual(self.platinum.threshold, 50.0)
        self.assertEqual(self.gold.threshold, 80.0)
        self.assertTrue(self.lead.exists() and self.lead.active)

    def test_amount_rules(self):
        self.platinum.write({"rule_type": "profit_min", "threshold": 400.0})
        self.gold.write({"rule_type": "profit_min", "threshold": 200.0})
        self.assertRefused(
            "profitable customers",
            lambda: self.iron.write({"rule_type": "profit_min", "threshold": 0.01}),
        )
        self.iron.write({"rule_type": "profit_min", "threshold": 0.0})
        self._sell_profits()
        self.assertEqual(self.big.value_tier_id, self.platinum)
        self.assertEqual(self.second.value_tier_id, self.gold)
        self.assertEqual(self.middle.value_tier_id, self.iron)
        self.assertEqual(self.costly.value_tier_id, self.lead)

    def test_sale_order_keeps_the_tier_of_its_confirmation(self):
        self._sell_profits()
        quotation = self.env["sale.order"].create({"partner_id": self.second.id})
        confirmed = self._sell(self.second, [(self.service, 1, 10.0)])
        self.assertEqual(quotation.value_tier_id, self.gold)
        self.assertEqual(confirmed.value_tier_id, self.gold)
        self.platinum.threshold = 60.0
        self._recompute(self.second)
        self.assertEqual(quotation.value_tier_id, self.platinum)
        self.assertEqual(confirmed.value_tier_id, self.gold)
        found = self.env["sale.order"].search([("value_tier_id", "=", self.gold.id)])
        self.assertIn(confirmed, found)
        groups = self.env["sale.order"]._read_group(
            [("id", "in", (quotation | confirmed).ids)], ["value_tier_id"], ["__count"]
        )
        self.assertEqual(dict(groups), {self.platinum: 1, self.gold: 1})
        # A contact's quotation follows its company's tier, set by hand too.
        buyer = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.second.id}
        )
        contact_quotation = self.env["sale.order"].create({"partner_id": buyer.id})
        self.assertEqual(contact_quotation.value_tier_id, self.platinum)
        self.second.value_tier_id = self.iron
        self.assertEqual((quotation | contact_quotation).value_tier_id, self.iron)
        self.assertEqual(confirmed.value_tier_id, self.gold)

    def test_contacts_keep_their_company_address_through_tier_writes(self):
        """A tier written alone skips Odoo's sync of the company's address
        and commercial fields to its contacts (none of them changed); written
        together with them, the contacts still follow."""
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": self.big.id, "type": "contact"}
        )
        self.big.value_tier_id = self.gold
        self.big.write(
            {"value_tier_id": self.iron.id, "street": "1 Tea Road", "vat": "CN1234"}
        )
        self.assertEqual((contact.street, contact.vat), ("1 Tea Road", "CN1234"))
        self.assertEqual(self.big.value_tier_id, self.iron)

    def test_partners_search_and_group_by_tier(self):
        self._sell_profits()
        customers = self.big | self.second | self.middle | self.small | self.costly
        found = self.env["res.partner"].search(
            [
                ("id", "in", customers.ids),
                ("value_tier_id.code", "in", ("platinum", "gold")),
            ]
        )
        self.assertEqual(found, self.big | self.second)
        groups = dict(
            self.env["res.partner"]._read_group(
                [("id", "in", customers.ids)], ["value_tier_id"], ["__count"]
            )
        )
        self.assertEqual(groups[self.iron], 2)

    def test_tier_filters_match_the_tier_of_the_current_company(self):
        """The lists' tier filters and groups read the tier through an index:
        the same partners as the field itself, company by company."""
        self._sell_profits()
        other = self.setup_other_company()["company"]
        self.big.with_company(other).value_tier_id = self.lead
        customers = (
            self.big | self.second | self.middle | self.small | self.costly
        ) | self.stranger
        Partner = self.env["res.partner"]
        domains = [
            [("value_tier_id", "=", self.gold.id)],
            [("value_tier_id", "in", [self.platinum.id, self.lead.id])],
            [("value_tier_id.code", "in", ("platinum", "gold"))],
            [("value_tier_id", "=", self.lead.id)],
            [("value_tier_id", "!=", self.iron.id)],
            [("value_tier_id", "not in", [self.iron.id, self.lead.id])],
            [("value_tier_id", "=", False)],
            [("value_tier_id", "in", [self.gold.id, False])],
        ]
        for company in (self.company, other):
            partners = Partner.with_company(company)
            for domain in domains:
                with self.subTest(company=company.name, domain=domain):
                    found = partners.search([("id", "in", customers.ids), *domain])
                    expected = customers.with_company(company).filtered_domain(domain)
                    self.assertEqual(found, expected)
        self.assertEqual(
            Partner.with_company(other).search(
                [("id", "in", customers.ids), ("value_tier_id", "=", self.lead.id)]
            ),
            self.big,
        )
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("value_tier_id", "=", self.lead.id)]
            ),
            self.costly,
        )
        groups = dict(
            Partner._read_group(
                [("id", "in", customers.ids)], ["value_tier_id"], ["__count"]
            )
        )
        self.assertEqual(
            groups,
            {
                self.platinum: 1,
                self.gold: 1,
                self.iron: 2,
                self.lead: 1,
                self.env["crm.value.tier"]: 1,
            },
        )
        # A default tier for all companies is read from outside the column.
        self.env["ir.default"].set("res.partner", "value_tier_id", self.lead.id)
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("value_tier_id", "=", self.lead.id)]
            ),
            self.costly | self.stranger,
        )

    def test_partners_search_on_value_figures(self):
        self._sell_profits()
        Partner = self.env["res.partner"]
        customers = self.big | self.second | self.middle | self.small | self.costly
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("value_net_profit", ">=", 300)]
            ),
            self.big | self.second,
        )
        self.assertEqual(
            Partner.search(
                [("id", "in", customers.ids), ("value_net_profit", "<=", 0)]
            ),
            self.costly,
        )
        contact = Partner.create({"name": "Buyer at Big", "parent_id": self.big.id})
        self.assertIn(contact, Partner.search([("value_net_profit", ">=", 500)]))
        never_computed = self._customer("Not Yet Computed")
        self.assertNotIn(
            never_computed, Partner.search([("value_net_profit", "<=", 0)])
        )

    def test_salesman_sees_tiers_but_not_amounts(self):
        self._sell_profits()
        salesman = new_test_user(
            self.env, login="salesman_cv", groups="sales_team.group_sale_salesman"
        )
        big = self.big.with_user(salesman)
        self.assertEqual(big.value_tier_id, self.platinum)
        self.assertEqual(big.value_lifetime_order_count, 1)  # an invoice, no order
        with self.assertRaises(AccessError):
            big.read(["value_net_profit"])
        with self.assertRaises(AccessError):
            self._snapshot(self.big).with_user(salesman).read(["revenue"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(salesman).search(
                [("value_net_profit", ">", 0)]
            )
        manager = new_test_user(
            self.env, login="manager_cv", groups="crm_value.group_crm_value_manager"
        )
        self.assertEqual(self.big.with_user(manager).value_net_profit, 500.0)


@tagged("post_install", "-at_install")
class TestRecomputeTriggers(CrmValueCommon):
    def test_posting_queues_the_customer_without_writing_it(self):
        customer = self._customer("Queued Customer")
        self.env.flush_all()
        query = "SELECT write_date, value_tier_id FROM res_partner WHERE id = %s"
        self.env.cr.execute(query, [customer.id])
        before = self.env.cr.fetchone()
        self._direct_invoice(customer, 90.0)
        self.env.flush_all()
        self.env.cr.execute(query, [customer.id])
        self.assertEqual(self.env.cr.fetchone(), before, "posting wrote the partner")
        queued = self.env["crm.value.queue"].search([("partner_id", "=", customer.id)])
        self.assertEqual(queued.company_id, self.company)
        cron = self.env.ref("crm_value.ir_cron_recompute_value")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))

    def test_cron_drains_the_queue_and_ranks(self):
        customer = self._customer("Cron Customer")
        order = self._sell(customer, [(self.service, 1, 100.0)])
        self._invoice(order)
        self.engine.sudo()._cron_recompute_value(batch_size=2)  # as the cron user
        self.assertFalse(self.env["crm.value.queue"].search([]))
        self.assertFigures(customer, revenue=100.0, net_profit=70.0)
        self.assertTrue(customer.value_tier_id)
        self.assertEqual(
            self.company.value_last_full_recompute, self._snapshot(customer).date
        )

    def test_delivery_queues_its_customer(self):
        self._receive(self.fifo_product, 5, 10.0)
        customer = self._customer("Delivered Customer")
        order = self._sell(customer, [(self.fifo_product, 2, 20.0)])
        self.env["crm.value.queue"].sudo().search([]).unlink()
        self._deliver(order)
        self.assertTrue(
            self.env["crm.value.queue"].search([("partner_id", "=", customer.id)])
        )
