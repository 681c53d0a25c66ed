from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

# The widely used R x F map the shipped segments must draw. Rows: recency score
# 1..5; columns: frequency score 1..5. Read a row as "customers this recent, by
# how often they buy".
TEXTBOOK_GRID = (
    # F=1            F=2               F=3               F=4         F=5
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R=1
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R=2
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),  # R=3
    ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),
    ("new", "potential_loyalist", "potential_loyalist", "champions", "champions"),
)


@tagged("post_install", "-at_install")
class TestRfmSegments(BaseCommon):
    """The segments shipped as data are the one R x F grid the scoring uses."""

    def _segment(self, code):
        return self.env.ref(f"crm_value.rfm_segment_{code}")

    def test_shipped_segments_draw_the_textbook_grid(self):
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        self.assertEqual(len(grid), 25, "every cell of the grid has a segment")
        for r, row in enumerate(TEXTBOOK_GRID, start=1):
            for f, code in enumerate(row, start=1):
                with self.subTest(recency=r, frequency=f):
                    self.assertEqual(grid[(r, f)], self._segment(code).id)

    def test_every_shipped_segment_holds_a_cell(self):
        shipped = self.env["crm.value.rfm.segment"].search([])
        used = set(self.env["crm.value.rfm.segment"]._get_grid().values())
        self.assertEqual(used, set(shipped.ids))
        self.assertEqual(
            set(shipped.mapped("code")), {code for row in TEXTBOOK_GRID for code in row}
        )

    def test_the_first_segment_by_sequence_takes_a_shared_cell(self):
        loyal, champions = self._segment("loyal"), self._segment("champions")
        loyal.write({"recency_max": 5, "sequence": 1})
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        self.assertEqual(grid[(5, 5)], loyal.id)
        champions.sequence = 0
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        self.assertEqual(grid[(5, 5)], champions.id)

    def test_a_cell_no_active_segment_covers_has_no_segment(self):
        self._segment("new").active = False
        grid = self.env["crm.value.rfm.segment"]._get_grid()
        self.assertNotIn((5, 1), grid)
        self.assertEqual(len(grid), 24)
