from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestComplaintForms(CrmCareCommon):
    """What a complaint form must hold, checked where the complaint is made
    (crm.care.complaint.intake), whichever controller received it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Intake = cls.env["crm.care.complaint.intake"]
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": cls.customer.id, "email": "li@example.com"}
        )

    def _public(self, remote_addr="203.0.113.7", **values):
        post = {
            "name": "Li Ming",
            "email": "li.ming@example.com",
            "subject": "Chipped cups",
            "description": "Two cups arrived chipped.",
            **values,
        }
        return self.Intake._submit_public_form(post, remote_addr)

    def test_public_form_creates_an_unmatched_web_complaint(self):
        complaint, errors, status = self._public(subject="Chipped\r\nBcc: x@y.z")
        self.assertEqual((errors, status), ([], 200))
        self.assertEqual(complaint.channel, "web")
        self.assertEqual(complaint.subject, "Chipped Bcc: x@y.z", "one header line")
        self.assertEqual(complaint.sudo().web_email, "li.ming@example.com")
        self.assertEqual(complaint.sudo().web_remote_addr, "203.0.113.7")
        self.assertFalse(complaint.partner_id, "an address typed is no identity")

    def test_public_form_lists_every_error_and_creates_nothing(self):
        before = self.env["crm.care.complaint"].sudo().search_count([])
        complaint, errors, status = self._public(
            name="", email="not an address", subject="x" * 201
        )
        self.assertFalse(complaint)
        self.assertEqual(status, 200)
        self.assertEqual(
            errors,
            [
                "Please fill in your name.",
                "The subject is too long (200 characters at most).",
                "Please enter a valid email address.",
            ],
        )
        self.assertEqual(self.env["crm.care.complaint"].sudo().search_count([]), before)

    def test_public_form_over_its_rate_limit_answers_429(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_care.complaint_form_limit_email", 1
        )
        self.assertTrue(self._public()[0])
        complaint, errors, status = self._public(remote_addr="198.51.100.1")
        self.assertFalse(complaint)
        self.assertEqual(status, 429)
        self.assertEqual(len(errors), 1)

    def test_portal_form_files_for_the_users_company_and_refuses_others_orders(self):
        mine = self._sell(self.customer, [(self.service, 1, 10.0)])
        theirs = self._sell(self._customer("Bamboo Imports"), [(self.service, 1, 10.0)])
        complaint, errors = self.Intake._submit_portal_form(
            {"subject": "Late", "order_id": str(theirs.id)}, self.contact
        )
        self.assertFalse(complaint)
        self.assertEqual(errors, ["Please choose one of your orders from the list."])
        complaint, errors = self.Intake._submit_portal_form(
            {
                "subject": "Late",
                "description": "Still waiting.",
                "order_id": str(mine.id),
            },
            self.contact,
        )
        self.assertEqual(errors, [])
        self.assertEqual(
            (complaint.partner_id, complaint.contact_id, complaint.channel),
            (self.customer, self.contact, "portal"),
        )
        self.assertEqual(complaint.document_ref, mine)
