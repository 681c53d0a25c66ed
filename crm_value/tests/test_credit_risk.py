from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CrmValueCommon, load_migration

SALESMAN = "sales_team.group_sale_salesman,base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestCreditRisk(CrmValueCommon):
    """Risk grades and expected bad debt from real posted invoices and
    payments, and what they set off: credit limits Odoo enforces, an
    activity for the salesperson, payment terms, the ranking basis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._get_value_today()
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.net_30 = cls.env.ref("account.account_payment_term_30days")
        cls.salesman = new_test_user(cls.env, login="cv_risk_salesman", groups=SALESMAN)
        cls.late = cls._customer(
            "Late Payer Ltd",
            user_id=cls.salesman.id,
            property_payment_term_id=cls.net_30.id,
        )
        cls.punctual = cls._customer(
            "Punctual Payer Ltd", property_payment_term_id=cls.net_30.id
        )
        cls.activity_type = cls.env.ref("crm_value.mail_activity_type_high_credit_risk")

    def _invoice_on(self, customer, days_ago, amount, term):
        return self._direct_invoice(
            customer,
            amount,
            invoice_date=self.today - timedelta(days=days_ago),
            invoice_payment_term_id=term.id,
        )

    def _pay(self, invoice, days_ago, amount=None):
        values = {"payment_date": self.today - timedelta(days=days_ago)}
        if amount is not None:
            values["amount"] = amount
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(values)._create_payments()

    def _make_late_payer(self):
        """1,000 due 120 days ago, 600 of 900 overdue 10 days (300 paid), 200
        not yet due: by hand, 1000 x 50% + 600 x 5% + 200 x 1%."""
        self._invoice_on(self.late, 120, 1000.0, self.immediate)
        partly = self._invoice_on(self.late, 10, 900.0, self.immediate)
        self._pay(partly, 5, amount=300.0)
        self._invoice_on(self.late, 0, 200.0, self.net_30)
        return 1000 * 0.50 + 600 * 0.05 + 200 * 0.01

    def _refresh(self, *customers):
        self._recompute(*customers)
        self.engine._on_customers_refreshed(self.company, [c.id for c in customers])

    def test_customer_120_days_overdue_is_high_risk(self):
        expected = self._make_late_payer()
        self._recompute(self.late)
        self.assertFigures(self.late, expected_bad_debt=expected)
        snapshot = self._snapshot(self.late)
        self.assertEqual(snapshot.risk_grade, "high")
        self.assertAlmostEqual(
            snapshot.risk_adjusted_profit, snapshot.net_profit - expected, places=2
        )
        self.assertEqual(self.late.value_risk_grade, "high")
        self.assertAlmostEqual(self.late.value_expected_bad_debt, expected, places=2)
        # The report ages the same receivable the same way.
        report = self.env["crm.value.receivable.report"].search(
            [("partner_id", "=", self.late.id)]
        )
        self.assertEqual(sorted(report.mapped("age_bucket")), ["0", "1", "3"])
        self.assertAlmostEqual(sum(report.mapped("expected_bad_debt")), expected, 2)
        self.assertEqual(set(report.mapped("risk_grade")), {"high"})
        self.assertEqual(report.tier_id, snapshot.tier_id)
        self.assertEqual(report.user_id, self.salesman)

    def test_customer_paying_on_time_is_low_risk(self):
        invoice = self._invoice_on(self.punctual, 60, 500.0, self.net_30)
        self._pay(invoice, 35)  # 25 days after the invoice, within 30
        self._recompute(self.punctual)
        self.assertFigures(self.punctual, expected_bad_debt=0.0, avg_days_to_pay=25.0)
        self.assertEqual(self._snapshot(self.punctual).risk_grade, "low")

    def test_late_payments_against_the_terms_raise_the_grade(self):
        # Paid in full 70 days after the invoice, on 30-day terms: 40 days late.
        invoice = self._invoice_on(self.punctual, 90, 500.0, self.net_30)
        self._pay(invoice, 20)
        self._recompute(self.punctual)
        self.assertEqual(self._snapshot(self.punctual).risk_grade, "medium")
        # Lateness is against the invoice's own due date: giving the customer
        # immediate terms now (as for high risk) does not make it later.
        self.punctual.property_payment_term_id = self.immediate
        self._recompute(self.punctual)
        self.assertEqual(self._snapshot(self.punctual).risk_grade, "medium")
        # An invoice on immediate terms paid 70 days after: 70 days late,
        # 60 weighted by amount with the first (500 x 40 + 1,000 x 70) / 1,500.
        other = self._invoice_on(self.punctual, 80, 1000.0, self.immediate)
        self._pay(other, 10)
        self._recompute(self.punctual)
        self.assertEqual(self._snapshot(self.punctual).risk_grade, "high")

    def test_revenue_credited_back_raises_the_grade(self):
        invoice = self._invoice_on(self.punctual, 20, 500.0, self.net_30)
        self._refund(invoice, 0.3)  # 150 of 500: 30% credited back
        self._recompute(self.punctual)
        self.assertEqual(self._snapshot(self.punctual).risk_grade, "high")
        self.company.value_risk_high_credited_percent = 40.0
        self._recompute(self.punctual)
        self.assertEqual(self._snapshot(self.punctual).risk_grade, "medium")

    def test_buckets_and_loss_rates_are_settings(self):
        self._make_late_payer()
        self.company.write(
            {"value_risk_bucket_3_days": 100, "value_risk_loss_4": 100.0}
        )
        self._recompute(self.late)
        # 120 days now in the last bucket, lost in full.
        self.assertFigures(
            self.late, expected_bad_debt=1000 * 1.0 + 600 * 0.05 + 200 * 0.01
        )
        with self.assertRaises(ValidationError):
            self.company.value_risk_bucket_2_days = 200
        with self.assertRaises(ValidationError):
            self.company.value_risk_loss_1 = 101.0

    def test_risk_query_count_does_not_grow_with_customers(self):
        customers = [self._customer(f"Risk Bulk {i}") for i in range(6)]
        for customer in customers:
            self._invoice_on(customer, 100, 100.0, self.immediate)
        self.env.flush_all()
        source = self.env["crm.value.figure.credit.risk"]

        def queries(partners):
            scope = self.engine._get_figure_scope(
                self.company, [p.id for p in partners]
            )
            before = self.cr.sql_log_count
            source._get_figures(scope)
            return self.cr.sql_log_count - before

        queries(customers)  # the company's settings read once, into the cache
        self.assertEqual(queries(customers[:1]), 1)
        self.assertEqual(queries(customers), 1)

    def test_credit_limit_by_tier_and_grade_warns_on_the_next_quotation(self):
        self.company.value_credit_limit_by_risk = True
        self.assertTrue(self.company.account_use_credit_limit)
        self._make_late_payer()
        self._refresh(self.late)
        partner = self.late.with_company(self.company)
        self.assertFalse(partner.use_partner_credit_limit)  # no limit set yet
        tier = self._snapshot(self.late).tier_id
        self.assertTrue(tier)
        Limit = self.env["crm.value.credit.limit"]
        high = Limit.create(
            {"tier_id": tier.id, "risk_grade": "high", "credit_limit": 500.0}
        )
        Limit.create({"tier_id": tier.id, "risk_grade": "low", "credit_limit": 9000.0})
        # Set, a limit applies at once to who has its tier and grade today.
        self.assertEqual(partner.credit_limit, 500.0)
        self.assertTrue(partner.use_partner_credit_limit)
        # The next night, tier and grade unchanged: a limit set by hand stays.
        self._snapshot(self.late).sudo().date = self.today - timedelta(days=1)
        partner.sudo().credit_limit = 800.0
        self._refresh(self.late)
        self.assertEqual(partner.credit_limit, 800.0)
        # Changed, the limit applies again.
        high.credit_limit = 700.0
        self.assertEqual(partner.credit_limit, 700.0)
        # Odoo's own warnings: the next quotation, the next invoice.
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.late.id,
                "order_line": [Command.create({"product_id": self.service.id})],
            }
        )
        self.assertIn("credit limit", quotation.partner_credit_warning)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.late.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.service.id, "price_unit": 50.0})
                ],
            }
        )
        self.assertIn("credit limit", invoice.partner_credit_warning)

    def test_turning_high_risk_schedules_one_activity_for_the_salesperson(self):
        self._make_late_payer()
        self._refresh(self.late)
        activities = self.late.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.salesman)
        # Still high: no second one.
        self._refresh(self.late)
        self.assertEqual(
            len(
                self.late.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.activity_type
                )
            ),
            1,
        )
        # Done, and another run the same day (still against yesterday's
        # grade): not asked again.
        activities.with_user(self.salesman).action_feedback(feedback="Called them")
        self._refresh(self.late)
        self.assertFalse(
            self.late.activity_ids.filtered(
                lambda a: a.activity_type_id == self.activity_type
            )
        )
        # Nothing for a low risk customer.
        self._invoice_on(self.punctual, 5, 100.0, self.net_30)
        self._refresh(self.punctual)
        self.assertFalse(self.punctual.activity_ids)

    def test_high_risk_customer_gets_the_high_risk_payment_term(self):
        self.company.value_high_risk_payment_term_id = self.immediate
        self._make_late_payer()
        self._invoice_on(self.punctual, 5, 100.0, self.net_30)
        # Without tier terms, the customer's terms are nobody's to change.
        self._refresh(self.late, self.punctual)
        self.assertEqual(
            self.late.with_company(self.company).property_payment_term_id, self.net_30
        )
        self.company.value_apply_tier_terms = True
        self._refresh(self.late, self.punctual)
        self.assertEqual(
            self.late.with_company(self.company).property_payment_term_id,
            self.immediate,
        )
        self.assertEqual(
            self.punctual.with_company(self.company).property_payment_term_id,
            self.net_30,
        )

    def test_high_risk_terms_meet_the_tier_terms(self):
        """With tier terms on, a tier change leaves a high risk customer on the
        high-risk terms; once no longer high, the tier's terms come back; a
        manager's pinned terms stay through both."""
        gold = self.env.ref("crm_value.tier_gold")
        gold.payment_term_id = self.net_30
        self.company.write(
            {
                "value_apply_tier_terms": True,
                "value_high_risk_payment_term_id": self.immediate.id,
            }
        )
        self._make_late_payer()
        self._refresh(self.late)
        late = self.late.with_company(self.company)
        self.assertEqual(late.value_risk_grade, "high")
        late.write({"value_tier_locked": True, "value_tier_id": gold.id})
        self.assertEqual(late.property_payment_term_id, self.immediate)
        # A night later the company tolerates what this customer does: no
        # longer high.
        self.env.cr.execute(
            "UPDATE crm_value_snapshot SET date = date - 1"
            " WHERE partner_id = %s AND is_current",
            [late.id],
        )
        self.env["crm.value.snapshot"].invalidate_model()
        self.company.write(
            {
                "value_risk_medium_overdue_days": 500,
                "value_risk_high_overdue_days": 600,
                "value_risk_medium_days_late": 500,
                "value_risk_high_days_late": 600,
            }
        )
        self._refresh(self.late)
        late.invalidate_recordset()
        self.assertEqual(self._snapshot(self.late).risk_grade, "low")
        self.assertNotEqual(late.value_risk_grade, "high")
        self.assertEqual(late.property_payment_term_id, self.net_30)
        # Pinned by a manager: the high-risk terms do not replace them.
        late.write({"value_payment_term_pinned": True})
        self.company.write(
            {"value_risk_medium_overdue_days": 30, "value_risk_high_overdue_days": 90}
        )
        self._refresh(self.late)
        self.assertEqual(late.value_risk_grade, "high")
        late._apply_value_tier_terms()
        self.assertEqual(late.property_payment_term_id, self.net_30)

    def test_high_risk_terms_belong_to_the_company(self):
        other = self.env["res.company"].create({"name": "Other Risk Co"})
        foreign = self.env["account.payment.term"].create(
            {"name": "Other's terms", "company_id": other.id}
        )
        with self.assertRaises(ValidationError):
            self.company.value_high_risk_payment_term_id = foreign

    def test_rows_stored_before_the_risk_figures_rank_and_upgrade(self):
        """A current row stored before the risk figures existed has none: the
        ranking on risk-adjusted profit takes it as no profit, and the upgrade
        gives current rows their net profit as risk-adjusted profit."""
        self._invoice_on(self.late, 5, 900.0, self.net_30)
        self._invoice_on(self.punctual, 5, 1800.0, self.net_30)
        self._recompute(self.late, self.punctual)
        late, punctual = self._snapshot(self.late), self._snapshot(self.punctual)
        self.env.cr.execute(
            "UPDATE crm_value_snapshot"
            "   SET risk_adjusted_profit = NULL, expected_bad_debt = NULL"
            " WHERE id = %s",
            [late.id],
        )
        self.company.value_ranking_basis = "risk_adjusted"
        self.ranking._rank_company(self.company)
        self.assertEqual(punctual.abc_class, "A")
        migrate = load_migration("crm_value", "18.0.1.2.0", "post-migrate.py").migrate
        migrate(self.env.cr, "18.0.1.1.0")
        late.invalidate_recordset()
        self.assertEqual(late.risk_adjusted_profit, late.net_profit)
        self.assertEqual(late.expected_bad_debt, 0.0)
        self.assertEqual(
            punctual.risk_adjusted_profit,
            punctual.net_profit - punctual.expected_bad_debt,
            "a row with its risk figures keeps them",
        )

    def test_pyramid_ranks_on_risk_adjusted_profit(self):
        # The late payer makes more profit, but less once its bad debt counts:
        # class A, the top, and B, the next (with 53% to 54% of the profit above).
        self.company.write({"value_abc_a_percent": 50.0, "value_abc_b_percent": 60.0})
        self._make_late_payer()
        self._invoice_on(self.punctual, 5, 1800.0, self.net_30)
        self._recompute(self.late, self.punctual)
        late, punctual = self._snapshot(self.late), self._snapshot(self.punctual)
        self.assertGreater(late.net_profit, punctual.net_profit)
        self.assertLess(late.risk_adjusted_profit, punctual.risk_adjusted_profit)
        self.assertEqual((late.abc_class, punctual.abc_class), ("A", "B"))
        self.company.value_ranking_basis = "risk_adjusted"
        self.assertEqual(
            self.ranking._get_ranking_basis(self.company), "risk_adjusted_profit"
        )
        self.ranking._rank_company(self.company)
        self.assertEqual((late.abc_class, punctual.abc_class), ("B", "A"))

    def test_salesman_reads_the_grade_but_not_the_amounts(self):
        self._make_late_payer()
        self._refresh(self.late)
        customer = self.late.with_user(self.salesman)
        self.assertEqual(customer.value_risk_grade, "high")
        for fname in ("value_expected_bad_debt", "value_risk_adjusted_profit"):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                customer.read([fname])
            with self.subTest(field=fname), self.assertRaises(AccessError):
                customer.search([(fname, ">", 0)])
        snapshot = self._snapshot(self.late).with_user(self.salesman)
        with self.assertRaises(AccessError):
            snapshot.read(["expected_bad_debt"])
        with self.assertRaises(AccessError):
            snapshot.write({"risk_grade": "low"})
        # The partner's grade is the snapshot's: writing it changes nothing.
        customer.write({"value_risk_grade": "low"})
        customer.invalidate_recordset()
        self.assertEqual(customer.value_risk_grade, "high")
        for model in ("crm.value.credit.limit", "crm.value.receivable.report"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.salesman).search([])
