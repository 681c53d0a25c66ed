"""crm.value.company.keyed.mixin: a company-dependent many2one searched and
grouped by its company's key, through a GIN index."""

import json

from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestCompanyKeyedMixin(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other = cls.env["res.company"].create({"name": "Keyed Other Co"})
        cls.env.user.company_ids |= cls.other
        Tier = cls.env["crm.value.tier"]
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.iron = cls.env.ref("crm_value.tier_iron")
        cls.lead = cls.env.ref("crm_value.tier_lead")
        cls.no_tier = Tier
        Partner = cls.env["res.partner"]
        cls.both_gold = Partner.create({"name": "Gold Here And There"})
        cls.gold_here = Partner.create({"name": "Gold Here, Iron There"})
        cls.iron_here = Partner.create({"name": "Iron Here, Nothing There"})
        cls.nothing = Partner.create({"name": "No Tier Anywhere"})
        cls.partners = cls.both_gold | cls.gold_here | cls.iron_here | cls.nothing
        for partner, here, there in (
            (cls.both_gold, cls.gold, cls.gold),
            (cls.gold_here, cls.gold, cls.iron),
            (cls.iron_here, cls.iron, Tier),
        ):
            partner.value_tier_id = here
            partner.with_company(cls.other).value_tier_id = there

    def _search(self, company, domain):
        return (
            self.env["res.partner"]
            .with_company(company)
            .search([("id", "in", self.partners.ids), *domain])
        )

    def test_search_reads_the_tier_of_each_company(self):
        expected = {
            self.company: {
                self.gold: self.both_gold | self.gold_here,
                self.iron: self.iron_here,
            },
            self.other: {self.gold: self.both_gold, self.iron: self.gold_here},
        }
        for company, by_tier in expected.items():
            for tier, partners in by_tier.items():
                with self.subTest(company=company.name, tier=tier.code):
                    self.assertEqual(
                        self._search(company, [("value_tier_id", "=", tier.id)]),
                        partners,
                    )
                    self.assertEqual(
                        self._search(
                            company, [("value_tier_id.code", "in", [tier.code])]
                        ),
                        partners,
                    )
        self.assertEqual(
            self._search(
                self.other, [("value_tier_id", "in", (self.gold | self.iron).ids)]
            ),
            self.both_gold | self.gold_here,
        )
        self.assertEqual(
            self._search(self.other, [("value_tier_id", "=", False)]),
            self.iron_here | self.nothing,
        )
        self.assertEqual(
            self._search(self.company, [("value_tier_id", "in", [])]),
            self.env["res.partner"],
        )

    def test_group_by_reads_the_tier_of_each_company(self):
        for company, expected in (
            (self.company, {self.gold: 2, self.iron: 1, self.no_tier: 1}),
            (self.other, {self.gold: 1, self.iron: 1, self.no_tier: 2}),
        ):
            groups = (
                self.env["res.partner"]
                .with_company(company)
                ._read_group(
                    [("id", "in", self.partners.ids)], ["value_tier_id"], ["__count"]
                )
            )
            self.assertEqual(dict(groups), expected, company.name)

    def test_lists_sort_by_the_tier_of_each_company(self):
        for company, expected in (
            (self.company, [self.iron_here, self.both_gold, self.gold_here]),
            (self.other, [self.gold_here, self.both_gold]),
        ):
            found = (
                self.env["res.partner"]
                .with_company(company)
                .search(
                    [("id", "in", self.partners.ids), ("value_tier_id", "!=", False)],
                    order="value_tier_id desc, id",
                )
            )
            self.assertEqual(found.ids, [p.id for p in expected], company.name)

    def test_equality_is_a_containment_the_gin_index_serves(self):
        Partner = self.env["res.partner"].with_company(self.other)
        sql = Partner._search([("value_tier_id", "=", self.gold.id)]).select()
        self.assertIn("@>", sql.code)
        self.assertIn(json.dumps({str(self.other.id): self.gold.id}), sql.params)
        ordered = Partner._search([], order="value_tier_id").select()
        self.assertIn("->>0)::int4", ordered.code)
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'res_partner'"
            " AND indexname IN %s",
            [
                (
                    "res_partner__value_tier_id_index",
                    "res_partner_value_tier_id_company_key_index",
                )
            ],
        )
        [(name, definition)] = self.env.cr.fetchall()
        self.assertEqual(name, "res_partner_value_tier_id_company_key_index")
        self.assertIn("USING gin (value_tier_id jsonb_path_ops)", definition)

    def test_a_default_for_all_companies_is_left_to_odoo(self):
        """A default tier (ir.default) is read from outside the column: Odoo's
        own SQL applies it, and the partners without a tier match it."""
        self.env["ir.default"].set("res.partner", "value_tier_id", self.lead.id)
        Partner = self.env["res.partner"]
        self.assertFalse(Partner._is_company_key_many2one("value_tier_id"))
        sql = Partner._search([("value_tier_id", "=", self.lead.id)]).select()
        self.assertNotIn("@>", sql.code)
        self.assertEqual(
            self._search(self.other, [("value_tier_id", "=", self.lead.id)]),
            self.iron_here | self.nothing,
        )
