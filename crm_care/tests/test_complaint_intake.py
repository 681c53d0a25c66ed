import base64
import re

from odoo.tests import tagged

from .common import CSRF_RE, RAW_EMAIL, CarePortalCommon

CONFIRM_RE = re.compile(r"/complaint/confirm/(\d+)/([\w-]+)")
MULTIPART_EMAIL = """Return-Path: <{sender}>
From: {name} <{sender}>
To: complaints@lotus-care.example.com
Subject: {subject}
Message-ID: <{message_id}@mail.example.com>
Date: Mon, 23 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=utf-8

{body}
--BOUNDARY
Content-Type: application/pdf; name="photos.pdf"
Content-Disposition: attachment; filename="photos.pdf"
Content-Transfer-Encoding: base64

{big}
--BOUNDARY
Content-Type: text/plain; name="order.txt"
Content-Disposition: attachment; filename="order.txt"

Order S00042
--BOUNDARY--
"""


@tagged("post_install", "-at_install")
class TestComplaintIntake(CarePortalCommon):
    """Complaints from outside: the public form, whose address is no identity
    until confirmed, rate-limited and cleaned, and the complaints alias."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["crm.care.complaint"]
        domain = cls.env["mail.alias.domain"].create({"name": "lotus-care.example.com"})
        cls.env.ref("crm_care.mail_alias_complaints").alias_domain_id = domain

    def _set_param(self, key, value):
        self.env["ir.config_parameter"].sudo().set_param(key, value)

    def _post_form(self, csrf=None, **values):
        data = {
            "csrf_token": csrf or self._csrf("/complaint"),
            "name": "Li Ming",
            "email": self.alpha_contact.email,
            "subject": "Chipped cups",
            "description": "Two cups arrived chipped.",
            **values,
        }
        return self.url_open("/complaint", data=data)

    def _confirm_link(self, complaint):
        """The confirmation link of the mail sent to the address given."""
        mail = self.env["mail.mail"].search(
            [("model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, complaint.web_email)
        match = CONFIRM_RE.search(str(mail.body_html))
        self.assertTrue(match, "the mail holds the confirmation link")
        self.assertIn(complaint.name, str(mail.body_html))
        self.assertNotIn(
            complaint.subject, str(mail.body_html), "nothing typed is mailed back"
        )
        self.assertEqual(int(match.group(1)), complaint.id)
        return match.group(0), match.group(2)

    def _feed_email(self, raw):
        return self.Complaint.browse(self.env["mail.thread"].message_process(None, raw))

    # ------------------------------------------------------------------
    # An address typed in is no identity
    # ------------------------------------------------------------------
    def test_public_form_complaint_stays_unmatched_until_confirmed(self):
        form = self.url_open("/complaint")
        for field in ("name", "email", "phone", "subject", "description"):
            self.assertRegex(form.text, rf'<(input|textarea)[^>]* name="{field}"')
        self.assertIn("</textarea>", form.text)
        response = self._post_form(
            csrf=CSRF_RE.search(form.text).group(1),
            email="  Li.Ming@Alpha-Tea.example ",
            phone="+86 21 5555 0101",
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.Complaint.search([("subject", "=", "Chipped cups")])
        self.assertEqual(len(complaint), 1)
        self.assertIn("Thank you", response.text)
        self.assertIn(complaint.name, response.text)
        self.assertEqual(complaint.channel, "web")
        self.assertEqual(complaint.phone, "+86 21 5555 0101")
        self.assertEqual(complaint.web_email, "li.ming@alpha-tea.example")
        # Filed for nobody, followed by nobody, in nobody's portal.
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.contact_id)
        self.assertFalse(
            complaint.message_partner_ids & (self.alpha | self.alpha_contact)
        )
        self.authenticate("portal_alpha", "portal_alpha")
        self.assertNotIn("Chipped cups", self.url_open("/my/complaints").text)
        self.assertNotIn("Chipped cups", self.url_open(complaint.access_url).text)

        # The link mailed to the address: a page to confirm, then matched.
        self.authenticate(None, None)
        link, _token = self._confirm_link(complaint)
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Confirm your address", page.text)
        self.assertFalse(complaint.partner_id, "opening the link alone matches nothing")
        csrf = CSRF_RE.search(page.text).group(1)
        confirmed = self.url_open(link, data={"csrf_token": csrf})
        self.assertEqual(confirmed.status_code, 200)
        self.assertIn("Your address is confirmed", confirmed.text)
        self.assertTrue(complaint.web_email_confirmed)
        self.assertEqual(complaint.partner_id, self.alpha)
        self.assertEqual(complaint.contact_id, self.alpha_contact)
        self.assertIn(self.alpha_contact, complaint.message_partner_ids)
        self.authenticate("portal_alpha", "portal_alpha")
        self.assertIn("Chipped cups", self.url_open("/my/complaints").text)
        self.authenticate("portal_beta", "portal_beta")
        self.assertNotIn("Chipped cups", self.url_open("/my/complaints").text)

    def test_forged_or_altered_token_matches_nothing(self):
        self._post_form()
        self._post_form(subject="Late again", email=self.beta_contact.email)
        complaint = self.Complaint.search([("subject", "=", "Chipped cups")])
        other = self.Complaint.search([("subject", "=", "Late again")])
        link, token = self._confirm_link(complaint)
        _other_link, other_token = self._confirm_link(other)
        altered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
        csrf = self._csrf("/complaint")
        forged = [
            f"/complaint/confirm/{complaint.id}/{altered}",
            # Another complaint's valid token does not confirm this one.
            f"/complaint/confirm/{complaint.id}/{other_token}",
            f"/complaint/confirm/{complaint.id}/not-a-token",
        ]
        for url in forged:
            with self.subTest(url=url):
                page = self.url_open(url)
                self.assertEqual(page.status_code, 403)
                self.assertIn("This link is not valid", page.text)
                self.assertEqual(
                    self.url_open(url, data={"csrf_token": csrf}).status_code, 403
                )
        self.assertFalse(complaint.partner_id)
        self.assertFalse(complaint.web_email_confirmed)
        # A token signed before the address was changed is void too.
        complaint.sudo().web_email = "someone.else@example.com"
        self.assertEqual(self.url_open(link).status_code, 403)

    # ------------------------------------------------------------------
    # Rate limit, and the loop guard of the alias
    # ------------------------------------------------------------------
    def test_form_is_rate_limited_per_address_and_per_ip(self):
        self._set_param("crm_care.complaint_form_limit_email", "2")
        self._set_param("crm_care.complaint_form_limit_ip", "4")
        csrf = self._csrf("/complaint")
        for _i in range(2):
            self.assertEqual(self._post_form(csrf).status_code, 200)
        refused = self._post_form(csrf)
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Please try again later", refused.text)
        self.assertEqual(
            self.Complaint.search_count([("web_email", "=", self.alpha_contact.email)]),
            2,
        )
        # Other addresses from the same client IP: up to the IP's limit.
        for i in range(2):
            self.assertEqual(
                self._post_form(csrf, email=f"visitor{i}@example.com").status_code, 200
            )
        refused = self._post_form(csrf, email="visitor9@example.com")
        self.assertEqual(refused.status_code, 429)
        self.assertFalse(
            self.Complaint.search_count([("web_email", "=", "visitor9@example.com")])
        )
        # A limit of 0 is no limit.
        self._set_param("crm_care.complaint_form_limit_ip", "0")
        self.assertEqual(
            self._post_form(csrf, email="visitor9@example.com").status_code, 200
        )

    def test_form_posts_do_not_bounce_the_customer_real_mail(self):
        # Twenty anonymous posts with the customer's address (the limits
        # raised so that they all go through)...
        self._set_param("crm_care.complaint_form_limit_email", "100")
        self._set_param("crm_care.complaint_form_limit_ip", "100")
        csrf = self._csrf("/complaint")
        for i in range(20):
            response = self._post_form(csrf, subject=f"Flood {i}")
            self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.Complaint.search_count([("subject", "=like", "Flood %")]), 20
        )
        # ... and the customer's genuine mail to the alias still gets in.
        complaint = self._feed_email(
            RAW_EMAIL.format(
                sender=self.alpha_contact.email,
                name="Li Ming",
                subject="Lids missing",
                message_id="lids-missing",
                body="The lids of the last order are missing.",
            )
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.subject, "Lids missing")
        self.assertEqual(complaint.partner_id, self.alpha)
        self.assertEqual(complaint.channel, "email")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("references", "ilike", "loop-detection-bounce-email")]
            ),
            "no bounce sent to the customer",
        )

    # ------------------------------------------------------------------
    # Header fields and attachments
    # ------------------------------------------------------------------
    def test_form_strips_control_characters_from_header_fields(self):
        response = self._post_form(
            name="Li Ming\r\nBcc: victim@example.com",
            subject="Chipped\r\ncups",
            email="zhao.lei@unknown-shop.example",
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.Complaint.search(
            [("web_email", "=", "zhao.lei@unknown-shop.example")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertNotIn("\r", complaint.email_from)
        self.assertNotIn("\n", complaint.email_from)
        self.assertIn("Li Ming Bcc: victim@example.com", complaint.email_from)
        self.assertEqual(complaint.subject, "Chipped cups")
        # An address with a line break (a header injection) is no address.
        count = self.Complaint.search_count([])
        csrf = self._csrf("/complaint")
        for email in (
            "li.ming@alpha-tea.example\r\nBcc: victim@example.com",
            "li.ming@alpha-tea.example, victim@example.com",
        ):
            with self.subTest(email=email):
                response = self._post_form(csrf, email=email)
                self.assertIn("Please enter a valid email address.", response.text)
        self.assertEqual(self.Complaint.search_count([]), count)

    def test_oversize_attachment_to_the_alias_is_dropped_complaint_kept(self):
        self._set_param("crm_care.complaint_attachment_max_mb", "1")
        big = base64.encodebytes(b"%PDF-1.4 " + b"x" * (2 * 1024 * 1024)).decode()
        complaint = self._feed_email(
            MULTIPART_EMAIL.format(
                sender=self.alpha_contact.email,
                name="Li Ming",
                subject="Photos of the broken cups",
                message_id="photos-broken-cups",
                body="See the photos attached.",
                big=big,
            )
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, self.alpha)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", complaint._name), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["order.txt"])
        note = complaint.message_ids.filtered(lambda m: "photos.pdf" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("larger than the 1 MB allowed", note.body)
        self.assertIn("See the photos attached.", complaint.description)

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
