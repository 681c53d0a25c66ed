from odoo.tests import tagged

from .common import CrmLifecycleCommon


@tagged("post_install", "-at_install")
class TestRiskGradeCondition(CrmLifecycleCommon):
    """A lifecycle rule reads the customer's credit risk grade."""

    def test_rule_on_the_risk_grade_moves_high_risk_customers(self):
        rule = self.env["crm.lifecycle.rule"].create(
            {
                "name": "High credit risk customers are at risk",
                "company_id": self.company.id,
                "sequence": 1,
                "stage_from_ids": [(6, 0, (self.stage_new | self.stage_active).ids)],
                "stage_to_id": self.stage_at_risk.id,
                "domain": "[('value_risk_grade', '=', 'high')]",
            }
        )
        self.assertFalse(rule.problem)
        late, punctual = self._customer("Late Payer"), self._customer("Punctual")
        for customer, days_ago in ((late, 120), (punctual, 3)):
            order = self._order(customer, -days_ago)
            # Due on the invoice's day, never paid.
            order.payment_term_id = self.pay_terms_a  # immediate
            self._invoice(order, self._day(-days_ago))
        self._recompute(late, punctual)
        self.assertEqual(late.value_risk_grade, "high")
        self.assertEqual(punctual.value_risk_grade, "low")
        self._evaluate(late, punctual)
        self.assertEqual(late.lifecycle_stage_id, self.stage_at_risk)
        self.assertEqual(self._history(late)[-1].rule_id, rule)
        self.assertNotEqual(punctual.lifecycle_stage_id, self.stage_at_risk)
