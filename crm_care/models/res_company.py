from odoo import api, fields, models

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
