from datetime import datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import new_test_user

from odoo.addons.crm_value.tests.common import CrmValueCommon


class CrmLifecycleCommon(CrmValueCommon):
    """Customers with dated orders, and helpers that evaluate their lifecycle
    with the clock moved to a given day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "lifecycle_at_risk_days": 90,
                "lifecycle_at_risk_factor": 3.0,
                "lifecycle_lost_days": 180,
                "lifecycle_lost_factor": 6.0,
                "lifecycle_at_risk_p_alive": 0.3,
                "lifecycle_active_days": 180,
                "lifecycle_loyal_order_count": 5,
                "lifecycle_loyal_tenure_days": 365,
            }
        )
        cls.today = cls.company._get_value_today()
        cls.lifecycle = cls.env["crm.lifecycle.engine"]
        # Activity plans that start by themselves (customer care) would add
        # their own activities: these tests look at the lifecycle alone.
        cls.env["mail.activity.plan"].search([]).active = False
        for code in (
            "reserve",
            "target",
            "potential",
            "opportunity",
            "new",
            "active",
            "loyal",
            "at_risk",
            "lost",
        ):
            setattr(cls, f"stage_{code}", cls.env.ref(f"crm_lifecycle.stage_{code}"))
        cls.salesman = new_test_user(
            cls.env,
            login="lc_salesman",
            groups="sales_team.group_sale_salesman",
            lang="en_US",
        )

    def _day(self, offset):
        return self.today + timedelta(days=offset)

    def _order(self, customer, day, company=None):
        """A confirmed order of the service, dated `day` days from today."""
        Order = self.env["sale.order"].with_company(company or self.company)
        order = Order.create(
            {
                "partner_id": customer.id,
                "company_id": (company or self.company).id,
                "order_line": [
                    (0, 0, {"product_id": self.service.id, "price_unit": 100.0})
                ],
            }
        )
        order.action_confirm()
        order.date_order = self._day(day)
        return order

    def _moment(self, offset):
        """The first moment (naive UTC) of the company's day `offset` days from
        today: for today, never later than now, whatever the hour in UTC."""
        tz = pytz.timezone(self.company._get_value_tz())
        start = tz.localize(datetime.combine(self._day(offset), time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    def _evaluate(self, *customers, day=0, company=None):
        """Evaluate the customers as the engine does, with the clock on `day`."""
        with freeze_time(self._moment(day)):
            return self.lifecycle._evaluate_partners(
                company or self.company, [c.id for c in customers]
            )

    def _history(self, customer, company=None):
        return self.env["crm.lifecycle.history"].search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", (company or self.company).id),
            ],
            order="date, id",
        )

    def assertPath(self, customer, codes, company=None):
        self.assertEqual(
            [move.stage_to_id.code for move in self._history(customer, company)], codes
        )
