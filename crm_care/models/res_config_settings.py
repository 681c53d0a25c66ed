from odoo import api, fields, models

COMPLAINTS_ALIAS = "crm_care.mail_alias_complaints"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_complaint_alias_name = fields.Char(
        string="Complaints Alias",
        help="Emails to this address become complaints of the sender's company.",
    )
    care_complaint_alias_domain_id = fields.Many2one(
        "mail.alias.domain", string="Complaints Alias Domain"
    )
    care_csat_survey_id = fields.Many2one(
        related="company_id.care_csat_survey_id", readonly=False
    )
    care_nps_survey_id = fields.Many2one(
        related="company_id.care_nps_survey_id", readonly=False
    )
    care_ces_survey_id = fields.Many2one(
        related="company_id.care_ces_survey_id", readonly=False
    )
    care_complaint_spend_months = fields.Integer(
        related="company_id.care_complaint_spend_months", readonly=False
    )
    care_plan_ids = fields.Many2many(
        "mail.activity.plan",
        string="Care Plans in Use",
        # Archived plans too, to turn them back on (the checkboxes list what
        # the domain finds: naming `active` keeps the archived ones).
        domain="[('care_trigger', '!=', False), ('res_model', '=', 'res.partner'), "
        "('active', 'in', [True, False])]",
        context={"active_test": False},
        help="The care plans that start by themselves; the others are archived.",
    )

    @api.model
    def get_values(self):
        values = super().get_values()
        alias = self.env.ref(COMPLAINTS_ALIAS, raise_if_not_found=False)
        values.update(
            care_complaint_alias_name=alias.alias_name if alias else False,
            care_complaint_alias_domain_id=alias.alias_domain_id.id if alias else False,
            care_plan_ids=[(6, 0, self._get_care_plans().filtered("active").ids)],
        )
        return values

    def set_values(self):
        result = super().set_values()
        alias = self.env.ref(COMPLAINTS_ALIAS, raise_if_not_found=False)
        if alias:
            vals = {}
            if alias.alias_name != (self.care_complaint_alias_name or False):
                vals["alias_name"] = self.care_complaint_alias_name
            if alias.alias_domain_id != self.care_complaint_alias_domain_id:
                vals["alias_domain_id"] = self.care_complaint_alias_domain_id.id
            if vals:
                alias.write(vals)
        plans = self._get_care_plans()
        chosen = self.care_plan_ids
        (plans & chosen).filtered(lambda plan: not plan.active).active = True
        (plans - chosen).filtered("active").active = False
        return result

    def _get_care_plans(self):
        """The care plans the switches turn on and off, archived ones too."""
        return (
            self.env["mail.activity.plan"]
            .with_context(active_test=False)
            .search([("care_trigger", "!=", False), ("res_model", "=", "res.partner")])
        )
