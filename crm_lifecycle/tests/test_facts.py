from odoo.tests import tagged

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleFacts(CrmLifecycleCommon):
    """The facts a rule searches are the ones the engine gives the search
    (its day, its customers), through relations too; a stage written by hand
    is recorded whatever the context of the write says."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Facts = cls.env["crm.lifecycle.facts"]
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)
        cls.steady = cls._customer("Steady Facts")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Steady Buyer", "parent_id": cls.steady.id}
        )
        cls.other = cls._customer("Other Facts")

    def _search(self, domain, queries):
        scope = [("id", "in", (self.steady | self.buyer | self.other).ids)]
        return self.Partner.search(scope + self.Facts._resolve_domain(domain, queries))

    def test_conditions_read_the_facts_of_the_day_given(self):
        for day in (-60, -20):
            self._order(self.steady, day)
        domain = [("lifecycle_order_count", ">=", 2)]
        today = self.Facts._get_queries(self.company, self.today)
        month_ago = self.Facts._get_queries(self.company, self._day(-30))
        self.assertEqual(self._search(domain, today), self.steady | self.buyer)
        self.assertFalse(self._search(domain, month_ago))
        # The field itself searches the company's day.
        self.assertEqual(
            self.Partner.search(
                [("id", "in", (self.steady | self.other).ids), *domain]
            ),
            self.steady,
        )
        # A customer with no order yet has 0 orders that day.
        self.assertEqual(
            self._search([("lifecycle_order_count", "=", 0)], month_ago), self.other
        )
        before_any = self.Facts._get_queries(self.company, self._day(-90))
        self.assertEqual(
            self._search([("lifecycle_order_count", "=", 0)], before_any),
            self.steady | self.buyer | self.other,
        )

    def test_conditions_through_relations_read_the_facts_given(self):
        for day in (-60, -20):
            self._order(self.steady, day)
        today = self.Facts._get_queries(self.company, self.today)
        month_ago = self.Facts._get_queries(self.company, self._day(-30))
        for domain in (
            [("parent_id.lifecycle_order_count", ">=", 2)],
            [("parent_id", "any", [("lifecycle_order_count", ">=", 2)])],
        ):
            with self.subTest(domain=domain):
                self.assertEqual(self._search(domain, today), self.buyer)
                self.assertFalse(self._search(domain, month_ago))
        resolved = self.Facts._resolve_domain(
            ["|", ("name", "=", "x"), ("lifecycle_open_lead_count", ">", 0)], today
        )
        self.assertEqual(resolved[:2], ["|", ("name", "=", "x")])
        self.assertEqual(resolved[2][:2], ("commercial_partner_id", "in"))

    def test_facts_of_some_customers_only(self):
        self._order(self.steady, -20)
        self._order(self.other, -20)
        queries = self.Facts._get_queries(self.company, self.today, [self.steady.id])
        self.assertEqual(
            self._search([("lifecycle_order_count", "=", 1)], queries),
            self.steady | self.buyer,
        )
        self.assertEqual(
            set(self.Facts._get_order_facts(queries, [self.steady.id, self.other.id])),
            {self.steady.id},
        )

    def test_materialized_facts_are_the_live_ones(self):
        for day in (-90, -60, -30):
            self._order(self.steady, day)
        ids = [self.steady.id, self.other.id]
        live = self.Facts._get_queries(self.company, self.today)
        tables = self.Facts._materialize(self.company, self.today)
        self.assertEqual(
            self.Facts._get_order_facts(tables, ids),
            self.Facts._get_order_facts(live, ids),
        )
        for domain in (
            [("lifecycle_order_interval", "<", 31)],
            [("lifecycle_last_order_date", "=", False)],
            [("lifecycle_days_since_order", "in", [0, 30])],
        ):
            with self.subTest(domain=domain):
                self.assertEqual(
                    self._search(domain, tables), self._search(domain, live)
                )

    def test_a_stage_set_by_hand_is_recorded_whatever_the_context(self):
        customer = self._customer("Hand Moved")
        self._evaluate(customer)
        self.assertPath(customer, ["reserve"])
        # The engine's own writes are recorded once, with their rule.
        self._order(customer, -5)
        self._evaluate(customer)
        self.assertPath(customer, ["reserve", "new"])
        self.assertTrue(self._history(customer)[-1].rule_id)
        # A context key of a former version (any RPC caller may set one)
        # does not keep a move by hand out of the history.
        customer.with_context(lifecycle_engine=True).write(
            {"lifecycle_stage_id": self.stage_loyal.id}
        )
        self.assertPath(customer, ["reserve", "new", "loyal"])
        move = self._history(customer)[-1]
        self.assertEqual(move.reason_code, "manual")
        self.assertEqual(move.user_id, self.env.user)
