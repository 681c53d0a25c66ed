from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestCareRoles(CrmCareCommon):
    """Who may hand a customer to a representative, and send surveys."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["mail.activity.plan"].search(
            [("care_trigger", "!=", False)]
        ).active = False
        cls.salesman = new_test_user(
            cls.env,
            login="own_docs_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.other_salesman = new_test_user(
            cls.env,
            login="other_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.manager = new_test_user(
            cls.env,
            login="care_roles_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        # Someone else's customer, looked after by the representative.
        cls.customer.user_id = cls.other_salesman
        cls.complaint = cls.env["crm.care.complaint"].create(
            {"subject": "Broken teapots", "partner_id": cls.customer.id}
        )
        cls.started = cls.env.cr.now()
        cls.team = cls.env["crm.care.team"].create({"name": "Key Accounts"})
        cls.mine = cls._customer(
            "Mine Ltd", user_id=cls.salesman.id, email="buyer@mine.example"
        )

    def _assign_wizard(self, user, partners, representative, team=None):
        return (
            self.env["crm.care.assign.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create(
                {
                    "user_id": representative.id,
                    "team_id": team.id if team else False,
                }
            )
        )

    # ------------------------------------------------------------------
    # Who looks after a customer
    # ------------------------------------------------------------------
    def test_salesman_cannot_hand_another_customer_to_himself(self):
        customer = self.customer.with_user(self.salesman)
        # The form shows him the representative read-only...
        self.assertFalse(customer.care_assignment_editable)
        self.assertTrue(self.mine.with_user(self.salesman).care_assignment_editable)
        # ... and RPC is refused.
        with self.assertRaisesRegex(AccessError, "Lotus Tea Garden"):
            customer.write({"care_user_id": self.salesman.id})
        with self.assertRaises(AccessError):
            customer.write({"care_team_id": self.team.id})
        # Taking the customer as salesperson and representative at once: the
        # salesperson before the change decides.
        with self.assertRaises(AccessError):
            customer.write(
                {"user_id": self.salesman.id, "care_user_id": self.salesman.id}
            )
        with self.assertRaises(AccessError):
            self._assign_wizard(
                self.salesman, self.customer, self.salesman
            ).action_assign()
        self.assertEqual(self.customer.care_user_id, self.rep)
        self.assertFalse(self.customer.care_team_id)
        # ... so the customer's complaints stay out of his reach.
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.salesman).read(["subject"])

    def test_salesman_cannot_take_another_customer_over(self):
        """Taking the customer first (salesperson, or a company of his own
        whose representative it would take), then its care, is refused."""
        customer = self.customer.with_user(self.salesman)
        with self.assertRaises(AccessError):
            customer.write({"user_id": self.salesman.id})
        own_company = self._customer("Takeover Ltd", user_id=self.salesman.id)
        own_company.care_user_id = self.salesman
        with self.assertRaises(AccessError):
            customer.write({"parent_id": own_company.id})
        self.assertEqual(self.customer.user_id, self.other_salesman)
        self.assertEqual(self.customer.care_user_id, self.rep)
        # His own customer he hands to whom he likes.
        self.mine.with_user(self.salesman).user_id = self.other_salesman
        self.assertEqual(self.mine.user_id, self.other_salesman)

    def test_defaults_choose_no_representative(self):
        """Context defaults and personal defaults are choices too."""
        Partner = self.env["res.partner"].with_user(self.salesman)
        partner = Partner.with_context(default_care_user_id=self.salesman.id).create(
            {"name": "Context Default Ltd", "user_id": self.other_salesman.id}
        )
        self.assertEqual(partner.care_user_id, self.other_salesman)
        self.env["ir.default"].with_user(self.salesman).set(
            "res.partner", "care_user_id", self.salesman.id, user_id=True
        )
        partner = Partner.create(
            {"name": "Personal Default Ltd", "user_id": self.other_salesman.id}
        )
        self.assertEqual(partner.care_user_id, self.other_salesman)

    def test_salesperson_and_manager_hand_customers_to_a_representative(self):
        # The salesperson, for his own customer, in the form and the wizard.
        with Form(self.mine.with_user(self.salesman)) as form:
            form.care_user_id = self.rep
        self.assertEqual(self.mine.care_user_id, self.rep)
        self._assign_wizard(
            self.salesman, self.mine, self.salesman, self.team
        ).action_assign()
        self.assertEqual(self.mine.care_user_id, self.salesman)
        self.assertEqual(self.mine.care_team_id, self.team)
        # A manager, for anyone's customers (a contact selected counts for its
        # company).
        contact = self.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": self.customer.id}
        )
        self._assign_wizard(
            self.manager, contact | self.mine, self.salesman
        ).action_assign()
        self.assertEqual(self.customer.care_user_id, self.salesman)
        self.assertEqual(contact.care_user_id, self.salesman)
        self.assertIn(
            self.complaint,
            self.env["crm.care.complaint"].with_user(self.salesman).search([]),
        )
        # The representative is one of ours, never a portal user.
        portal = new_test_user(
            self.env, login="care_portal", groups="base.group_portal"
        )
        with self.assertRaises(ValidationError):
            self.mine.with_user(self.manager).care_user_id = portal

    def test_new_customer_gets_the_default_or_its_salesperson_choice(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        # Someone else's new customer, with himself as representative: refused.
        with self.assertRaises(AccessError):
            Partner.create(
                {
                    "name": "Not Mine Ltd",
                    "is_company": True,
                    "user_id": self.other_salesman.id,
                    "care_user_id": self.salesman.id,
                }
            )
        # The default (the salesperson) is anyone's to keep.
        other = Partner.create(
            {
                "name": "Other's Ltd",
                "is_company": True,
                "user_id": self.other_salesman.id,
            }
        )
        self.assertEqual(other.care_user_id, self.other_salesman)
        # His own new customer: his choice.
        own = Partner.create(
            {
                "name": "Own Ltd",
                "is_company": True,
                "user_id": self.salesman.id,
                "care_user_id": self.rep.id,
                "care_team_id": self.team.id,
            }
        )
        self.assertEqual(own.care_user_id, self.rep)
        # A contact of someone else's customer takes its company's people.
        contact = Partner.create({"name": "Mr Wang", "parent_id": self.customer.id})
        self.assertEqual(contact.care_user_id, self.rep)
        with self.assertRaises(AccessError):
            Partner.create(
                {
                    "name": "Mr Zhao",
                    "parent_id": self.customer.id,
                    "care_user_id": self.salesman.id,
                }
            )

    # ------------------------------------------------------------------
    # Send Survey
    # ------------------------------------------------------------------
    def _survey_wizard(self, survey, partners):
        return (
            self.env["crm.care.survey.wizard"]
            .with_user(self.salesman)
            .create({"survey_id": survey.id, "partner_ids": [(6, 0, partners.ids)]})
        )

    def _answers(self, survey):
        return self.env["survey.user_input"].search(
            [("survey_id", "=", survey.id), ("create_date", ">=", self.started)]
        )

    def test_salesman_sends_only_satisfaction_surveys_to_customers_he_sees(self):
        csat = self.env.ref("crm_care.survey_csat")
        certification = self.env["survey.survey"].create(
            {
                "title": "Vendor Certification",
                "survey_type": "assessment",
                "scoring_type": "scoring_with_answers",
                "certification": True,
            }
        )
        flagged_certification = certification.copy({"care_kind": "csat"})
        other_company = self.env["res.company"].create({"name": "Other Company"})
        hidden = self._customer(
            "Hidden Ltd", email="hidden@example.com", company_id=other_company.id
        )
        # No survey rights of his own.
        with self.assertRaises(AccessError):
            csat.with_user(self.salesman).read(["title"])

        for survey in (certification, flagged_certification):
            with self.subTest(survey=survey.title):
                with self.assertRaisesRegex(UserError, "not a satisfaction survey"):
                    self._survey_wizard(survey, self.mine).action_send()
                self.assertFalse(self._answers(survey))
        with self.assertRaises(AccessError):
            self._survey_wizard(csat, self.mine | hidden).action_send()
        self.assertFalse(self._answers(csat))

        self._survey_wizard(csat, self.mine).action_send()
        answer = self._answers(csat)
        self.assertEqual(answer.partner_id, self.mine)
        self.assertTrue(
            self.env["mail.mail"].search(
                [("model", "=", "survey.user_input"), ("res_id", "=", answer.id)]
            )
        )
