import json
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, config, mute_logger

from odoo.addons.crm_value.tests.common import load_migration

from .common import CrmLifecycleCommon

SECRET = "master-password-never-shown"

RULE_LOGGER = "odoo.addons.crm_lifecycle.models.crm_lifecycle_rule"


class RuleSafetyCommon(CrmLifecycleCommon):
    """A Customer Value manager, a victim, conditions that attack, rules
    written by SQL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cvm = new_test_user(
            cls.env,
            login="lc_value_manager",
            groups="crm_value.group_crm_value_manager",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.system = cls.env.ref("base.group_system")
        cls.victim = cls._customer("Victim Co", ref="untouched")

    def _attacks(self):
        """Conditions that would run code as whoever evaluates them."""
        grant = (
            f".browse({self.cvm.id}).write({{'groups_id': [(4, {self.system.id})]}})"
        )
        sql = f"\"UPDATE res_partner SET ref = 'pwned' WHERE id = {self.victim.id}\""
        return [
            f"[('id', '=', company.env['res.users'].sudo(){grant} and 0)]",
            f"[('id', '=', company.env.cr.execute({sql}) and 0)]",
            f"[('id', '=', company.partner_id.env.cr.execute({sql}) and 0)]",
            "[('id', '=', company.sudo().env['res.partner']"
            f".browse({self.victim.id}).write({{'ref': 'pwned'}}) and 0)]",
            f"[('id', '=', company.user_ids[0].env['res.users']{grant} and 0)]",
            f"[('id', '=', env['res.users']{grant} and 0)]",
            f"[('id', '=', cr.execute({sql}) and 0)]",
            f"[('id', '=', user.env.cr.execute({sql}) and 0)]",
            "[('id', '=', today.__class__)]",
            # str.format reaches attributes safe_eval does not see: the
            # server's master password, through a module's globals.
            "[('name', '{0.__init__.__globals__[calendar].sys.modules"
            "[odoo.tools.config].config.options[admin_passwd]}'"
            ".format(relativedelta), 1)]",
            "[('name', '=', '{0.__class__}'.format_map({0: today}))]",
            "[('name', '=', [x for x in (1, 2)][0])]",
            "[('name', '=', (lambda: 1)())]",
        ]

    def assertNothingRan(self):
        self.env.invalidate_all()
        self.assertFalse(self.cvm.has_group("base.group_system"))
        self.assertEqual(self.victim.ref, "untouched")

    def _insert_rule(self, domain, stage_to, sequence=1):
        """A rule written by SQL (a restored backup, another addon's data):
        no constraint checked it."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO crm_lifecycle_rule (name, sequence, active, stage_to_id,
                   domain, recency_condition, recency_threshold, recency_days,
                   recency_interval_factor, create_uid, write_uid, create_date,
                   write_date)
            VALUES (%s, %s, TRUE, %s, %s, 'none', 'custom', 0, 0, 1, 1, now(), now())
            RETURNING id
            """,
                json.dumps({"en_US": f"Inserted {sequence}"}),
                sequence,
                stage_to.id,
                domain,
            )
        )
        return self.env["crm.lifecycle.rule"].browse(self.env.cr.fetchone()[0])


@tagged("post_install", "-at_install")
class TestRuleSafety(RuleSafetyCommon):
    """A rule's condition is data: it reads plain values, never a record, an
    environment or a cursor, at save and at night."""

    def test_condition_reaching_records_is_refused_at_save(self):
        Rule = self.env["crm.lifecycle.rule"].with_user(self.cvm)
        own_rule = Rule.create(
            {
                "name": "Mine",
                "company_id": self.company.id,
                "stage_to_id": self.stage_loyal.id,
                "domain": "[('value_order_count', '>=', 2)]",
            }
        )
        for domain in self._attacks():
            with (
                self.subTest(domain=domain),
                patch.dict(config.options, {"admin_passwd": SECRET}),
            ):
                with (
                    self.assertRaises(ValidationError) as caught,
                    self.env.cr.savepoint(),
                ):
                    Rule.create(
                        {
                            "name": "x",
                            "company_id": self.company.id,
                            "stage_to_id": self.stage_lost.id,
                            "domain": domain,
                        }
                    )
                self.assertIn("Lifecycle rule x is refused", str(caught.exception))
                self.assertNotIn(SECRET, str(caught.exception), "no secret shown")
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    own_rule.write({"domain": domain})
                self.assertNothingRan()
        self.assertEqual(own_rule.domain, "[('value_order_count', '>=', 2)]")

    def test_condition_already_in_the_table_is_not_run_at_night(self):
        customers = [self._customer(f"Buyer {n}") for n in range(2)]
        for customer in customers:
            self._order(customer, -10)
        rules = [
            self._insert_rule(domain, self.stage_lost, sequence=n)
            for n, domain in enumerate(self._attacks(), start=1)
        ]
        self.company.lifecycle_last_full_evaluation = self._day(-1)
        with self.assertLogs(RULE_LOGGER, level="WARNING"):
            # The nightly evaluation, as the cron runs it: the superuser.
            self.lifecycle.sudo()._cron_evaluate_lifecycle()
        self.assertNothingRan()
        for customer in customers:
            self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        for rule in rules:
            self.assertTrue(rule.problem)
        self.assertIn("company", rules[0].problem)

    def test_old_company_settings_are_refused_with_their_plain_names(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["crm.lifecycle.rule"].with_user(self.cvm).create(
                {
                    "name": "Old style",
                    "company_id": self.company.id,
                    "stage_to_id": self.stage_loyal.id,
                    "domain": "[('lifecycle_order_count', '>=', "
                    "company.lifecycle_loyal_order_count)]",
                }
            )
        self.assertIn(
            "loyal_order_count instead of company.lifecycle_loyal_order_count",
            str(caught.exception),
        )

    def test_shipped_rules_read_the_settings_as_numbers(self):
        customer = self._customer("Three Orders Since Last Year")
        for day in (-400, -20, -10):
            self._order(customer, day)
        self._evaluate(customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_active)
        self.company.lifecycle_loyal_order_count = 3
        self._evaluate(customer, day=1)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_loyal)
        for rule in self.env["crm.lifecycle.rule"].search([]):
            self.assertNotIn("company", rule.domain)
            self.assertIsNone(rule._get_problem(), rule.name)

    def test_migration_rewrites_old_conditions(self):
        rule = self._insert_rule(
            "[('lifecycle_order_count', '>=', company.lifecycle_loyal_order_count), "
            "('lifecycle_last_order_date', '>=', "
            "today - relativedelta(days=company.lifecycle_active_days))]",
            self.stage_loyal,
        )
        attack = self._insert_rule(self._attacks()[0], self.stage_lost, sequence=2)
        before = attack.domain
        migration = load_migration("crm_lifecycle", "18.0.1.1.0", "post-migrate.py")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            rule.domain,
            "[('lifecycle_order_count', '>=', loyal_order_count), "
            "('lifecycle_last_order_date', '>=', "
            "today - relativedelta(days=active_days))]",
        )
        self.assertIsNone(rule._get_problem())
        self.assertEqual(attack.domain, before)
        self.assertNothingRan()


@tagged("post_install", "-at_install")
class TestBrokenRules(RuleSafetyCommon):
    """A rule that stops working is skipped and reported; every other rule
    still evaluates everyone."""

    def _activities(self, rule):
        return self.env["mail.activity"].search(
            [("res_model", "=", rule._name), ("res_id", "=", rule.id)]
        )

    def test_rule_on_a_field_gone_with_an_addon_is_skipped_and_reported(self):
        customer = self._customer("Happy Buyer")
        self._order(customer, -10)
        gone = self._insert_rule(
            "[('x_care_csat_gone', 'in', [1, 2])]", self.stage_at_risk
        )
        with self.assertLogs(RULE_LOGGER, level="WARNING") as logs:
            self._evaluate(customer)
        self.assertIn("x_care_csat_gone", logs.output[0])
        self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        self.assertIn("x_care_csat_gone", gone.problem)
        self.assertIn(self.company.name, gone.problem)
        self.assertEqual(gone.problem_date, self.today)
        self.assertEqual(gone.problem_company_id, self.company)
        self.assertIn(
            gone,
            self.env["crm.lifecycle.rule"].search([("problem", "!=", False)]),
        )
        # The managers are told once, not every night.
        activities = self._activities(gone)
        self.assertIn(self.cvm, activities.user_id)
        self.assertEqual(len(activities.filtered(lambda a: a.user_id == self.cvm)), 1)
        with mute_logger(RULE_LOGGER):
            self._evaluate(customer, day=1)
        self.assertEqual(self._activities(gone), activities)
        # Fixed and saved: no problem until the next evaluation finds one.
        gone.sudo().write({"domain": "[('value_order_count', '>=', 100)]"})
        self.assertFalse(gone.problem)
        self._evaluate(customer, day=2)
        self.assertFalse(gone.problem)

    def test_rule_on_a_field_that_cannot_be_searched_is_refused_and_skipped(self):
        domain = "[('lifecycle_history_count', '>', 0)]"
        with self.assertRaises(ValidationError) as caught:
            self.env["crm.lifecycle.rule"].with_user(self.cvm).create(
                {
                    "name": "Moved before",
                    "company_id": self.company.id,
                    "stage_to_id": self.stage_lost.id,
                    "domain": domain,
                }
            )
        self.assertIn("res.partner.lifecycle_history_count", str(caught.exception))
        self.assertIn("cannot be searched", str(caught.exception))
        # Already in the table: skipped, not read as "every customer".
        unsearchable = self._insert_rule(domain, self.stage_lost)
        customer = self._customer("Steady Buyer")
        self._order(customer, -10)
        with self.assertLogs(RULE_LOGGER, level="WARNING"):
            self._evaluate(customer)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_new)
        self.assertIn("lifecycle_history_count", unsearchable.problem)

    def test_condition_valid_only_some_days_is_skipped_on_the_others(self):
        rule = self._insert_rule(
            "[('lifecycle_first_order_date', '<=', today.replace(day=31))]",
            self.stage_lost,
        )
        customer = self._customer("Monthly Prospect")
        with self.assertLogs(RULE_LOGGER, level="WARNING"), freeze_time("2026-11-15"):
            self.lifecycle._evaluate_partners(self.company, customer.ids)
        self.assertIn("day is out of range", rule.problem)
        self.assertEqual(customer.lifecycle_stage_id, self.stage_reserve)
