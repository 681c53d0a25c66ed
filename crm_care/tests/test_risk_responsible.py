from datetime import timedelta

from odoo.tests import new_test_user, tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestRiskResponsible(CrmCareCommon):
    """A customer turning high credit risk is the dedicated representative's
    to look into, before the salesperson's."""

    def test_high_risk_activity_goes_to_the_representative(self):
        salesman = new_test_user(
            self.env, login="care_risk_seller", groups="sales_team.group_sale_salesman"
        )
        self.customer.user_id = salesman
        self.assertEqual(self.customer.care_user_id, self.rep)
        self._direct_invoice(
            self.customer,
            400.0,
            invoice_date=self.today - timedelta(days=120),
            invoice_payment_term_id=self.pay_terms_a.id,  # immediate
        )
        self._recompute(self.customer)
        self.assertEqual(self.customer.value_risk_grade, "high")
        self.engine._on_customers_refreshed(self.company, self.customer.ids)
        activity_type = self.env.ref("crm_value.mail_activity_type_high_credit_risk")
        activity = self.customer.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(activity.user_id, self.rep)
