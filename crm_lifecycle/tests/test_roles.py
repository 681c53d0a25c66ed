from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestStageWriters(CrmLifecycleCommon):
    """Stages are the engines' and the Customer Value managers'; a salesperson
    moves only their own prospects, and only through the pre-sale stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesman = new_test_user(
            cls.env, login="lc_other_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.cvm = new_test_user(
            cls.env,
            login="lc_stage_manager",
            groups="sales_team.group_sale_manager",  # a Customer Value manager
        )

    def test_salesman_moves_own_prospect_through_pre_sale_stages(self):
        prospect = self._customer("Called Twice", user_id=self.salesman.id)
        self._evaluate(prospect)
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_reserve)
        as_salesman = prospect.with_user(self.salesman)
        for stage in (self.stage_target, self.stage_potential, self.stage_opportunity):
            as_salesman.write({"lifecycle_stage_id": stage.id})
            self.assertEqual(prospect.lifecycle_stage_id, stage)
            self.assertEqual(self._history(prospect)[-1].user_id, self.salesman)
        created = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create(
                {
                    "name": "Met at the Fair",
                    "is_company": True,
                    "user_id": self.salesman.id,
                    "lifecycle_stage_id": self.stage_target.id,
                }
            )
        )
        self.assertEqual(created.lifecycle_stage_id, self.stage_target)

    def test_salesman_cannot_decide_other_stages(self):
        prospect = self._customer("Called Once", user_id=self.salesman.id)
        theirs = self._customer("Someone Else's", user_id=self.other_salesman.id)
        nobody = self._customer("Nobody's")
        customer = self._customer("Buying", user_id=self.salesman.id)
        self._order(customer, -5)
        self._evaluate(prospect, theirs, nobody, customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        attempts = [
            (prospect, {"lifecycle_stage_id": self.stage_new.id}),
            (prospect, {"lifecycle_stage_id": self.stage_active.id}),
            (prospect, {"lifecycle_stage_id": self.stage_loyal.id}),
            (prospect, {"lifecycle_stage_id": self.stage_at_risk.id}),
            (prospect, {"lifecycle_stage_id": self.stage_lost.id}),
            (prospect, {"lifecycle_stage_id": False}),
            (prospect, {"lifecycle_stage_date": self._day(-100)}),
            (
                prospect,
                {
                    "lifecycle_stage_id": self.stage_target.id,
                    "lifecycle_stage_date": self._day(-100),
                },
            ),
            (
                prospect,
                {
                    "lifecycle_stage_id": self.stage_target.id,
                    "user_id": self.other_salesman.id,
                },
            ),
            (theirs, {"lifecycle_stage_id": self.stage_target.id}),
            (nobody, {"lifecycle_stage_id": self.stage_target.id}),
            # A customer back to a pre-sale stage is no pre-sale move.
            (customer, {"lifecycle_stage_id": self.stage_potential.id}),
        ]
        for partner, vals in attempts:
            with self.subTest(partner=partner.name, vals=vals):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    partner.with_user(self.salesman).write(vals)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            (prospect | theirs).with_user(self.salesman).write(
                {"lifecycle_stage_id": self.stage_target.id}
            )
        with (
            self.assertRaisesRegex(AccessError, "only your own prospects"),
            self.env.cr.savepoint(),
        ):
            theirs.with_user(self.salesman).write(
                {"lifecycle_stage_id": self.stage_target.id}
            )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            prospect.with_user(self.salesman).write({"lifecycle_locked": True})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["res.partner"].with_user(self.salesman).create(
                {
                    "name": "Straight to Loyal",
                    "user_id": self.salesman.id,
                    "lifecycle_stage_id": self.stage_loyal.id,
                }
            )
        self.assertEqual(prospect.lifecycle_stage_id, self.stage_reserve)
        self.assertEqual(theirs.lifecycle_stage_id, self.stage_reserve)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_new)

    def test_engines_and_managers_still_write_stages(self):
        customer = self._customer("Evaluated by a Click", user_id=self.salesman.id)
        self._order(customer, -5)
        # The engine moves the customer, whoever clicks.
        customer.with_user(self.salesman).action_evaluate_lifecycle()
        self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        as_manager = customer.with_user(self.cvm)
        as_manager.write({"lifecycle_stage_id": self.stage_loyal.id})
        as_manager.lifecycle_locked = True
        self.assertEqual(customer.lifecycle_stage_id, self.stage_loyal)
        self.assertTrue(customer.lifecycle_locked)


@tagged("post_install", "-at_install")
class TestSharedRules(CrmLifecycleCommon):
    def test_manager_of_one_company_keeps_to_their_rules(self):
        company_2 = self.setup_other_company(name="Lifecycle Branch")["company"]
        manager = new_test_user(
            self.env,
            login="lc_branch_manager",
            groups="crm_value.group_crm_value_manager",
            company_id=company_2.id,
            company_ids=[(6, 0, company_2.ids)],
        )
        Rule = self.env["crm.lifecycle.rule"].with_user(manager)
        shared = self.env.ref("crm_lifecycle.rule_lost").with_user(manager)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            shared.write({"recency_threshold": "custom", "recency_days": 10})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Rule.create({"name": "Everyone's", "stage_to_id": self.stage_lost.id})
        own = Rule.with_company(company_2).create(
            {
                "name": "Branch: two orders are loyal",
                "company_id": company_2.id,
                "stage_from_ids": [(6, 0, self.stage_active.ids)],
                "stage_to_id": self.stage_loyal.id,
                "domain": "[('lifecycle_order_count', '>=', 2)]",
            }
        )
        own.write({"domain": "[('lifecycle_order_count', '>=', loyal_order_count)]"})
        self.assertEqual(own.company_id, company_2)
        self.assertEqual(self.env.ref("crm_lifecycle.rule_lost").recency_days, 0)


@tagged("post_install", "-at_install")
class TestLifecycleFieldsInternal(BaseCommon):
    """A customer's lifecycle classification is the company's own view: never
    read by the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_company = cls.env["res.partner"].create(
            {"name": "Portal Customer Co", "is_company": True}
        )
        cls.portal = new_test_user(
            cls.env,
            login="lc_portal",
            groups="base.group_portal",
            parent_id=cls.customer_company.id,
        )
        cls.customer_company.write(
            {"lifecycle_stage_id": cls.env.ref("crm_lifecycle.stage_at_risk").id}
        )

    def test_portal_user_reads_no_lifecycle_field(self):
        Partner = self.env["res.partner"]
        names = [name for name in Partner._fields if name.startswith("lifecycle_")]
        self.assertIn("lifecycle_stage_action", names)
        own = self.customer_company.with_user(self.portal)
        own.read(["name"])  # their own commercial partner, readable
        for name in names:
            with self.subTest(field=name), self.assertRaises(AccessError):
                own.read([name])
        self.assertNotIn("lifecycle_stage_id", own.fields_get())

    def test_partner_views_load_for_internal_users(self):
        employee = new_test_user(self.env, login="lc_employee")
        for user in (employee, self.env.ref("base.user_admin")):
            Partner = self.env["res.partner"].with_user(user)
            views = Partner.get_views(
                [(False, "form"), (False, "list"), (False, "kanban"), (False, "search")]
            )
            self.assertTrue(views["views"]["form"]["arch"])
        rule_views = (
            self.env["crm.lifecycle.rule"]
            .with_user(self.env.ref("base.user_admin"))
            .get_views([(False, "form"), (False, "list"), (False, "search")])
        )
        self.assertIn("problem", rule_views["views"]["form"]["arch"])
        self.assertIn('name="broken"', rule_views["views"]["search"]["arch"])


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase):
    def test_portal_pages_render_for_a_customer(self):
        company = self.env["res.partner"].create(
            {"name": "Portal Page Co", "is_company": True}
        )
        new_test_user(
            self.env,
            login="lc_portal_page",
            name="Portal Page Buyer",
            password="lc_portal_page",
            groups="base.group_portal",
            parent_id=company.id,
        )
        company.write(
            {"lifecycle_stage_id": self.env.ref("crm_lifecycle.stage_lost").id}
        )
        self.authenticate("lc_portal_page", "lc_portal_page")
        for url in ("/my", "/my/account"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("Portal Page Buyer", response.text, url)
