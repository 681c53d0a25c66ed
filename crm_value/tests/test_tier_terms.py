from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmValueCommon

MANAGER_GROUPS = (
    "crm_value.group_crm_value_manager,sales_team.group_sale_salesman,"
    "base.group_partner_manager"
)
SALESMAN_GROUPS = "sales_team.group_sale_salesman,base.group_partner_manager"


@tagged("post_install", "-at_install")
class TestTierTerms(CrmValueCommon):
    """A customer changing tier, by the nightly ranking or a manager's lock,
    gets the tier's pricelist and payment terms in that company, unless a
    manager pinned them; draft quotations follow, confirmed orders do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.value.snapshot"].search([]).unlink()
        cls.today = cls.company._get_value_today()
        cls.company.value_apply_tier_terms = True
        cls.platinum = cls.env.ref("crm_value.tier_platinum")
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.vip_prices = cls.env["product.pricelist"].create(
            {
                "name": "Platinum Customer Prices",
                "company_id": False,  # as the shared tier that gives it
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.service.id,
                            "compute_price": "fixed",
                            "fixed_price": 80.0,
                        }
                    )
                ],
            }
        )
        cls.early_discount = cls.env["account.payment.term"].create(
            {
                "name": "2/10 Net 30",
                "company_id": False,
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )
        cls.platinum.write(
            {
                "pricelist_id": cls.vip_prices.id,
                "payment_term_id": cls.early_discount.id,
            }
        )
        cls.usual_terms = cls.env.ref("account.account_payment_term_immediate")
        companies = cls.env["res.company"].search([])
        cls.manager = new_test_user(
            cls.env,
            login="cv_terms_manager",
            groups=MANAGER_GROUPS,
            company_id=cls.company.id,
            company_ids=companies.ids,
        )
        cls.salesman = new_test_user(
            cls.env,
            login="cv_terms_salesman",
            groups=SALESMAN_GROUPS,
            company_id=cls.company.id,
            company_ids=companies.ids,
        )

    def _buyer(self, name):
        """A customer of the test company with a contact, who buys enough to
        be Platinum at the next ranking."""
        customer = self._customer(name, property_payment_term_id=self.usual_terms.id)
        self.env["res.partner"].create(
            {"name": f"Buyer of {name}", "parent_id": customer.id}
        )
        self._order_on(customer, self.today, 5000.0)
        return customer

    def _quotation(self, customer):
        form = Form(self.env["sale.order"])
        form.partner_id = customer
        with form.order_line.new() as line:
            line.product_id = self.service
            line.tax_id.clear()
        return form.save()

    def _lock_tier(self, customer, tier, company=None):
        """A manager locks the customer's tier by hand, in the partner form."""
        partner = customer.with_user(self.manager)
        if company:
            partner = partner.with_company(company)
        with Form(partner) as form:
            form.value_tier_locked = True
            form.value_tier_id = tier

    def test_ranking_gives_the_new_tier_terms(self):
        customer = self._buyer("Jade Tea House")
        self._recompute(customer)
        self.assertEqual(customer.value_tier_id, self.platinum)
        self.assertEqual(customer.property_product_pricelist, self.vip_prices)
        self.assertEqual(customer.property_payment_term_id, self.early_discount)
        # Its contacts too, as Odoo gives its contacts a company's terms.
        self.assertEqual(customer.child_ids.property_product_pricelist, self.vip_prices)
        self.assertEqual(
            customer.child_ids.property_payment_term_id, self.early_discount
        )

    def test_a_terms_changed_by_hand_is_pinned_and_stays(self):
        customer = self._buyer("Pearl Foods")
        own_prices = self.env["product.pricelist"].create({"name": "Pearl's prices"})
        with Form(customer.with_user(self.manager)) as form:
            form.property_product_pricelist = own_prices
        self.assertTrue(customer.value_pricelist_pinned)
        self.assertFalse(customer.value_payment_term_pinned)
        self._recompute(customer)
        self.assertEqual(customer.value_tier_id, self.platinum)
        self.assertEqual(customer.property_product_pricelist, own_prices)
        # What is not pinned follows the tier.
        self.assertEqual(customer.property_payment_term_id, self.early_discount)

    def test_unpinned_terms_follow_the_tier_again(self):
        customer = self._buyer("West Lake Trading")
        customer.value_payment_term_pinned = True
        self._recompute(customer)
        self.assertEqual(customer.property_payment_term_id, self.usual_terms)
        customer.with_user(self.manager).value_payment_term_pinned = False
        self.assertEqual(customer.property_payment_term_id, self.early_discount)

    def test_draft_quotation_follows_confirmed_order_keeps_its_terms(self):
        customer = self._customer(
            "Panda Cafe", property_payment_term_id=self.usual_terms.id
        )
        quotation, confirmed = self._quotation(customer), self._quotation(customer)
        confirmed.action_confirm()
        usual_pricelist = confirmed.pricelist_id
        self.assertEqual(quotation.order_line.price_unit, 100.0)
        self._lock_tier(customer, self.platinum)
        self.assertEqual(customer.property_product_pricelist, self.vip_prices)
        self.assertEqual(quotation.pricelist_id, self.vip_prices)
        self.assertEqual(quotation.payment_term_id, self.early_discount)
        self.assertEqual(quotation.order_line.price_unit, 80.0)
        self.assertIn("Tier terms applied", quotation.message_ids[0].body)
        self.assertEqual(confirmed.pricelist_id, usual_pricelist)
        self.assertEqual(confirmed.payment_term_id, self.usual_terms)
        self.assertEqual(confirmed.order_line.price_unit, 100.0)
        # A quotation made now takes the customer's new terms.
        self.assertEqual(self._quotation(customer).order_line.price_unit, 80.0)

    def test_setting_off_applies_nothing(self):
        self.company.value_apply_tier_terms = False
        customer = self._buyer("Garden Hotel")
        quotation = self._quotation(customer)
        self._recompute(customer)
        self._lock_tier(self._customer("Bargain Mart"), self.platinum)
        self.assertEqual(customer.value_tier_id, self.platinum)
        self.assertNotEqual(customer.property_product_pricelist, self.vip_prices)
        self.assertEqual(customer.property_payment_term_id, self.usual_terms)
        self.assertNotEqual(quotation.pricelist_id, self.vip_prices)
        self.assertEqual(quotation.order_line.price_unit, 100.0)

    def test_terms_land_in_the_tier_company_only(self):
        other = self.setup_other_company(name="Terms Elsewhere")["company"]
        self.manager.company_ids |= other
        other.value_apply_tier_terms = True
        customer = self._customer("Berliner Teehaus")
        # As the system sets them (no pin: a manager's change by hand pins).
        customer.with_company(other).sudo().property_payment_term_id = self.usual_terms
        self._lock_tier(customer, self.platinum, company=other)
        there, here = customer.with_company(other), customer.with_company(self.company)
        self.assertEqual(there.property_payment_term_id, self.early_discount)
        self.assertEqual(there.property_product_pricelist, self.vip_prices)
        self.assertFalse(here.value_tier_id)
        self.assertFalse(here.property_payment_term_id)
        self.assertNotEqual(here.property_product_pricelist, self.vip_prices)

    def test_salesmen_cannot_set_the_tier_terms(self):
        customer = self._customer("Jade Tea Importers", user_id=self.salesman.id)
        as_salesman = customer.with_user(self.salesman)
        form = Form(as_salesman)
        for fname in ("property_product_pricelist", "property_payment_term_id"):
            with self.subTest(field=fname), self.assertRaises(AssertionError):
                setattr(form, fname, False)
        for fname, value in (
            ("property_product_pricelist", self.vip_prices.id),
            ("specific_property_product_pricelist", self.vip_prices.id),
            ("property_payment_term_id", self.early_discount.id),
            ("value_payment_term_pinned", True),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                as_salesman.write({fname: value})
        as_salesman.write({"phone": "+86 21 5555 0101"})
        # Where the tier does not decide them, salesmen set the terms.
        self.company.value_apply_tier_terms = False
        as_salesman.write({"property_payment_term_id": self.early_discount.id})
        self.assertEqual(customer.property_payment_term_id, self.early_discount)
        self.assertFalse(customer.value_payment_term_pinned)

    def _queries_to_apply(self, count):
        """Queries of applying the terms to `count` customers of one tier
        (with a contact each)."""
        customers = self.env["res.partner"]
        for index in range(count):
            customers |= self._customer(f"Shop {count}-{index}")
        self.env["res.partner"].create(
            [{"name": "Buyer", "parent_id": customer.id} for customer in customers]
        )
        self.company.value_apply_tier_terms = False
        customers.write({"value_tier_id": self.platinum.id})
        self.company.value_apply_tier_terms = True
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        customers._apply_value_tier_terms()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(customers.property_payment_term_id, self.early_discount)
        self.assertEqual(
            customers.child_ids.property_product_pricelist, self.vip_prices
        )
        return queries

    def test_customers_of_one_tier_get_their_terms_in_one_write(self):
        self._queries_to_apply(1)  # the first run reads what is cached after
        self.assertEqual(self._queries_to_apply(2), self._queries_to_apply(8))

    def test_company_keys_are_read_per_company(self):
        other = self.setup_other_company(name="Keys Elsewhere")["company"]
        customer = self._customer("Two Company Shop")
        customer.value_payment_term_pinned = True
        customer.with_company(other).value_tier_id = self.platinum
        self.assertEqual(
            customer._read_company_keys(["value_tier_id", "value_payment_term_pinned"]),
            {customer.id: {"value_tier_id": None, "value_payment_term_pinned": True}},
        )
        self.assertEqual(
            customer.with_company(other)._read_company_keys(
                ["value_tier_id", "value_payment_term_pinned"]
            ),
            {
                customer.id: {
                    "value_tier_id": self.platinum.id,
                    "value_payment_term_pinned": None,
                }
            },
        )
