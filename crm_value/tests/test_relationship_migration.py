from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

from .common import load_migration


@tagged("post_install", "-at_install")
class TestRelationshipMigration(BaseCommon):
    """The update to 18.0.1.2.0 keeps the relationship levels people typed:
    a level changed from the shipped one, and those of tiers made by hand,
    are pinned; shipped tiers at their shipped level follow the numbers."""

    def test_update_pins_the_levels_people_typed(self):
        platinum = self.env.ref("crm_value.tier_platinum")
        gold = self.env.ref("crm_value.tier_gold")
        copy = gold.copy({"code": "gold_copy", "active": False})
        self.env.cr.execute(
            # As 18.0.1.1.0 left them: nothing pinned, Gold changed by hand.
            "UPDATE crm_value_tier SET relationship_level_pinned = FALSE;"
            "UPDATE crm_value_tier SET relationship_level = 'partnership'"
            " WHERE id = %s",
            [gold.id],
        )
        migrate = load_migration("crm_value", "18.0.1.2.0", "post-migrate.py").migrate
        migrate(self.env.cr, "18.0.1.1.0")
        self.env["crm.value.tier"].invalidate_model()
        self.assertFalse(platinum.relationship_level_pinned, "still as shipped")
        self.assertTrue(gold.relationship_level_pinned, "changed by hand")
        self.assertTrue(copy.relationship_level_pinned, "made by hand")
