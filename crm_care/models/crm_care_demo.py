from odoo import api, models


class CrmCareDemo(models.AbstractModel):
    """Demo flows: answered surveys (promoters, passives, detractors) and the
    survey answered after the closed demo complaint."""

    _name = "crm.care.demo"
    _description = "Customer Care Demo Flows"

    # customer xml id (crm_value demo): NPS scores, then CSAT scores
    DEMO_ANSWERS = {
        "demo_customer_jade": ((10, 9), (5,)),
        "demo_customer_westlake": ((9,), (4, 5)),
        "demo_customer_pearl": ((8, 7), (4,)),
        "demo_customer_panda": ((7,), (3,)),
        "demo_customer_bargain": ((3,), (2,)),
        "demo_customer_garden": ((6,), ()),
        "demo_customer_teehaus": ((10,), (5,)),
    }

    @api.model
    def _run_demo_flows(self):
        ref = self.env.ref
        nps, csat = ref("crm_care.survey_nps"), ref("crm_care.survey_csat")
        for key, (nps_scores, csat_scores) in self.DEMO_ANSWERS.items():
            customer = ref(f"crm_value.{key}")
            for survey, scores in ((nps, nps_scores), (csat, csat_scores)):
                for score in scores:
                    self._answer(survey, customer, score)
        closed = ref("crm_care.demo_complaint_closed")
        self._answer(csat, closed.partner_id, 4, closed)

    def _answer(self, survey, customer, score, document=None):
        """A completed answer, saved as the survey pages do (superuser)."""
        answer = survey.sudo()._create_answer(
            partner=customer,
            check_attempts=False,
            care_res_model=document._name if document else False,
            care_res_id=document.id if document else False,
        )
        for question in survey.question_ids.filtered(
            lambda q: q.question_type == "scale"
        ):
            answer._save_lines(question, str(score))
        answer._mark_done()
        return answer
