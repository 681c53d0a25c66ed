from contextlib import contextmanager

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import convert_file, mute_logger

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestTierConfiguration(BaseCommon):
    """Who edits the tiers shared by every company, what a tier accepts, and
    tier sets broken by data files refused at the end of the load."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platinum = cls.env.ref("crm_value.tier_platinum")
        cls.lead = cls.env.ref("crm_value.tier_lead")
        cls.company_1 = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Second Tea Company"})
        cls.manager_2 = new_test_user(
            cls.env,
            login="cv_tiers_manager_2",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.manager_all = new_test_user(
            cls.env,
            login="cv_tiers_manager_all",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_1.id,
            company_ids=[Command.set(cls.env["res.company"].search([]).ids)],
        )

    @contextmanager
    def assertRefused(self, words):
        """A ValidationError whose message holds `words` (rolled back)."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertIn(words, str(caught.exception))

    def _tier(self, **values):
        return {
            "name": "Diamond",
            "code": "diamond",
            "sequence": 1,
            "rule_type": "profit_share",
            "threshold": 20.0,
            **values,
        }

    # ------------------------------------------------------------------
    # Shared tiers
    # ------------------------------------------------------------------
    def test_manager_of_one_company_leaves_shared_tiers_alone(self):
        platinum = self.platinum.with_user(self.manager_2)
        with self.assertRaises(AccessError):
            platinum.write({"threshold": 30.0})
        with self.assertRaises(AccessError):
            platinum.unlink()
        with self.assertRaises(AccessError):
            self.env["crm.value.tier"].with_user(self.manager_2).create(
                self._tier(company_id=False)
            )
        segment = self.env.ref("crm_value.rfm_segment_champions")
        with self.assertRaises(AccessError):
            segment.with_user(self.manager_2).write({"name": "Ours"})
        self.assertEqual(self.platinum.threshold, 50.0)
        self.assertTrue(self.platinum.exists())

    def test_manager_of_one_company_makes_its_own_tiers(self):
        """The company's own set, copied from the shared one in one click,
        replaces it for that company alone."""
        Tier = (
            self.env["crm.value.tier"]
            .with_user(self.manager_2)
            .with_company(self.company_2)
        )
        shared = Tier._get_company_tiers(self.company_1)
        Tier.action_make_company_tier_set()
        own = Tier._get_company_tiers(self.company_2)
        self.assertEqual(own.mapped("code"), shared.mapped("code"))
        self.assertEqual(own.company_id, self.company_2)
        own.filtered(lambda tier: tier.code == "platinum").threshold = 40.0
        diamond = Tier.create(self._tier(company_id=self.company_2.id))
        diamond.write({"threshold": 25.0})
        self.assertEqual(
            Tier._get_company_tiers(self.company_2)[0], diamond, "tried first"
        )
        self.assertEqual(
            self.env["crm.value.tier"]._get_company_tiers(self.company_1), shared
        )
        self.assertEqual(self.platinum.threshold, 50.0, "company 1 keeps its tiers")
        diamond.unlink()
        with self.assertRaises(UserError):
            Tier.action_make_company_tier_set()

    def test_manager_of_every_company_edits_shared_tiers(self):
        self.platinum.with_user(self.manager_all).write({"threshold": 40.0})
        self.assertEqual(self.platinum.threshold, 40.0)

    # ------------------------------------------------------------------
    # What a tier accepts
    # ------------------------------------------------------------------
    def test_a_shared_code_is_used_once(self):
        Tier = self.env["crm.value.tier"]
        with self.assertRefused("already used"):
            Tier.create(self._tier(code="platinum"))
        # A company may have its own tier of that code.
        Tier.with_company(self.company_2).action_make_company_tier_set()
        own = Tier.search(
            [("code", "=", "platinum"), ("company_id", "=", self.company_2.id)]
        )
        self.assertTrue(own)
        with self.assertRefused("already used"):
            Tier.create(self._tier(code="platinum", company_id=self.company_2.id))
        with self.assertRefused("already used"):
            own.company_id = False
        # The database holds it whatever writes the rows.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """
                INSERT INTO crm_value_tier (name, code, sequence, active, rule_type,
                                            threshold, relationship_level)
                VALUES ('{"en_US": "Twin"}', 'platinum', 70, TRUE, 'profit_share',
                        100, 'basic')
                """
            )

    def test_thresholds_must_be_numbers(self):
        Tier = self.env["crm.value.tier"]
        for rule_type, value in (
            ("profit_min", float("nan")),
            ("profit_max", float("inf")),
            ("profit_min", float("-inf")),
            ("profit_share", float("nan")),
        ):
            with self.subTest(rule_type=rule_type, value=value):
                with self.assertRefused("must be a number"):
                    Tier.create(
                        self._tier(code="odd", rule_type=rule_type, threshold=value)
                    )
                with self.assertRefused("must be a number"):
                    self.lead.write({"threshold": value})
        self.assertEqual(self.lead.threshold, 0.0)

    # ------------------------------------------------------------------
    # Tier sets from data files
    # ------------------------------------------------------------------
    def _load(self, filename):
        convert_file(
            self.env,
            "crm_value",
            f"tests/data/{filename}",
            {},
            mode="init",
            noupdate=False,
        )

    def _end_of_load(self):
        self.env["ir.model.data"]._process_end([])

    def test_data_file_archiving_lead_fails_the_load(self):
        self._load("tiers_archive_lead.xml")
        self.assertFalse(self.lead.active)
        with self.assertRefused("Loss-making customers"):
            self._end_of_load()

    def test_data_file_leaving_a_gap_fails_the_load(self):
        self._load("tiers_with_gap.xml")
        with self.assertRefused("Some profitable customers"):
            self._end_of_load()

    def test_data_file_sound_at_its_end_loads(self):
        self._load("tiers_replace_lead.xml")
        self._end_of_load()
        tiers = self.env["crm.value.tier"]._get_company_tiers(self.company_1)
        self.assertEqual(tiers[-1].code, "test_loss")
        self.assertNotIn(self.lead, tiers)
