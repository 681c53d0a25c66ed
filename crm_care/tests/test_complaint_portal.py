import xmlrpc.client

from odoo.tests import JsonRpcException, tagged

from .common import CSRF_RE, CarePortalCommon


@tagged("post_install", "-at_install")
class TestComplaintPortal(CarePortalCommon):
    """Customers follow and file their complaints in the portal, see only
    their own company's, and read nothing of how we handle and rate them."""

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

    def test_rpc_reads_nothing_of_how_we_handle_and_rate_the_customer(self):
        db, password = self.env.cr.dbname, "portal_alpha"
        uid = self.alpha_user.id
        self.alpha_complaint.write(
            {
                "root_cause": "Packed by a temp without training",
                "pdca_plan": "Train the packers",
                "category_id": self.quality.id,
                "cost": 120.0,
            }
        )

        def read(model, ids, fields):
            return self.xmlrpc_object.execute_kw(
                db, uid, password, model, "read", [ids], {"fields": fields}
            )

        internal = {
            "crm.care.complaint": (
                [self.alpha_complaint.id],
                [
                    "root_cause",
                    "pdca_plan",
                    "pdca_do",
                    "pdca_check",
                    "pdca_act",
                    "cost",
                    "sla_policy_id",
                    "sla_compliance",
                    "sla_escalated",
                    "response_warning_date",
                    "resolution_warning_date",
                    "team_id",
                    "csat_score",
                    "satisfied",
                    "web_email",
                    "web_remote_addr",
                ],
            ),  # fmt: skip
            "res.partner": (
                [self.alpha.id, self.alpha_contact.id],
                [
                    "care_nps",
                    "care_nps_last",
                    "care_nps_last_class",
                    "care_csat_last",
                    "care_csat_avg",
                    "care_team_id",
                    "care_event_ids",
                    "care_event_count",
                    "care_survey_answer_ids",
                    "care_complaint_ids",
                    "care_complaint_count",
                    "care_complaint_open_count",
                    "care_complaint_resolution_days",
                    "care_complaint_satisfied_percent",
                ],
            ),  # fmt: skip
            "crm.care.complaint.category": ([self.quality.id], ["cost"]),
        }
        for model, (ids, fnames) in internal.items():
            for fname in fnames:
                with self.subTest(model=model, field=fname):
                    with self.assertRaises(xmlrpc.client.Fault) as error:
                        read(model, ids, [fname])
                    self.assertEqual(error.exception.faultCode, 4)
            # Nor are they described to the portal user.
            described = self.xmlrpc_object.execute_kw(
                db, uid, password, model, "fields_get", [], {"attributes": ["type"]}
            )
            self.assertFalse(set(fnames) & set(described))
        # What is meant for the customer stays readable.
        [row] = read(
            "crm.care.complaint",
            [self.alpha_complaint.id],
            ["subject", "stage_id", "response_deadline", "category_id"],
        )
        self.assertEqual(row["subject"], self.alpha_complaint.subject)
        [row] = read("res.partner", [self.alpha.id], ["name", "care_user_id"])
        self.assertEqual(row["name"], self.alpha.name)
        # ... and so do the portal pages, showing the customer's own only.
        self.authenticate("portal_alpha", "portal_alpha")
        detail = self.url_open(self.alpha_complaint.access_url)
        self.assertIn(self.alpha_complaint.subject, detail.text)
        self.assertIn(self.quality.name, detail.text)
        self.assertNotIn("Packed by a temp", detail.text)
        self.assertIn("We will answer by", detail.text)
        page = self.url_open("/my/complaints")
        self.assertIn(self.alpha_complaint.subject, page.text)
        self.assertNotIn(self.beta_complaint.subject, page.text)
        self.authenticate("portal_beta", "portal_beta")
        page = self.url_open("/my/complaints")
        self.assertIn(self.beta_complaint.subject, page.text)
        self.assertNotIn(self.alpha_complaint.subject, page.text)
        self.assertEqual(
            self.url_open(
                self.alpha_complaint.access_url, allow_redirects=False
            ).status_code,
            303,
        )

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
