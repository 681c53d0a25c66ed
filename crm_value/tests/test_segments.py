from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmValueCommon

SALESMAN = "sales_team.group_sale_salesman,base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestSegments(CrmValueCommon):
    """Saved segments: members as a search says, counted each night, refused
    when their filter is anything but values, amounts for managers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Segment = cls.env["crm.value.segment"]
        cls.Partner = cls.env["res.partner"]
        cls.china = cls.env.ref("base.cn")
        cls.france = cls.env.ref("base.fr")
        cls.jade = cls._customer("Jade Tea", country_id=cls.china.id, email="j@x.cn")
        cls.pearl = cls._customer("Pearl Silk", country_id=cls.china.id)
        cls.loire = cls._customer("Loire Wines", country_id=cls.france.id)
        # In China too, but never invoiced: no snapshot, not a customer yet.
        cls.prospect = cls._customer("Panda Prospect", country_id=cls.china.id)
        # A contact of a customer in China: contacts are no members.
        cls.contact = cls.Partner.create(
            {"name": "Mr Wang", "parent_id": cls.jade.id, "country_id": cls.china.id}
        )
        cls.salesman = new_test_user(cls.env, login="cv_seg_sales", groups=SALESMAN)

    def _invoice_and_recompute(self, amounts):
        for customer, amount in amounts.items():
            self._direct_invoice(customer, amount)
        self._recompute(*amounts)

    def _segment(self, domain, **values):
        return self.Segment.create({"name": "Segment", "domain": domain, **values})

    def _company_customers(self):
        return (
            self.env["crm.value.snapshot"]
            .search([("company_id", "=", self.company.id), ("is_current", "=", True)])
            .partner_id
        )

    def _members(self, segment, user=None):
        Partner = self.Partner.with_user(user) if user else self.Partner
        return Partner.search(segment._get_members_action()["domain"])

    def test_members_are_the_search_of_the_filter_among_the_company_customers(self):
        self._invoice_and_recompute(
            {self.jade: 900.0, self.pearl: 100.0, self.loire: 500.0}
        )
        domain = "[('country_id.code', '=', 'CN')]"
        segment = self._segment(domain)
        expected = self.Partner.search(
            [
                ("country_id.code", "=", "CN"),
                ("id", "in", self._company_customers().ids),
            ]
        )
        self.assertEqual(expected, self.jade | self.pearl)
        self.assertEqual(self._members(segment), expected)
        self.assertEqual(self.jade.value_segment_ids, segment)
        self.assertFalse(self.prospect.value_segment_ids)
        self.assertFalse(self.loire.value_segment_ids)

    def test_filter_on_figures_and_tier(self):
        self._invoice_and_recompute(
            {self.jade: 900.0, self.pearl: 100.0, self.loire: 500.0}
        )
        segment = self._segment(
            "['&', ('value_net_profit', '>', 300), ('country_id.code', '=', 'CN')]"
        )
        self.assertEqual(self._members(segment), self.jade)
        tier = self.jade.value_tier_id
        self.assertTrue(tier)
        by_tier = self._segment(f"[('value_tier_id', '=', {tier.id})]")
        self.assertEqual(
            self._members(by_tier),
            self.Partner.search(
                [
                    ("value_tier_id", "=", tier.id),
                    ("id", "in", self._company_customers().ids),
                ]
            ),
        )

    def test_filter_that_is_not_values_or_not_on_contacts_is_refused(self):
        for domain in (
            "[('user_id', '=', uid)]",
            "[('create_date', '>', context_today())]",
            "__import__('os').system('true')",
            "{'name': 'x'}",
            "[('name', 'ilike')]",
            "[('no_such_field', '=', 1)]",
            "[('name', 'no such operator', 'x')]",
            "[('id', '=', 'not a number')]",
            "[(",
        ):
            with self.subTest(domain=domain), self.assertRaises(ValidationError):
                self._segment(domain)
        segment = self._segment("[('name', 'ilike', 'Jade')]")
        with self.assertRaises(ValidationError):
            segment.domain = "[('name', '=', uid)]"

    def test_nightly_count_profit_and_trend(self):
        self._invoice_and_recompute(
            {self.jade: 900.0, self.pearl: 100.0, self.loire: 500.0}
        )
        segment = self._segment("[('country_id.code', '=', 'CN')]")
        self.Segment._cron_count_segments()
        profit = self.ranking._get_ranking_basis(self.company)
        snapshots = self._snapshot(self.jade) | self._snapshot(self.pearl)
        self.assertEqual(segment.member_count, 2)
        self.assertAlmostEqual(segment.member_profit, sum(snapshots.mapped(profit)))
        self.assertGreater(segment.member_profit, 0)
        today = self.company._get_value_today()
        self.assertEqual(segment.counted_on, today)
        self.assertFalse(segment.previous_counted_on)
        self.assertEqual(segment.member_count_trend, 0)
        self.assertEqual(segment.history_ids.mapped("member_count"), [2])
        # The night after: Loire moves to China.
        yesterday = today - timedelta(days=1)
        segment.sudo().write({"counted_on": yesterday})
        segment.history_ids.sudo().date = yesterday
        self.loire.country_id = self.china
        before = segment.member_profit
        self.Segment._cron_count_segments()
        self.assertEqual(segment.member_count, 3)
        self.assertEqual(segment.previous_member_count, 2)
        self.assertEqual(segment.previous_counted_on, yesterday)
        self.assertEqual(segment.member_count_trend, 1)
        self.assertAlmostEqual(
            segment.member_profit_trend,
            self._snapshot(self.loire)[profit],
        )
        self.assertAlmostEqual(segment.previous_member_profit, before)
        self.assertEqual(
            sorted((h.date, h.member_count) for h in segment.history_ids),
            [(yesterday, 2), (today, 3)],
        )
        # Counted again the same day: today's row is replaced, the trend kept.
        self.loire.country_id = self.france
        self.Segment._cron_count_segments()
        self.assertEqual(segment.member_count, 2)
        self.assertEqual(segment.previous_member_count, 2)
        self.assertEqual(len(segment.history_ids), 2)

    def test_nightly_count_queries_do_not_grow_with_customers(self):
        self._invoice_and_recompute({self.jade: 900.0, self.pearl: 100.0})
        self._segment("[('country_id.code', '=', 'CN')]")
        self._segment("[('value_net_profit', '>', 0)]")
        self.Segment._cron_count_segments()

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Segment._cron_count_segments()
            return self.env.cr.sql_log_count - before

        few = queries()
        more = [
            self._customer(f"Dragon Tea {n}", country_id=self.china.id)
            for n in range(6)
        ]
        self._invoice_and_recompute(dict.fromkeys(more, 300.0))
        many = queries()
        self.assertEqual(
            self.Segment.search([], limit=1, order="id desc").member_count, 8
        )
        self.assertEqual(many, few)

    def test_salesman_reads_counts_and_members_never_the_profit(self):
        self._invoice_and_recompute({self.jade: 900.0, self.loire: 100.0})
        segment = self._segment("[('country_id.code', '=', 'CN')]")
        self.Segment._cron_count_segments()
        as_salesman = segment.with_user(self.salesman)
        self.assertEqual(as_salesman.member_count, 1)
        for fname in ("member_profit", "member_profit_trend", "previous_member_profit"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                as_salesman.read([fname])
        with self.assertRaises(AccessError):
            self.env["crm.value.segment.history"].with_user(self.salesman).search(
                [("segment_id", "=", segment.id)]
            ).read(["member_profit"])
        # The members list opens for them, their record rules applied.
        self.assertEqual(self._members(segment, self.salesman), self.jade)
        with self.assertRaises(AccessError):
            as_salesman.write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.Segment.with_user(self.salesman).create({"name": "Mine"})

    def test_a_segment_on_an_amount_is_for_managers_only(self):
        # Who belongs to "net profit above 300" tells each member's profit is
        # above 300: a salesman never reads such a segment nor its members.
        self._invoice_and_recompute({self.jade: 900.0, self.pearl: 100.0})
        on_amount = self._segment("[('value_net_profit', '>', 300)]")
        on_country = self._segment("[('country_id.code', '=', 'CN')]")
        self.assertEqual(
            (on_amount.managers_only, on_country.managers_only), (True, False)
        )
        self.assertEqual(self._members(on_amount), self.jade)
        Segment = self.Segment.with_user(self.salesman)
        self.assertEqual(Segment.search([]), on_country)
        with self.assertRaises(AccessError):
            on_amount.with_user(self.salesman).read(["member_count"])
        Partner = self.Partner.with_user(self.salesman)
        self.assertFalse(
            Partner.search(
                [("value_segment_ids", "in", on_amount.ids), ("id", "=", self.jade.id)]
            )
        )
        self.assertEqual(
            Partner.browse(self.jade.id).value_segment_ids.ids, on_country.ids
        )
        # Changing the filter to an amount hides it from then on.
        on_country.domain = "[('value_revenue', '>', 0)]"
        self.assertFalse(Segment.search([]))

    def test_filter_through_lists_of_records_or_segments_is_refused(self):
        # Searched as superuser, a condition through the contact's orders
        # would count what the record rules hide (another company's orders).
        for domain in (
            "[('sale_order_ids.amount_total', '>', 1000)]",
            "[('invoice_ids.amount_residual', '>', 0)]",
            "[('value_segment_ids', '!=', False)]",
        ):
            with self.subTest(domain=domain), self.assertRaises(ValidationError):
                self._segment(domain)
        # Tags' names and the records the contact points to are fine.
        self._segment(
            "[('category_id.name', '=', 'VIP'), ('country_id.code', '=', 'CN')]"
        )
        self._segment("[('sale_order_ids', '!=', False)]")

    def test_counts_are_not_written_by_hand(self):
        segment = self._segment("[]")
        with self.assertRaises(UserError):
            segment.write({"member_count": 1000})
        with self.assertRaises(UserError):
            self._segment("[]", member_count=1000, member_profit=1e6)
        self.Segment._cron_count_segments()
        self.assertTrue(segment.counted_on)
        copy = segment.copy()
        self.assertEqual((copy.member_count, copy.counted_on), (0, False))
        with Form(segment) as form:
            form.name = "Everyone"
        self.assertEqual(segment.name, "Everyone")

    def test_segments_of_another_company_are_out_of_reach(self):
        other = self.env["res.company"].create({"name": "Other Logistics"})
        segment = self.Segment.create(
            {"name": "Theirs", "domain": "[]", "company_id": other.id}
        )
        salesman = new_test_user(
            self.env,
            login="cv_seg_sales_here",
            groups=SALESMAN,
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.assertFalse(
            self.Segment.with_user(salesman).search([("id", "=", segment.id)])
        )

    def test_dashboard_tile_lists_the_segments_shown_there(self):
        self._invoice_and_recompute({self.jade: 900.0, self.pearl: 100.0})
        shown = self._segment(
            "[('country_id.code', '=', 'CN')]", show_on_dashboard=True
        )
        self._segment("[]", name="Not shown")
        self.Segment._cron_count_segments()
        Dashboard = self.env["crm.value.dashboard"]
        [row] = Dashboard.get_dashboard_data()["sections"]["value_segments"]["segments"]
        self.assertEqual((row["id"], row["count"]), (shown.id, 2))
        self.assertAlmostEqual(row["profit"], shown.member_profit)
        self.assertEqual(
            self.Partner.search(row["action"]["domain"]), self.jade | self.pearl
        )
        [as_salesman] = Dashboard.with_user(self.salesman).get_dashboard_data()[
            "sections"
        ]["value_segments"]["segments"]
        self.assertNotIn("profit", as_salesman)
        self.assertNotIn("profit_trend", as_salesman)
        self.assertEqual(as_salesman["count"], 2)


@tagged("post_install", "-at_install")
class TestDependencyDegree(CrmValueCommon):
    """The dependency degree (客户依赖程度): our invoiced share of the
    customer's estimated yearly volume, or a manual estimate; a figure lists
    and segments search."""

    def test_degree_from_deliveries_against_the_estimated_volume(self):
        customer = self._customer("Yangtze Freight", value_logistics_volume=10000.0)
        self._direct_invoice(customer, 1000.0)
        self._recompute(customer)
        days = (
            self.company._get_value_today() - self.company._get_value_window_start()
        ).days + 1
        expected = 100.0 * 1000.0 * 365.25 / days / 10000.0
        self.assertAlmostEqual(customer.value_dependency_degree, expected, places=1)
        self.assertEqual(
            self.env["res.partner"].search(
                [
                    ("value_dependency_degree", ">=", expected - 0.5),
                    ("id", "=", customer.id),
                ]
            ),
            customer,
        )

    def test_degree_is_at_most_everything(self):
        customer = self._customer("Pearl River Trade", value_logistics_volume=10.0)
        self._direct_invoice(customer, 1000.0)
        self._recompute(customer)
        self.assertEqual(customer.value_dependency_degree, 100.0)

    def test_manual_estimate_and_no_estimate(self):
        manual = self._customer(
            "Guangzhou Parts",
            value_dependency_source="manual",
            value_dependency_manual=40.0,
        )
        unknown = self._customer("Unknown Volume")
        self._direct_invoice(manual, 100.0)
        self._direct_invoice(unknown, 100.0)
        self._recompute(manual, unknown)
        self.assertEqual(manual.value_dependency_degree, 40.0)
        self.assertFalse(self._snapshot(unknown).dependency_degree)
        segment = self.env["crm.value.segment"].create(
            {
                "name": "High dependency",
                "domain": "[('value_dependency_degree', '>=', 30)]",
            }
        )
        self.assertEqual(
            self.env["res.partner"].search(segment._get_members_action()["domain"]),
            manual,
        )
        with self.assertRaises(ValidationError):
            manual.value_dependency_manual = 140.0

    def test_changing_the_estimate_queues_the_customer(self):
        customer = self._customer("Shenzhen Cargo")
        Queue = self.env["crm.value.queue"]
        before = Queue.search_count([("partner_id", "=", customer.id)])
        customer.value_logistics_volume = 5000.0
        self.assertGreater(
            Queue.search_count([("partner_id", "=", customer.id)]), before
        )
        # Also in a company the user is not working in, where it has figures.
        other = self.env["res.company"].create({"name": "Other Freight"})
        self.env["crm.value.snapshot"].sudo().create(
            {
                "partner_id": customer.id,
                "company_id": other.id,
                "date": self.company._get_value_today(),
                "is_current": True,
            }
        )
        Queue.sudo().search([("partner_id", "=", customer.id)]).unlink()
        customer.with_company(self.company).value_dependency_manual = 20.0
        self.assertEqual(
            set(Queue.search([("partner_id", "=", customer.id)]).company_id.ids),
            {self.company.id, other.id},
        )
