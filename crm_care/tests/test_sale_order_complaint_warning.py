from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSaleOrderComplaintWarning(HttpCase):
    """Quotations and orders of a customer with open complaints warn of them;
    only those who may read the complaints see which they are."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company

        def user(login, groups):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=company.ids,
            )

        cls.owner = user("cw_owner", "sales_team.group_sale_salesman")
        cls.other = user("cw_other", "sales_team.group_sale_salesman")
        cls.rep = user("cw_rep", "crm_value.group_crm_value_user")
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Peony Tea House",
                "is_company": True,
                "user_id": cls.owner.id,
                "care_user_id": cls.rep.id,
            }
        )
        cls.contact = Partner.create({"name": "Zhou Min", "parent_id": cls.customer.id})
        cls.quiet = Partner.create({"name": "Quiet Porcelain", "is_company": True})
        cls.complaint = cls.env["crm.care.complaint"].create(
            {"subject": "Broken lids in the March box", "partner_id": cls.customer.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Lidded Cup", "type": "consu", "list_price": 12.0}
        )

    def _quotation(self, partner, salesman):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": salesman.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 3}
                    )
                ],
            }
        )

    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _read_warning(self, order):
        [values] = self._call(
            "sale.order",
            "read",
            order.ids,
            ["care_open_complaint_count", "care_complaint_warning"],
        )
        return values["care_open_complaint_count"], values["care_complaint_warning"]

    def test_quotation_warns_until_the_complaint_is_resolved(self):
        order = self._quotation(self.contact, self.owner)
        self.assertEqual(order.care_open_complaint_count, 1)
        self.assertIn(
            "Peony Tea House has an open complaint.", order.care_complaint_warning
        )
        self.assertIn(self.complaint.name, order.care_complaint_warning)
        self.assertFalse(self._quotation(self.quiet, self.owner).care_complaint_warning)

        self.complaint.stage_id = self.env.ref("crm_care.complaint_stage_resolved")
        self.env.invalidate_all()
        self.assertEqual(order.care_open_complaint_count, 0)
        self.assertFalse(order.care_complaint_warning)

    def test_the_form_warns_when_the_customer_is_chosen(self):
        form = Form(self.env["sale.order"].with_user(self.owner))
        form.partner_id = self.customer
        self.assertIn(
            "Peony Tea House has an open complaint.", form.care_complaint_warning
        )
        self.assertIn(self.complaint.subject, form.care_complaint_warning)
        form.partner_id = self.quiet
        self.assertFalse(form.care_complaint_warning)

    def test_confirming_warns_and_confirms(self):
        order = self._quotation(self.customer, self.owner)
        result = order.action_confirm()
        self.assertEqual(order.state, "sale", "a warning, not a block")
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn(self.complaint.subject, result["params"]["message"])
        self.assertEqual(result["params"]["next"]["tag"], "soft_reload")
        # Confirmed, the order still shows the warning.
        self.assertIn(self.complaint.subject, order.care_complaint_warning)
        self.assertIs(self._quotation(self.quiet, self.owner).action_confirm(), True)

    def test_the_complaint_button_opens_the_open_complaints(self):
        order = self._quotation(self.customer, self.owner)
        other_open = self.env["crm.care.complaint"].create(
            {"subject": "Wrong colour", "partner_id": self.customer.id}
        )
        self.env["crm.care.complaint"].create(
            {
                "subject": "Late delivery",
                "partner_id": self.customer.id,
                "stage_id": self.env.ref("crm_care.complaint_stage_closed").id,
            }
        )
        action = order.with_user(self.owner).action_view_care_open_complaints()
        found = (
            self.env["crm.care.complaint"]
            .with_user(self.owner)
            .search(action["domain"])
        )
        self.assertEqual(found, self.complaint | other_open)

    def test_salesman_without_access_gets_the_count_not_the_complaints_over_rpc(self):
        theirs = self._quotation(self.customer, self.other)
        mine = self._quotation(self.customer, self.owner)

        self.authenticate("cw_other", "cw_other")
        count, warning = self._read_warning(theirs)
        self.assertEqual(count, 1)
        self.assertEqual(warning, "Peony Tea House has an open complaint.")
        action = self._call(
            "sale.order", "action_view_care_open_complaints", theirs.ids
        )
        self.assertEqual(
            self._call(
                "crm.care.complaint", "search_read", action["domain"], ["subject"]
            ),
            [],
        )
        result = self._call("sale.order", "action_confirm", theirs.ids)
        self.assertEqual(result["params"]["message"], warning)
        self.assertNotIn(self.complaint.name, str(result))
        self.assertNotIn(self.complaint.subject, str(result))
        theirs.invalidate_recordset(["state"])
        self.assertEqual(theirs.state, "sale")

        self.authenticate("cw_owner", "cw_owner")
        count, warning = self._read_warning(mine)
        self.assertEqual(count, 1)
        self.assertIn(self.complaint.subject, warning)

        self.complaint.stage_id = self.env.ref("crm_care.complaint_stage_resolved")
        self.assertEqual(self._read_warning(mine), (0, False))
