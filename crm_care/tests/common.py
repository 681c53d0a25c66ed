import re

from odoo.tests import HttpCase, new_test_user

from odoo.addons.crm_value.tests.common import CrmValueCommon

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
RAW_EMAIL = """Return-Path: <{sender}>
From: {name} <{sender}>
To: complaints@lotus-care.example.com
Subject: {subject}
Message-ID: <{message_id}@mail.example.com>
Date: Mon, 23 Nov 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
"""


class CrmCareCommon(CrmValueCommon):
    """A customer looked after by a dedicated representative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._get_value_today()
        cls.rep = new_test_user(
            cls.env,
            login="care_rep",
            groups="crm_value.group_crm_value_user",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.customer = cls._customer(
            "Lotus Tea Garden", email="lotus@example.com", care_user_id=cls.rep.id
        )


class CarePortalCommon(HttpCase):
    """Two customers, each with a portal user, complaints and a confirmed
    order."""

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
