from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestOrderCadence(CrmLifecycleCommon):
    """The customer form tells the order cadence in words, from the facts."""

    def test_cadence_of_a_regular_customer_and_of_a_late_one(self):
        self.env.user.lang = "en_US"
        regular = self._customer("Cadence Regular")
        for day in (-90, -60, -30):
            self._order(regular, day)
        late = self._customer("Cadence Late")
        for day in (-100, -90):
            self._order(late, day)
        never = self._customer("Cadence Never")

        def day(offset):
            return format_date(self.env, self._day(offset))

        self.assertEqual(
            regular.lifecycle_cadence,
            f"3 orders since {day(-90)}, 1.0 a month: usually one every 30 days. "
            f"Last order on {day(-30)}, 30 days ago.",
        )
        self.assertEqual(
            late.lifecycle_cadence,
            f"2 orders since {day(-100)}, 0.6 a month: usually one every 10 days. "
            f"Last order on {day(-90)}, 90 days ago. That is 9.0 times the usual "
            "interval.",
        )
        self.assertEqual(never.lifecycle_cadence, "No confirmed order yet.")
