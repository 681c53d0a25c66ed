import re
import xmlrpc.client

from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    """Customers follow and file their complaints in the portal, see only
    their own company's, and anyone can file one through the public form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.alpha = Partner.create({"name": "Alpha Tea House", "is_company": True})
        cls.beta = Partner.create({"name": "Beta Porcelain", "is_company": True})
        cls.alpha_contact = Partner.create(
            {
                "name": "Li Ming",
                "parent_id": cls.alpha.id,
                "email": "li.ming@alpha-tea.example",
            }
        )
        cls.beta_contact = Partner.create(
            {
                "name": "Wang Fang",
                "parent_id": cls.beta.id,
                "email": "wang.fang@beta-porcelain.example",
            }
        )
        cls.alpha_user = new_test_user(
            cls.env,
            login="portal_alpha",
            groups="base.group_portal",
            partner_id=cls.alpha_contact.id,
            email=cls.alpha_contact.email,  # else new_test_user makes one up
        )
        cls.beta_user = new_test_user(
            cls.env,
            login="portal_beta",
            groups="base.group_portal",
            partner_id=cls.beta_contact.id,
            email=cls.beta_contact.email,  # else new_test_user makes one up
        )
        Complaint = cls.env["crm.care.complaint"]
        cls.alpha_complaint = Complaint.create(
            {"subject": "Cracked teapots in the last box", "partner_id": cls.alpha.id}
        )
        cls.alpha_resolved = Complaint.create(
            {
                "subject": "Invoice counted twice",
                "partner_id": cls.alpha.id,
                "resolution": "<p>We refunded the second invoice.</p>",
            }
        )
        cls.alpha_resolved.stage_id = cls.env.ref("crm_care.complaint_stage_resolved")
        cls.beta_complaint = Complaint.create(
            {"subject": "Delivery arrived a week late", "partner_id": cls.beta.id}
        )
        cls.quality = cls.env.ref("crm_care.complaint_category_quality")
        cls.archived_category = cls.env["crm.care.complaint.category"].create(
            {"name": "Retired Category", "active": False}
        )
        product = cls.env["product.product"].create(
            {"name": "Celadon Teapot", "type": "consu", "list_price": 30.0}
        )
        cls.alpha_order, cls.beta_order = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                    ],
                }
                for partner in (cls.alpha, cls.beta)
            ]
        )
        (cls.alpha_order | cls.beta_order).action_confirm()

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _complaints_of(self, partner):
        return self.env["crm.care.complaint"].search([("partner_id", "=", partner.id)])

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------
    def test_portal_lists_and_shows_own_complaints_only(self):
        self.authenticate("portal_alpha", "portal_alpha")
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.alpha_complaint.subject, page.text)
        self.assertIn(self.alpha_complaint.name, page.text)
        self.assertIn(self.alpha_resolved.subject, page.text)
        self.assertNotIn(self.beta_complaint.subject, page.text)

        # The open filter leaves the resolved complaint out.
        page = self.url_open("/my/complaints?filterby=open&sortby=stage")
        self.assertIn(self.alpha_complaint.subject, page.text)
        self.assertNotIn(self.alpha_resolved.subject, page.text)

        detail = self.url_open(self.alpha_complaint.access_url)
        self.assertEqual(detail.status_code, 200)
        self.assertIn(self.alpha_complaint.subject, detail.text)
        self.assertIn("We will answer by", detail.text)
        self.assertIn("o_portal_chatter", detail.text)

        resolved = self.url_open(self.alpha_resolved.access_url)
        self.assertIn("We refunded the second invoice.", resolved.text)
        self.assertNotIn("We will answer by", resolved.text)

        # Another customer's complaint: sent back to /my, nothing shown.
        other = self.url_open(self.beta_complaint.access_url, allow_redirects=False)
        self.assertEqual(other.status_code, 303)
        self.assertTrue(other.headers["Location"].endswith("/my"))
        other = self.url_open(self.beta_complaint.access_url)
        self.assertNotIn(self.beta_complaint.subject, other.text)

    def test_home_counts_complaints(self):
        self.authenticate("portal_alpha", "portal_alpha")
        home = self.url_open("/my")
        self.assertIn('data-placeholder_count="complaint_count"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["complaint_count"]}
        )
        self.assertEqual(counters["complaint_count"], 2)

    def test_anonymous_visitor_is_sent_to_login(self):
        response = self.url_open(self.alpha_complaint.access_url)
        self.assertIn("/web/login", response.url)
        self.assertNotIn(self.alpha_complaint.subject, response.text)

    # ------------------------------------------------------------------
    # RPC: the record rules, not only the pages
    # ------------------------------------------------------------------
    def test_rpc_reads_own_complaints_only(self):
        db, uid, password = self.env.cr.dbname, self.alpha_user.id, "portal_alpha"
        rows = self.xmlrpc_object.execute_kw(
            db, uid, password, "crm.care.complaint", "search_read", [[]],
            {"fields": ["subject", "partner_id"]},
        )  # fmt: skip
        self.assertEqual(
            {row["id"] for row in rows},
            {self.alpha_complaint.id, self.alpha_resolved.id},
        )
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self.xmlrpc_object.execute_kw(
                db, uid, password, "crm.care.complaint", "read",
                [[self.beta_complaint.id]], {"fields": ["subject"]},
            )  # fmt: skip
        self.assertEqual(error.exception.faultCode, 4)  # access error
        # Filing or changing goes through the portal form, never straight in.
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self.xmlrpc_object.execute_kw(
                db, uid, password, "crm.care.complaint", "create",
                [{"subject": "Sneaky", "partner_id": self.beta.id}],
            )  # fmt: skip
        self.assertEqual(error.exception.faultCode, 4)
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self.xmlrpc_object.execute_kw(
                db, uid, password, "crm.care.complaint", "write",
                [[self.alpha_complaint.id], {"partner_id": self.beta.id}],
            )  # fmt: skip
        self.assertEqual(error.exception.faultCode, 4)
        self.assertEqual(self.alpha_complaint.partner_id, self.alpha)

    # ------------------------------------------------------------------
    # Filing from /my
    # ------------------------------------------------------------------
    def test_portal_files_complaint_for_own_company(self):
        self.authenticate("portal_alpha", "portal_alpha")
        form = self.url_open("/my/complaints/new")
        for field in ("subject", "category_id", "order_id", "description"):
            self.assertRegex(
                form.text, rf'<(input|select|textarea)[^>]* name="{field}"'
            )
        self.assertIn(self.quality.name, form.text)
        self.assertNotIn(self.archived_category.name, form.text)
        self.assertIn(self.alpha_order.name, form.text)
        self.assertNotIn(self.beta_order.name, form.text)

        csrf = CSRF_RE.search(form.text).group(1)
        response = self.url_open(
            "/my/complaints/new",
            data={
                "csrf_token": csrf,
                "subject": "Lids do not fit",
                "category_id": self.quality.id,
                "order_id": self.alpha_order.id,
                "description": "Six of the twelve lids\nare too small.",
                # Tampering: none of these may be taken from the form.
                "partner_id": self.beta.id,
                "contact_id": self.beta_contact.id,
                "channel": "phone",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["crm.care.complaint"].search(
            [("subject", "=", "Lids do not fit")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertTrue(response.url.split("?")[0].endswith(complaint.access_url))
        self.assertIn(complaint.name, response.text)
        self.assertIn("we received your complaint", response.text)
        self.assertEqual(complaint.partner_id, self.alpha)
        self.assertEqual(complaint.contact_id, self.alpha_contact)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.category_id, self.quality)
        self.assertEqual(complaint.document_ref, self.alpha_order)
        self.assertIn("are too small", complaint.description)
        self.assertIn(self.alpha_contact, complaint.message_partner_ids)

    def test_portal_form_rejects_bad_input(self):
        self.authenticate("portal_alpha", "portal_alpha")
        before = self._complaints_of(self.alpha)
        csrf = self._csrf("/my/complaints/new")
        cases = [
            ({"subject": "  "}, "Please tell us in a few words what went wrong."),
            (
                {"subject": "Wrong order", "order_id": self.beta_order.id},
                "Please choose one of your orders from the list.",
            ),
            (
                {"subject": "Old", "category_id": self.archived_category.id},
                "Please choose a category from the list.",
            ),
            ({"subject": "x" * 201}, "The subject is too long"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.url_open(
                    "/my/complaints/new", data=dict(data, csrf_token=csrf)
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        # Without the CSRF token the post is refused outright.
        response = self.url_open("/my/complaints/new", data={"subject": "No token"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._complaints_of(self.alpha), before)

    # ------------------------------------------------------------------
    # The public form
    # ------------------------------------------------------------------
    def test_public_form_matches_customer_by_email(self):
        form = self.url_open("/complaint")
        for field in ("name", "email", "phone", "subject", "description"):
            self.assertRegex(form.text, rf'<(input|textarea)[^>]* name="{field}"')
        self.assertIn("</textarea>", form.text)
        csrf = CSRF_RE.search(form.text).group(1)
        response = self.url_open(
            "/complaint",
            data={
                "csrf_token": csrf,
                "name": "Li Ming",
                "email": "  Li.Ming@Alpha-Tea.example ",
                "phone": "+86 21 5555 0101",
                "subject": "Chipped cups",
                "description": "Two cups arrived chipped.",
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["crm.care.complaint"].search(
            [("subject", "=", "Chipped cups")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertIn("Thank you", response.text)
        self.assertIn(complaint.name, response.text)
        self.assertEqual(complaint.partner_id, self.alpha)
        self.assertEqual(complaint.contact_id, self.alpha_contact)
        self.assertEqual(complaint.channel, "web")
        self.assertEqual(complaint.phone, "+86 21 5555 0101")
        # ... and Alpha's portal user now sees it.
        self.authenticate("portal_alpha", "portal_alpha")
        self.assertIn("Chipped cups", self.url_open("/my/complaints").text)

    def test_public_form_unknown_email_keeps_address(self):
        csrf = self._csrf("/complaint")
        self.url_open(
            "/complaint",
            data={
                "csrf_token": csrf,
                "name": "Zhao Lei",
                "email": "zhao.lei@unknown-shop.example",
                "subject": "Rude driver",
                "description": "The driver shouted at my staff.",
            },
        )
        complaint = self.env["crm.care.complaint"].search(
            [("subject", "=", "Rude driver")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.contact_id)
        self.assertEqual(complaint.channel, "web")
        self.assertIn("zhao.lei@unknown-shop.example", complaint.email_from)
        self.assertIn("Zhao Lei", complaint.email_from)

    def test_public_form_rejects_bad_input(self):
        Complaint = self.env["crm.care.complaint"]
        count = Complaint.search_count([])
        csrf = self._csrf("/complaint")
        valid = {
            "csrf_token": csrf,
            "name": "Zhao Lei",
            "email": "zhao.lei@unknown-shop.example",
            "subject": "Rude driver",
            "description": "The driver shouted.",
        }
        cases = [
            ({"description": ""}, "Please tell us what happened."),
            ({"email": "not-an-address"}, "Please enter a valid email address."),
            ({"subject": "x" * 201}, "The subject is too long"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                response = self.url_open("/complaint", data=dict(valid, **change))
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        valid.pop("csrf_token")
        self.assertEqual(self.url_open("/complaint", data=valid).status_code, 400)
        self.assertEqual(Complaint.search_count([]), count)

    # ------------------------------------------------------------------
    # The portal chatter
    # ------------------------------------------------------------------
    def test_portal_user_writes_in_chatter(self):
        self.authenticate("portal_alpha", "portal_alpha")
        post_data = {
            "body": "Still waiting for the new teapots.",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
        }
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.care.complaint",
                "thread_id": self.alpha_complaint.id,
                "post_data": post_data,
            },
        )
        message = self.alpha_complaint.message_ids.filtered(
            lambda m: "Still waiting" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.alpha_contact)
        # A customer's message is not our answer: the response clock runs on.
        self.assertFalse(self.alpha_complaint.date_responded)
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "crm.care.complaint",
                    "thread_id": self.beta_complaint.id,
                    "post_data": post_data,
                },
            )
        self.assertFalse(
            self.beta_complaint.message_ids.filtered(
                lambda m: "Still waiting" in (m.body or "")
            )
        )
