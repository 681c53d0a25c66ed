from datetime import timedelta
from unittest.mock import patch

from odoo.tests import tagged

from ..models import crm_value_engine
from .common import CrmValueCommon


@tagged("post_install", "-at_install")
class TestCustomerProfit(CrmValueCommon):
    """Hand-computed profit from real orders, deliveries, returns and invoices."""

    def test_fifo_cost_is_the_cost_consumed_not_todays_cost(self):
        self._receive(self.fifo_product, 10, 10.0)
        self._receive(self.fifo_product, 10, 14.0)
        customer = self._customer("Harbour Tea House")
        order = self._sell(customer, [(self.fifo_product, 15, 20.0)])
        self._deliver(order)
        self._invoice(order)
        self._recompute(customer)
        # 10 units at 10 then 5 at 14, not 15 at today's cost of 14.
        self.assertFigures(
            customer,
            revenue=300.0,
            cogs=170.0,
            net_profit=130.0,
            margin_percent=100 * 130 / 300,
            order_count=1,
        )

    def test_average_cost_product(self):
        self._receive(self.avg_product, 10, 10.0)
        self._receive(self.avg_product, 10, 20.0)
        customer = self._customer("Golden Rice Co")
        order = self._sell(customer, [(self.avg_product, 4, 30.0)])
        self._deliver(order)
        self._invoice(order)
        self._recompute(customer)
        self.assertFigures(customer, revenue=120.0, cogs=60.0, net_profit=60.0)

    def test_partial_return_and_credit_note_reduce_revenue_and_cost(self):
        self._receive(self.fifo_product, 10, 10.0)
        self._receive(self.fifo_product, 10, 14.0)
        customer = self._customer("Returning Retail Ltd")
        order = self._sell(customer, [(self.fifo_product, 15, 20.0)])
        delivery = self._deliver(order)
        invoice = self._invoice(order)
        self._return(delivery, 5)
        self._refund(invoice, 5)
        self._recompute(customer)
        # Returned at the cost they left at: 5 x 170/15.
        self.assertFigures(
            customer, revenue=200.0, cogs=170.0 - 5 * 170.0 / 15, lifetime_revenue=200.0
        )

    def test_same_cost_of_goods_by_index_or_from_the_whole_books(self):
        """A few customers' deliveries are found by index, many customers'
        by reading all the company's valuation once: the same figures."""
        self._receive(self.fifo_product, 10, 10.0)
        customer = self._customer("Indexed Imports")
        buyer = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": customer.id}
        )
        delivery = self._deliver(self._sell(buyer, [(self.fifo_product, 6, 20.0)]))
        self._return(delivery, 2)
        other = self._customer("Other Imports")
        self._deliver(self._sell(other, [(self.fifo_product, 1, 20.0)]))
        self.env.flush_all()
        ids = [customer.id, other.id]
        by_index = self.engine._compute_figures(self.company, ids)
        with patch.object(crm_value_engine, "WHOLE_BOOKS_FROM", 0):
            whole_books = self.engine._compute_figures(self.company, ids)
        self.assertEqual(whole_books, by_index)
        # Delivered, not invoiced: the cost is held until invoiced.
        self.assertAlmostEqual(by_index[customer.id]["pending_cost"], 40.0)
        self.assertAlmostEqual(by_index[other.id]["pending_cost"], 10.0)
        self.assertAlmostEqual(by_index[customer.id]["lifetime_cogs"], 0.0)

    def test_service_line_costs_the_order_line_cost(self):
        customer = self._customer("Serviced Works")
        order = self._sell(customer, [(self.service, 2, 100.0)])
        self.assertEqual(order.order_line.purchase_price, 30.0)
        self._invoice(order)
        self._recompute(customer)
        self.assertFigures(customer, revenue=200.0, cogs=60.0, net_profit=140.0)

    def test_discounted_line_counts_the_discount_granted(self):
        customer = self._customer("Bargain Hunters")
        order = self._sell(
            customer, [(self.service, 2, 100.0, 10.0), (self.service, 1, 50.0)]
        )
        self._invoice(order)
        self._recompute(customer)
        self.assertFigures(customer, revenue=230.0, discount=20.0)

    def test_foreign_currency_invoice_counts_at_its_booked_rate(self):
        other = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        customer = self._customer("Euro Importers")
        self._direct_invoice(customer, 300.0, currency=other)
        other.rate_ids.rate = (
            4.0  # a later rate change must not move the booked revenue
        )
        self._recompute(customer)
        self.assertFigures(customer, revenue=150.0)

    def test_same_profit_with_or_without_anglo_saxon_accounting(self):
        results = []
        for anglo_saxon in (False, True):
            self.company.anglo_saxon_accounting = anglo_saxon
            product = self._create_goods(
                f"Tea {anglo_saxon}", self.stock_account_product_categ
            )
            self._receive(product, 10, 10.0)
            self._receive(product, 10, 14.0)
            customer = self._customer(f"Customer {anglo_saxon}")
            order = self._sell(customer, [(product, 15, 20.0)])
            self._deliver(order)
            invoice = self._invoice(order)
            self.assertEqual(
                bool(
                    invoice.line_ids.filtered(lambda line: line.display_type == "cogs")
                ),
                anglo_saxon,
            )
            self._recompute(customer)
            snapshot = self._snapshot(customer)
            results.append((snapshot.revenue, snapshot.cogs, snapshot.net_profit))
        self.assertEqual(results[0], results[1])
        self.assertEqual(results[0], (300.0, 170.0, 130.0))

    def test_companies_are_kept_apart(self):
        company_2 = self.setup_other_company(name="Second Branch")["company"]
        customer = self._customer("Two-Branch Client")
        self._direct_invoice(customer, 500.0)
        self._direct_invoice(customer, 80.0, company=company_2)
        self._recompute(customer)
        self._recompute(customer, company=company_2)
        self.assertFigures(customer, revenue=500.0)
        self.assertFigures(customer, company=company_2, revenue=80.0)
        self.assertEqual(customer.with_company(self.company).value_revenue, 500.0)
        self.assertEqual(customer.with_company(company_2).value_revenue, 80.0)

    def test_cost_to_serve_counts_orders_and_completed_activities(self):
        self.company.value_handling_cost = 15.0
        call = self.env.ref("mail.mail_activity_data_call")
        call.value_cost = 7.5
        customer = self._customer("Demanding Dept Store")
        order = self._sell(customer, [(self.service, 1, 100.0)])
        self._invoice(order)
        customer.activity_schedule("mail.mail_activity_data_call").action_done()
        order.activity_schedule("mail.mail_activity_data_call").action_done()
        customer.activity_schedule("mail.mail_activity_data_call")  # not done: no cost
        self._recompute(customer)
        self.assertFigures(
            customer, cost_to_serve=15.0 + 2 * 7.5, net_profit=100.0 - 30.0 - 30.0
        )

    def test_overdue_amount_and_days_to_pay(self):
        today = self.company._get_value_today()
        customer = self._customer("Slow Payer Inc")
        self._direct_invoice(
            customer,
            400.0,
            invoice_date=today - timedelta(days=40),
            invoice_payment_term_id=self.pay_terms_a.id,
        )
        paid = self._direct_invoice(
            customer,
            100.0,
            invoice_date=today - timedelta(days=20),
            invoice_payment_term_id=self.pay_terms_a.id,
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({"payment_date": today - timedelta(days=11)})._create_payments()
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        self._recompute(customer)
        self.assertFigures(customer, overdue_amount=400.0, avg_days_to_pay=9.0)
        # Paid dates found by index or from all the window's reconciliations.
        by_index = self.engine._compute_figures(self.company, [customer.id])
        with patch.object(crm_value_engine, "WHOLE_BOOKS_FROM", 0):
            whole_books = self.engine._compute_figures(self.company, [customer.id])
        self.assertEqual(whole_books, by_index)
        self.assertEqual(by_index[customer.id]["avg_days_to_pay"], 9.0)

    def test_figures_query_count_does_not_grow_with_customers(self):
        customers = [self._customer(f"Bulk {i}") for i in range(6)]
        for customer in customers:
            self._direct_invoice(customer, 100.0)
        self.env.flush_all()

        def queries(partner_ids):
            before = self.cr.sql_log_count
            self.engine._recompute_partners(self.company, partner_ids)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        # Addons extending the figures (crm_care's complaint cost) add a query
        # each, but the count never depends on the number of customers.
        queries([customers[0].id])  # the company's settings and day, read once
        one = queries([customers[0].id])
        self.assertEqual(queries([c.id for c in customers]), one)
        self.assertTrue(0 < one < 20, one)

    def test_invoices_on_contacts_count_for_the_company(self):
        customer = self._customer("Parent Holdings")
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": customer.id}
        )
        self._direct_invoice(contact, 250.0)
        contact.action_recompute_value()
        self.assertFigures(customer, revenue=250.0)
        self.assertEqual(contact.value_revenue, 250.0)
        self.assertFalse(
            self.env["crm.value.snapshot"].search([("partner_id", "=", contact.id)])
        )
