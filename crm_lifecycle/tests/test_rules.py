from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import convert_file

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestLifecycleRules(CrmLifecycleCommon):
    def _load(self, filename):
        # Data files load as the superuser (install, upgrade), rules of every
        # company included.
        convert_file(
            self.env(su=True),
            "crm_lifecycle",
            f"tests/data/{filename}",
            {},
            mode="init",
            noupdate=False,
        )

    def test_consultant_rule_loaded_from_xml(self):
        self._load("consultant_rule.xml")
        rule = self.env.ref("crm_lifecycle.rule_test_platinum_loyal")
        self.assertEqual(rule.stage_to_id, self.stage_loyal)
        # Only these customers in the ranking: other data of the database stays out.
        self.env["crm.value.snapshot"].search([]).unlink()
        star, plain = self._customer("Star Buyer"), self._customer("Plain Buyer")
        big_order = self._order(star, -5)
        big_order.order_line.price_unit = 900.0
        self._invoice(big_order)
        self._invoice(self._order(plain, -5))
        self._recompute(star, plain)
        self.assertEqual(star.value_tier_id.code, "platinum")
        self._evaluate(star, plain)
        self.assertEqual(star.lifecycle_stage_id, self.stage_loyal)
        self.assertEqual(self._history(star)[-1].rule_id, rule)
        self.assertEqual(plain.lifecycle_stage_id, self.stage_new)

    def test_broken_rule_is_refused_with_the_reason(self):
        with self.assertRaises(Exception) as caught:
            self._load("broken_rule.xml")
        self.assertIn("Rule with a typo is refused", str(caught.exception))
        self.assertIn("value_oder_count", str(caught.exception))
        self.assertFalse(
            self.env.ref("crm_lifecycle.rule_test_broken", raise_if_not_found=False)
        )
        Rule = self.env["crm.lifecycle.rule"]
        for domain, reason in (
            ("[('value_order_count', '>=', 2", "not a valid domain"),
            ("'loyal customers'", "not a list"),
            ("[('name', 'is like', 'x')]", "not a valid domain"),
            ("[('lifecycle_order_count', 'ilike', 2)]", "Search Purchases"),
        ):
            with self.assertRaises(ValidationError) as caught:
                Rule.create(
                    {
                        "name": "Bad",
                        "company_id": self.company.id,
                        "stage_to_id": self.stage_loyal.id,
                        "domain": domain,
                    }
                )
            self.assertIn(reason, str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            Rule.create(
                {
                    "name": "Loop",
                    "company_id": self.company.id,
                    "stage_from_ids": [(6, 0, self.stage_loyal.ids)],
                    "stage_to_id": self.stage_loyal.id,
                }
            )
        self.assertIn("already in", str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            self.env.ref("crm_lifecycle.rule_lost").sudo().write(
                {"recency_threshold": "custom", "recency_days": 0}
            )
        self.assertIn("needs days or a factor", str(caught.exception))

    def test_settings_are_checked(self):
        with self.assertRaises(ValidationError):
            self.company.lifecycle_lost_days = 60
        with self.assertRaises(ValidationError):
            self.company.lifecycle_at_risk_p_alive = 1.5

    def test_salesman_reads_stages_but_not_rules_edits_or_locks(self):
        customer = self._customer("Watched Customer", user_id=self.salesman.id)
        self._order(customer, -10)
        as_salesman = customer.with_user(self.salesman)
        as_salesman.action_evaluate_lifecycle()
        self.assertEqual(as_salesman.lifecycle_stage_id, self.stage_new)
        self.assertEqual(as_salesman.lifecycle_history_count, 2)
        with self.assertRaises(AccessError):
            as_salesman.read(["lifecycle_locked"])
        with self.assertRaises(AccessError):
            self.env.ref("crm_lifecycle.rule_lost").with_user(self.salesman).write(
                {"recency_days": 10}
            )
        with self.assertRaises(AccessError):
            self.stage_lost.with_user(self.salesman).write({"name": "Gone"})
