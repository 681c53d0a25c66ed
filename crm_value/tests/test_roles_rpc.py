from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

# How the company rates a customer: never shown to the customer.
PARTNER_CLASSIFICATION = (
    "value_tier_id",
    "value_tier_color",
    "value_abc_class",
    "value_tier_description",
    "value_relationship_level",
    "value_date",
    "value_order_count",
    "value_lifetime_order_count",
    "value_first_sale_date",
    "value_last_sale_date",
    "value_avg_days_to_pay",
    "value_snapshot_count",
    "value_rfm_recency",
    "value_rfm_frequency",
    "value_rfm_monetary",
    "value_rfm_segment_id",
    "value_p_alive",
    "value_expected_orders",
    "value_quadrant",
    "value_score",
    "value_net_profit",
    "value_risk_grade",
)
ORDER_CLASSIFICATION = ("value_tier_id", "value_tier_color")


@tagged("post_install", "-at_install")
class TestValueRolesOverRpc(HttpCase):
    """What the web client and any RPC client can do per role: salesmen do
    not write the engines' fields, portal users read nothing of how the
    company rates them, and their portal pages still show."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.platinum = cls.env.ref("crm_value.tier_platinum")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Lotus Porcelain", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Chen Jing",
                "parent_id": cls.customer.id,
                "email": "chen.jing@lotus.example",
            }
        )
        cls.customer.write({"value_tier_id": cls.platinum.id, "value_abc_class": "A"})
        for login, groups in (
            ("cv_rpc_own", "sales_team.group_sale_salesman"),
            ("cv_rpc_all", "sales_team.group_sale_salesman_all_leads"),
        ):
            new_test_user(
                cls.env, login=login, groups=f"{groups},base.group_partner_manager"
            )
        cls.portal_user = new_test_user(
            cls.env,
            login="cv_rpc_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            email=cls.contact.email,
        )
        product = cls.env["product.product"].create(
            {"name": "Blue Vase", "type": "consu", "list_price": 50.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.contact.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        cls.order.action_confirm()
        cls.engine = cls.env["crm.value.engine"]
        cls.engine._recompute_partners(cls.env.company, cls.customer.ids)
        cls.env["crm.value.scoring"]._score_company(cls.env.company)

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @mute_logger("odoo.http")
    def test_salesmen_cannot_write_engine_fields_over_rpc(self):
        for login in ("cv_rpc_own", "cv_rpc_all"):
            self.authenticate(login, login)
            for vals in (
                {"value_tier_id": False},
                {"value_abc_class": "C"},
                {"value_tier_locked": True},
            ):
                with self.subTest(login=login, vals=vals):
                    with self.assertRaises(JsonRpcException) as caught:
                        self._call("res.partner", "write", self.customer.ids, vals)
                    self.assertEqual(
                        caught.exception.args[0], "odoo.exceptions.AccessError"
                    )
                    with self.assertRaises(JsonRpcException):
                        self._call(
                            "res.partner",
                            "web_save",
                            self.customer.ids,
                            vals,
                            specification={},
                        )
            with self.assertRaises(JsonRpcException):
                self._call(
                    "sale.order", "write", self.order.ids, {"value_tier_id": False}
                )
            # Their own edits go through.
            self._call("res.partner", "write", self.customer.ids, {"phone": "12345"})
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.value_tier_id, self.platinum)
        self.assertEqual(self.customer.value_abc_class, "A")
        self.assertEqual(self.order.value_tier_id, self.platinum)

    @mute_logger("odoo.http")
    def test_portal_user_reads_no_classification(self):
        self.authenticate("cv_rpc_portal", "cv_rpc_portal")
        for partner in (self.customer, self.contact):
            for fname in PARTNER_CLASSIFICATION:
                with self.subTest(partner=partner.name, field=fname):
                    with self.assertRaises(JsonRpcException) as caught:
                        self._call("res.partner", "read", partner.ids, [fname])
                    self.assertEqual(
                        caught.exception.args[0], "odoo.exceptions.AccessError"
                    )
        for fname in ORDER_CLASSIFICATION:
            with self.subTest(order=self.order.name, field=fname):
                with self.assertRaises(JsonRpcException):
                    self._call("sale.order", "read", self.order.ids, [fname])
        # They are not even described to them.
        described = self._call("res.partner", "fields_get", attributes=["type"])
        self.assertFalse(set(PARTNER_CLASSIFICATION) & described.keys())
        self.assertIn("name", described)
        described = self._call("sale.order", "fields_get", attributes=["type"])
        self.assertFalse(set(ORDER_CLASSIFICATION) & described.keys())
        # Their own name they do read.
        self.assertEqual(
            self._call("res.partner", "read", self.customer.ids, ["name"])[0]["name"],
            "Lotus Porcelain",
        )
        # Nor can they search by them.
        with self.assertRaises(JsonRpcException):
            self._call(
                "res.partner",
                "search",
                [("value_tier_id", "=", self.platinum.id)],
            )

    def test_portal_pages_still_show(self):
        self.authenticate("cv_rpc_portal", "cv_rpc_portal")
        for url in ("/my", "/my/orders", f"/my/orders/{self.order.id}"):
            with self.subTest(url=url):
                page = self.url_open(url)
                self.assertEqual(page.status_code, 200)
                self.assertNotIn(self.platinum.name, page.text)
        self.assertIn(self.order.name, self.url_open("/my/orders").text)
        self.assertIn(
            self.order.name, self.url_open(f"/my/orders/{self.order.id}").text
        )
