from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .test_dashboard import AMOUNT_KEYS, keys_of


@tagged("post_install", "-at_install")
class TestDashboardOverRpc(HttpCase):
    """What the web client receives: a Customer Value user's answer carries
    no amount at all, whatever they ask for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Elsewhere Ltd"})
        for login, group in (
            ("cv_dash_rpc_user", "crm_value.group_crm_value_user"),
            ("cv_dash_rpc_manager", "crm_value.group_crm_value_manager"),
        ):
            new_test_user(cls.env, login=login, groups=group)
        # Customers of this company with figures, so the tiles hold some.
        cls.customer = cls.env["res.partner"].create(
            {"name": "Jade Teahouse", "is_company": True}
        )
        cls.env["crm.value.engine"]._recompute_partners(cls.company, cls.customer.ids)
        cls.env["crm.value.scoring"]._refresh_company(cls.company)

    def _call(self, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/crm.value.dashboard/{method}",
            {
                "model": "crm.value.dashboard",
                "method": method,
                "args": list(args),
                "kwargs": kwargs,
            },
        )

    def _tier_counts(self):
        groups = (
            self.env["crm.value.snapshot"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", self.company.id),
                    ("is_current", "=", True),
                    ("tier_id", "!=", False),
                ],
                ["tier_id"],
                ["__count"],
            )
        )
        return {tier.id: count for tier, count in groups}

    def test_user_receives_counts_and_no_amount(self):
        self.authenticate("cv_dash_rpc_user", "cv_dash_rpc_user")
        data = self._call("get_dashboard_data", period_months=12)
        self.assertFalse(data["show_amounts"])
        self.assertFalse(AMOUNT_KEYS & keys_of(data), "no amount over the wire")
        counts = self._tier_counts()
        self.assertEqual(
            {t["id"]: t["count"] for t in data["sections"]["pyramid"]["tiers"]},
            {
                t["id"]: counts.get(t["id"], 0)
                for t in data["sections"]["pyramid"]["tiers"]
            },
        )

    def test_manager_receives_the_amounts(self):
        self.authenticate("cv_dash_rpc_manager", "cv_dash_rpc_manager")
        data = self._call("get_dashboard_data", period_months=6)
        self.assertTrue(data["show_amounts"])
        self.assertIn("pareto", data["sections"])
        self.assertIn("profit", data["sections"]["pyramid"]["tiers"][0])

    @mute_logger("odoo.http")
    def test_user_cannot_reach_amounts_or_other_companies(self):
        self.authenticate("cv_dash_rpc_user", "cv_dash_rpc_user")
        with self.assertRaises(JsonRpcException):
            self._call(
                "_get_dashboard_pareto", self.company.id
            )  # private: not callable over RPC
        with self.assertRaises(JsonRpcException):
            self._call(
                "get_dashboard_data",
                period_months=12,
                context={"allowed_company_ids": [self.other_company.id]},
            )
        with self.assertRaises(JsonRpcException):
            self._call("get_dashboard_data", period_months=1200)
