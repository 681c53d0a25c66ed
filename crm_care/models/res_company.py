from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Satisfaction measure -> (company field of its default survey, shipped survey).
DEFAULT_SURVEYS = {
    "csat": ("care_csat_survey_id", "crm_care.survey_csat"),
    "nps": ("care_nps_survey_id", "crm_care.survey_nps"),
    "ces": ("care_ces_survey_id", "crm_care.survey_ces"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    care_csat_survey_id = fields.Many2one(
        "survey.survey",
        string="Default CSAT Survey",
        domain="[('care_kind', '=', 'csat')]",
        default=lambda self: self._default_care_survey("csat"),
        help="The satisfaction survey Send Survey proposes for CSAT.",
    )
    care_nps_survey_id = fields.Many2one(
        "survey.survey",
        string="Default NPS Survey",
        domain="[('care_kind', '=', 'nps')]",
        default=lambda self: self._default_care_survey("nps"),
        help="The survey Send Survey proposes for the Net Promoter Score.",
    )
    care_ces_survey_id = fields.Many2one(
        "survey.survey",
        string="Default CES Survey",
        domain="[('care_kind', '=', 'ces')]",
        default=lambda self: self._default_care_survey("ces"),
        help="The survey Send Survey proposes for the Customer Effort Score.",
    )
    care_complaint_spend_months = fields.Integer(
        string="Months Around a Complaint",
        default=6,
        help="The spend before and after a complaint is resolved is compared "
        "over this many months on each side.",
    )

    @api.constrains("care_complaint_spend_months")
    def _check_care_complaint_spend_months(self):
        for company in self:
            if not 1 <= company.care_complaint_spend_months <= 60:
                raise ValidationError(
                    self.env._(
                        "The months around a complaint must be between 1 and 60, "
                        "not %(months)s.",
                        months=company.care_complaint_spend_months,
                    )
                )

    @api.model
    def _default_care_survey(self, kind):
        return self.env.ref(DEFAULT_SURVEYS[kind][1], raise_if_not_found=False)

    def _get_care_survey(self, kind):
        """The company's default survey measuring `kind` (csat, nps, ces)."""
        self.ensure_one()
        return self[DEFAULT_SURVEYS[kind][0]] or self._default_care_survey(kind)

    @api.model
    def _care_set_default_surveys(self):
        """Give the companies that have none the shipped surveys (at install:
        the companies exist before the surveys)."""
        for kind, (name, _xmlid) in DEFAULT_SURVEYS.items():
            survey = self._default_care_survey(kind)
            if survey:
                self.search([(name, "=", False)]).write({name: survey.id})
