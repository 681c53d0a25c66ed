from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestCostsMatchRevenue(CrmValueCommon):
    """A cost counts when the revenue it earns counts: the cost of goods
    delivered and the handling of orders not invoiced yet are held, shown as
    pending, and enter the profit with their invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only these customers in the ranking and the scores.
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.company.value_handling_cost = 15.0
        cls.today = cls.company._get_value_today()
        cls.lead = cls.env.ref("crm_value.tier_lead")

    def _profitable_customers(self):
        """Customers with invoiced business, for the pyramid to rank among."""
        customers = []
        for name, amount in (("Invoiced Big", 900.0), ("Invoiced Small", 200.0)):
            customer = self._customer(name)
            for days_ago in (10, 70, 130):
                self._order_on(customer, self.today - timedelta(days=days_ago), amount)
            customers.append(customer)
        return customers

    def test_delivered_orders_not_invoiced_are_pending_not_a_loss(self):
        self._receive(self.fifo_product, 10, 10.0)
        others = self._profitable_customers()
        customer = self._customer("Gemini Pending Furniture")
        orders = [
            self._sell(customer, [(self.fifo_product, 3, 20.0)]) for _order in range(2)
        ]
        for order in orders:
            self._deliver(order)
        self._recompute(customer, *others)
        # Nothing invoiced: no revenue, so none of its costs count yet.
        self.assertFigures(
            customer,
            order_count=2,
            revenue=0.0,
            cogs=0.0,
            cost_to_serve=0.0,
            net_profit=0.0,
            lifetime_net_profit=0.0,
            pending_cost=2 * 3 * 10.0 + 2 * 15.0,
            to_invoice=2 * 3 * 20.0,
        )
        self.assertFalse(customer.value_tier_id, "ranked before any invoice")
        self.assertEqual(customer.value_to_invoice, 120.0)
        self.assertEqual(customer.value_pending_cost, 90.0)
        self.assertGreaterEqual(self._snapshot(customer).clv, 0.0)

        # One order invoiced: its goods and handling enter the profit.
        self._invoice(orders[0])
        self._recompute(customer, *others)
        self.assertFigures(
            customer,
            revenue=60.0,
            cogs=30.0,
            cost_to_serve=15.0,
            net_profit=15.0,
            pending_cost=30.0 + 15.0,
            to_invoice=60.0,
        )
        self.assertTrue(customer.value_tier_id)
        self.assertNotEqual(customer.value_tier_id, self.lead)

        self._invoice(orders[1])
        self._recompute(customer, *others)
        self.assertFigures(
            customer,
            revenue=120.0,
            cogs=60.0,
            cost_to_serve=30.0,
            net_profit=30.0,
            pending_cost=0.0,
            to_invoice=0.0,
        )

    def test_cost_of_goods_follows_the_invoiced_quantity(self):
        self._receive(self.fifo_product, 10, 10.0)
        self._receive(self.fifo_product, 10, 14.0)
        self.company.value_handling_cost = 0.0
        customer = self._customer("Partly Invoiced Ltd")
        order = self._sell(customer, [(self.fifo_product, 15, 20.0)])
        self._deliver(order)  # 10 at 10 and 5 at 14: 170, 11.33 a unit
        invoice = order._create_invoices()
        invoice.invoice_line_ids.quantity = 6
        invoice.action_post()
        self._recompute(customer)
        unit = 170.0 / 15
        self.assertFigures(
            customer,
            revenue=120.0,
            cogs=6 * unit,
            pending_cost=9 * unit,
            to_invoice=9 * 20.0,
        )
        self._refund(invoice, 2)
        self._recompute(customer)
        self.assertFigures(
            customer, revenue=80.0, cogs=4 * unit, pending_cost=11 * unit
        )

    def test_goods_invoiced_before_delivery_cost_on_the_invoice_date(self):
        self.company.value_handling_cost = 0.0
        ordered = self._create_goods("Tea invoiced on order", self.avg_categ)
        ordered.invoice_policy = "order"
        self._receive(ordered, 10, 12.0)
        customer = self._customer("Paid Upfront Co")
        order = self._sell(customer, [(ordered, 4, 30.0)])
        long_ago = self.company._get_value_window_start() - timedelta(days=30)
        self._invoice(order, date=long_ago)
        self._recompute(customer)
        # Invoiced, not delivered: no cost known yet, none held.
        self.assertFigures(customer, lifetime_revenue=120.0, lifetime_cogs=0.0)
        self._deliver(order)
        self._recompute(customer)
        # Delivered today, its cost belongs with the revenue it earned: on
        # the invoice's date, before the window.
        self.assertFigures(
            customer,
            revenue=0.0,
            cogs=0.0,
            lifetime_revenue=120.0,
            lifetime_cogs=48.0,
            pending_cost=0.0,
        )

    def test_profit_per_order_counts_only_invoiced_orders(self):
        """Lifetime value: a customer none of whose orders is invoiced yet is
        expected the population's profit per order, not a loss of handling."""
        others = self._profitable_customers()
        customer = self._customer("Orders Not Invoiced Yet")
        for days_ago in (5, 40, 75):
            order = self._sell(customer, [(self.service, 1, 500.0)])
            order.date_order = self.today - timedelta(days=days_ago)
        self._recompute(customer, *others)
        snapshot = self._snapshot(customer)
        self.assertAlmostEqual(snapshot.lifetime_net_profit, 0.0)
        self.assertAlmostEqual(snapshot.clv_historical, 0.0)
        self.assertGreater(snapshot.clv_future, 0.0)
        self.assertFalse(snapshot.tier_id)
        self.assertEqual(snapshot.lifetime_order_count, 3)
        self.assertEqual(snapshot.lifetime_invoiced_count, 0)

    def test_scores_read_the_profit_the_pyramid_ranks_on(self):
        """Ranked on the whole history, RFM monetary and the value matrix read
        that profit too: an old big customer is high value for all three."""
        self.company.value_handling_cost = 0.0
        self.company.value_ranking_basis = "lifetime"
        before_window = self.company._get_value_window_start() - timedelta(days=40)
        old_big = self._customer("Old Big Spender")
        for days_ago in (0, 30, 60):
            self._order_on(old_big, before_window - timedelta(days=days_ago), 5000.0)
        recent = [self._customer(f"Recent Small {i}") for i in range(4)]
        for index, customer in enumerate(recent):
            for days_ago in (10, 60):
                self._order_on(
                    customer, self.today - timedelta(days=days_ago), 100.0 + index
                )
        self._recompute(old_big, *recent)
        big = self._snapshot(old_big)
        self.assertEqual(big.tier_id, self.env.ref("crm_value.tier_platinum"))
        self.assertEqual(big.rfm_monetary, 5)
        self.assertIn(big.quadrant, ("strategic", "maintain"))
        self.assertEqual(big.value_economic, 1.0)

    def test_pending_amounts_are_for_managers_only(self):
        customer = self._customer("Pending Secrets Ltd")
        self._sell(customer, [(self.service, 2, 50.0)])
        self._recompute(customer)
        self.assertFigures(customer, to_invoice=100.0, pending_cost=15.0)
        salesman = new_test_user(
            self.env, login="pending_salesman", groups="sales_team.group_sale_salesman"
        )
        for fname in ("value_to_invoice", "value_pending_cost"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                customer.with_user(salesman).read([fname])
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(salesman).search([(fname, ">", 0)])
        with self.assertRaises(AccessError):
            self._snapshot(customer).with_user(salesman).read(["to_invoice"])
        self.assertEqual(customer.with_user(salesman).value_lifetime_order_count, 1)
