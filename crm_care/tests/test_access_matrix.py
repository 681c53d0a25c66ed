from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

REFUSED = ("odoo.exceptions.AccessError", "odoo.exceptions.ValidationError")


@tagged("post_install", "-at_install")
class TestAccessMatrix(HttpCase):
    """Every role over JSON-RPC, as an attacker would call it: what the forms
    show read-only or hide is refused by the server too."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Second Trading Co."})
        sales_user = "sales_team.group_sale_salesman"
        cls.salesman = new_test_user(cls.env, "matrix_own", groups=sales_user)
        cls.salesman_all = new_test_user(
            cls.env, "matrix_all", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.value_manager = new_test_user(
            cls.env,
            "matrix_manager",
            groups=f"{sales_user},crm_value.group_crm_value_manager",
        )
        cls.admin_2 = new_test_user(
            cls.env,
            "matrix_admin2",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_2.id,
            company_ids=[(6, 0, cls.company_2.ids)],
        )
        Partner = cls.env["res.partner"]
        cls.own_customer = Partner.create(
            {"name": "Own Teahouse", "is_company": True, "user_id": cls.salesman.id}
        )
        cls.other_customer = Partner.create(
            {
                "name": "Other Porcelain",
                "is_company": True,
                "user_id": cls.salesman_all.id,
            }
        )
        cls.portal_partners = Partner.create(
            [
                {"name": "Li Ming", "parent_id": cls.own_customer.id},
                {"name": "Wang Fang", "parent_id": cls.other_customer.id},
            ]
        )
        cls.portal_own, cls.portal_other = (
            new_test_user(
                cls.env,
                login,
                groups="base.group_portal",
                partner_id=partner.id,
            )
            for login, partner in zip(
                ("matrix_portal_a", "matrix_portal_b"), cls.portal_partners, strict=True
            )
        )
        cls.env["crm.value.engine"]._recompute_partners(
            cls.company, (cls.own_customer | cls.other_customer).ids
        )
        Complaint = cls.env["crm.care.complaint"]
        cls.own_complaint = Complaint.create(
            {"subject": "Cracked cups", "partner_id": cls.own_customer.id}
        )
        cls.other_complaint = Complaint.create(
            {"subject": "Late delivery", "partner_id": cls.other_customer.id}
        )
        cls.stage = {
            code: cls.env.ref(f"crm_lifecycle.stage_{code}")
            for code in ("target", "active", "lost")
        }
        cls.gold = cls.env.ref("crm_value.tier_gold")
        cls.system_group = cls.env.ref("base.group_system")

    def call(self, user, model, method, *args, **kwargs):
        """`model.method(*args, **kwargs)` over JSON-RPC as `user`."""
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assertRefused(self, user, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(user, model, method, *args, **kwargs)
        self.assertIn(
            str(caught.exception), REFUSED, f"{user.login}: {model}.{method}{args}"
        )

    def test_amounts_are_read_and_searched_by_managers_only(self):
        customers = (self.own_customer | self.other_customer).ids
        for user in (self.salesman, self.salesman_all, self.portal_own):
            with self.subTest(user=user.login):
                self.assertRefused(
                    user, "res.partner", "read", customers, ["value_net_profit"]
                )
                self.assertRefused(
                    user,
                    "res.partner",
                    "search_read",
                    [("value_net_profit", ">", -1e9)],
                    ["name"],
                )
        rows = self.call(
            self.value_manager, "res.partner", "read", customers, ["value_net_profit"]
        )
        self.assertEqual(len(rows), 2)

    def test_engine_fields_are_written_by_managers_only(self):
        partner = "res.partner"
        own = [self.own_customer.id]
        for user in (self.salesman, self.salesman_all):
            with self.subTest(user=user.login):
                self.assertRefused(
                    user, partner, "write", own, {"value_tier_id": self.gold.id}
                )
                self.assertRefused(
                    user, partner, "write", own, {"value_abc_class": "A"}
                )
                self.assertRefused(
                    user,
                    partner,
                    "write",
                    own,
                    {"lifecycle_stage_id": self.stage["active"].id},
                )
                self.assertRefused(
                    user,
                    partner,
                    "create",
                    {"name": "Forged Platinum", "value_tier_id": self.gold.id},
                )
        # A salesperson moves their own prospect through the pre-sale stages,
        # and nobody else's.
        target = {"lifecycle_stage_id": self.stage["target"].id}
        self.call(self.salesman, partner, "write", own, target)
        self.env.invalidate_all()
        self.assertEqual(self.own_customer.lifecycle_stage_id, self.stage["target"])
        self.assertRefused(
            self.salesman, partner, "write", [self.other_customer.id], target
        )
        self.call(
            self.value_manager,
            partner,
            "write",
            own,
            {
                "value_tier_id": self.gold.id,
                "lifecycle_stage_id": self.stage["lost"].id,
            },
        )
        self.env.invalidate_all()
        self.assertEqual(self.own_customer.value_tier_id, self.gold)
        self.assertEqual(self.own_customer.lifecycle_stage_id, self.stage["lost"])

    def test_representatives_are_handed_by_managers_or_the_salesperson(self):
        partner = "res.partner"
        me = {"care_user_id": self.salesman.id}
        self.assertRefused(
            self.salesman, partner, "write", [self.other_customer.id], me
        )
        self.assertRefused(
            self.salesman,
            "crm.care.complaint",
            "read",
            [self.other_complaint.id],
            ["subject"],
        )
        wizard_id = self.call(
            self.salesman,
            "crm.care.assign.wizard",
            "create",
            {
                "partner_ids": [(6, 0, [self.other_customer.id])],
                "user_id": self.salesman.id,
            },
        )
        self.assertRefused(
            self.salesman, "crm.care.assign.wizard", "action_assign", [wizard_id]
        )
        self.env.invalidate_all()
        self.assertNotEqual(self.other_customer.care_user_id, self.salesman)
        self.call(self.salesman, partner, "write", [self.own_customer.id], me)
        self.env.invalidate_all()
        self.assertEqual(self.own_customer.care_user_id, self.salesman)
        self.call(self.value_manager, partner, "write", [self.other_customer.id], me)
        self.env.invalidate_all()
        self.assertEqual(self.other_customer.care_user_id, self.salesman)

    def test_portal_users_see_nothing_of_how_they_are_rated(self):
        own = self.own_customer.id
        for fname in (
            "value_tier_id",
            "value_abc_class",
            "value_score",
            "value_quadrant",
            "value_rfm_segment_id",
            "value_p_alive",
            "value_tier_description",
            "lifecycle_stage_id",
        ):
            with self.subTest(field=fname):
                self.assertRefused(
                    self.portal_own, "res.partner", "read", [own], [fname]
                )
        for fname in ("root_cause", "cost"):
            with self.subTest(field=fname):
                self.assertRefused(
                    self.portal_own,
                    "crm.care.complaint",
                    "read",
                    [self.own_complaint.id],
                    [fname],
                )
        rows = self.call(
            self.portal_own,
            "crm.care.complaint",
            "read",
            [self.own_complaint.id],
            ["subject"],
        )
        self.assertEqual(rows[0]["subject"], "Cracked cups")
        self.assertRefused(
            self.portal_own,
            "crm.care.complaint",
            "read",
            [self.other_complaint.id],
            ["subject"],
        )
        self.authenticate(self.portal_own.login, self.portal_own.login)
        page = self.url_open(f"/my/complaints/{self.own_complaint.id}")
        self.assertIn("Cracked cups", page.text)
        page = self.url_open(f"/my/complaints/{self.other_complaint.id}")
        self.assertNotIn("Late delivery", page.text)

    def test_configuration_of_every_company_is_not_one_companys_to_change(self):
        shared_rule = self.env.ref("crm_lifecycle.rule_new")
        threshold = self.gold.threshold
        self.assertRefused(
            self.admin_2,
            "crm.lifecycle.rule",
            "write",
            [shared_rule.id],
            {"sequence": 1},
        )
        self.assertRefused(
            self.admin_2, "crm.value.tier", "write", [self.gold.id], {"threshold": 99}
        )
        rule_id = self.call(
            self.admin_2,
            "crm.lifecycle.rule",
            "create",
            {
                "name": "Second company: one order is new",
                "company_id": self.company_2.id,
                "stage_to_id": self.env.ref("crm_lifecycle.stage_new").id,
                "domain": "[('lifecycle_order_count', '>=', 1)]",
            },
        )
        self.assertTrue(self.env["crm.lifecycle.rule"].browse(rule_id).exists())
        self.env.invalidate_all()
        self.assertEqual(self.gold.threshold, threshold)

    def test_rule_conditions_reach_no_record_and_no_environment(self):
        manager, system = self.value_manager.id, self.system_group.id
        escalate = (
            f"[('id', '=', company.env['res.users'].sudo().browse({manager})"
            f".write({{'groups_id': [(4, {system})]}}) and 0)]"
        )
        for domain in (
            escalate,
            "[('id', '=', company.env.cr.execute('SELECT 1') and 0)]",
            "[('id', '=', today.env)]",
        ):
            with self.subTest(domain=domain):
                self.assertRefused(
                    self.value_manager,
                    "crm.lifecycle.rule",
                    "create",
                    {
                        "name": "x",
                        "stage_to_id": self.stage["active"].id,
                        "domain": domain,
                    },
                )
        self.env.invalidate_all()
        self.assertNotIn(self.system_group, self.value_manager.groups_id)
