from collections import defaultdict

from babel.dates import format_skeleton

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import get_lang

from odoo.addons.crm_value.groups import INTERNAL
from odoo.addons.crm_value.models.crm_value_standing import HISTORY_MONTHS

from ..care_event import CareEvent
from .crm_care_assignment_mixin import CARE_ASSIGNMENT_FIELDS
from .crm_care_complaint_stage import DONE_STATES, OPEN_STATES

# A customer without a completed NPS or CSAT answer.
EMPTY_SATISFACTION = {
    "care_nps_last": 0,
    "care_nps_last_class": False,
    "care_nps": 0.0,
    "care_csat_last": 0,
    "care_csat_avg": 0.0,
}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "crm.care.assignment.mixin"]

    care_user_id = fields.Many2one(
        "res.users",
        string="Dedicated Representative",
        compute="_compute_care_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="The one person who looks after this customer (专门的服务代表); "
        "by default the salesperson. Care activities are assigned to them.",
    )
    care_team_id = fields.Many2one("crm.care.team", tracking=True, groups=INTERNAL)
    care_assignment_editable = fields.Boolean(
        compute="_compute_care_assignment_editable",
        help="Whether you may choose this customer's representative and team: "
        "managers for any customer, salespeople for their own.",
    )
    # Same name as the OCA's partner_contact_birthdate, so both can be installed.
    birthdate_date = fields.Date(string="Birthdate")
    care_event_ids = fields.One2many(
        "crm.care.event", "partner_id", string="Care", groups=INTERNAL
    )
    care_event_count = fields.Integer(
        compute="_compute_care_event_count", groups=INTERNAL
    )
    care_survey_answer_ids = fields.One2many(
        "survey.user_input",
        "care_partner_id",
        string="Survey Answers",
        groups=INTERNAL,
    )
    care_nps_last = fields.Integer(
        string="Last NPS Score",
        compute="_compute_care_satisfaction",
        store=True,
        help="The score (0-10) of the customer's last completed NPS survey.",
        groups=INTERNAL,
    )
    care_nps_last_class = fields.Selection(
        [
            ("promoter", "Promoter"),
            ("passive", "Passive"),
            ("detractor", "Detractor"),
        ],
        string="Last NPS Class",
        compute="_compute_care_satisfaction",
        store=True,
        help="Promoter 9-10, passive 7-8, detractor 0-6; empty without answer.",
        groups=INTERNAL,
    )
    care_nps = fields.Float(
        string="Customer NPS",
        compute="_compute_care_satisfaction",
        store=True,
        digits=(16, 1),
        help="The customer's own Net Promoter Score over all their NPS answers: "
        "% promoters - % detractors (-100 to 100).",
        groups=INTERNAL,
    )
    care_csat_last = fields.Integer(
        string="Last CSAT",
        compute="_compute_care_satisfaction",
        store=True,
        help="The score (1-5) of the customer's last completed CSAT survey; 0 "
        "without answer.",
        groups=INTERNAL,
    )
    care_csat_avg = fields.Float(
        string="Average CSAT",
        compute="_compute_care_satisfaction",
        store=True,
        digits=(16, 2),
        help="The average score (1-5) of all the customer's CSAT answers.",
        groups=INTERNAL,
    )

    care_satisfaction_chart = fields.Json(
        string="Satisfaction History",
        compute="_compute_care_satisfaction_chart",
        help="The customer's average NPS (0-10) and CSAT (1-5) score per month "
        "over the last 12 months with an answer.",
        groups=INTERNAL,
    )
    care_complaint_ids = fields.One2many(
        "crm.care.complaint",
        "partner_id",
        string="Complaints",
        groups=INTERNAL,
    )
    care_complaint_count = fields.Integer(
        string="Complaint Count",
        compute="_compute_care_complaint_stats",
        groups=INTERNAL,
    )
    care_complaint_open_count = fields.Integer(
        string="Open Complaints",
        compute="_compute_care_complaint_stats",
        groups=INTERNAL,
    )
    care_complaint_resolution_days = fields.Float(
        string="Average Resolution (days)",
        compute="_compute_care_complaint_stats",
        digits=(16, 1),
        groups=INTERNAL,
    )
    care_complaint_satisfied_percent = fields.Float(
        string="Resolved to Satisfaction (%)",
        compute="_compute_care_complaint_stats",
        digits=(16, 0),
        help="Of the resolved complaints whose survey was answered, the share "
        "rated 4 or 5 out of 5.",
        groups=INTERNAL,
    )

    @api.depends("user_id")
    def _compute_care_user_id(self):
        for partner in self:
            if not partner.care_user_id and not partner.parent_id:
                partner.care_user_id = partner.user_id

    @api.depends_context("uid")
    @api.depends("user_id", "parent_id")
    def _compute_care_assignment_editable(self):
        if self._may_assign_care():
            self.care_assignment_editable = True
            return
        for partner in self:
            # The salesperson as saved decides, not one just typed in the form.
            saved = partner._origin
            partner.care_assignment_editable = (
                not saved or saved.commercial_partner_id.user_id == self.env.user
            )

    @api.constrains("care_user_id")
    def _check_care_user_internal(self):
        for partner in self:
            if partner.care_user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot look after %(customer)s: the dedicated "
                        "representative must be one of our own users, not a "
                        "portal user.",
                        user=partner.care_user_id.name,
                        customer=partner.display_name,
                    )
                )

    def _commercial_fields(self):
        # Contacts share their company's representative and team.
        return super()._commercial_fields() + ["care_user_id", "care_team_id"]

    def _compute_care_event_count(self):
        counts = dict(
            self.env["crm.care.event"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.care_event_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_care_complaint_stats(self):
        Complaint = self.env["crm.care.complaint"]
        base = [
            ("partner_id", "in", self.commercial_partner_id.ids),
            ("state", "!=", "cancelled"),
        ]
        # Per customer and state, then per customer and satisfaction: two
        # queries for the five figures.
        by_state = defaultdict(dict)
        for customer, state, count, days in Complaint._read_group(
            base, ["partner_id", "state"], ["__count", "resolution_days:sum"]
        ):
            by_state[customer][state] = (count, days)
        rated = defaultdict(dict)
        for customer, satisfied, count in Complaint._read_group(
            [*base, ("state", "in", DONE_STATES), ("csat_score", ">", 0)],
            ["partner_id", "satisfied"],
            ["__count"],
        ):
            rated[customer][satisfied] = count
        for partner in self:
            customer = partner.commercial_partner_id
            states = by_state.get(customer, {})
            done = [states[state] for state in DONE_STATES if state in states]
            done_count = sum(count for count, _days in done)
            answers = rated.get(customer, {})
            partner.care_complaint_count = sum(
                count for count, _days in states.values()
            )
            partner.care_complaint_open_count = sum(
                states.get(state, (0, 0.0))[0] for state in OPEN_STATES
            )
            partner.care_complaint_resolution_days = (
                sum(days for _count, days in done) / done_count if done_count else 0.0
            )
            partner.care_complaint_satisfied_percent = (
                100.0 * answers.get(True, 0) / sum(answers.values()) if answers else 0.0
            )

    @api.depends(
        "care_survey_answer_ids.state",
        "care_survey_answer_ids.care_kind",
        "care_survey_answer_ids.care_score",
        "care_survey_answer_ids.care_nps_class",
    )
    def _compute_care_satisfaction(self):
        figures = self.env["survey.user_input"]._care_satisfaction_by_partner(self.ids)
        for partner in self:
            partner.update(figures.get(partner.id, EMPTY_SATISFACTION))

    @api.depends_context("lang", "tz")
    def _compute_care_satisfaction_chart(self):
        """One read of the months' average scores for all the partners. The
        scores are the customer's own figures shown on the form (care_nps…):
        read without the survey rights a Customer Value user may lack."""
        by_partner = (
            self.env["survey.user_input"]
            .sudo()
            ._care_monthly_scores(self.commercial_partner_id.ids)
        )
        locale = get_lang(self.env).code
        for partner in self:
            months = by_partner.get(partner.commercial_partner_id.id)
            if not months:
                partner.care_satisfaction_chart = False
                continue
            shown = sorted(months)[-HISTORY_MONTHS:]
            partner.care_satisfaction_chart = {
                "labels": [format_skeleton("yMMM", m, locale=locale) for m in shown],
                "series": [
                    {
                        "label": self.env._("NPS score (0-10)"),
                        "kind": "line",
                        "axis": "nps",
                        "min": 0,
                        "max": 10,
                        "data": [months[m].get("nps") for m in shown],
                    },
                    {
                        "label": self.env._("CSAT (1-5)"),
                        "kind": "line",
                        "axis": "csat",
                        "min": 1,
                        "max": 5,
                        "data": [months[m].get("csat") for m in shown],
                    },
                ],
            }

    # ------------------------------------------------------------------
    # Who may hand a customer to a representative
    # ------------------------------------------------------------------
    @api.model
    def default_get(self, fields_list):
        # A default (context or personal ir.default) is a choice of
        # representative too: the salesperson's, computed, for non-managers.
        if not self._may_assign_care():
            fields_list = [
                fname for fname in fields_list if fname not in CARE_ASSIGNMENT_FIELDS
            ]
        return super().default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_care_assignment_create(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_care_assignment_write(vals)
        if "value_tier_id" not in vals:
            return super().write(vals)
        before = {partner.id: partner.value_tier_id for partner in self}
        result = super().write(vals)
        self._care_fire_tier_changes(before)
        return result

    def _care_fire_tier_changes(self, tiers_before):
        """Fire "tier changed" for the customers whose tier moved (from one
        tier to another: a first tier or none is no move)."""
        moved = self.filtered(
            lambda partner: (
                tiers_before[partner.id]
                and partner.value_tier_id
                and tiers_before[partner.id] != partner.value_tier_id
            )
        )
        if not moved:
            return
        company = self.env.company
        today = company._get_value_today()
        self.env["mail.activity.plan"]._care_fire(
            "tier_changed",
            [
                CareEvent(
                    partner,
                    date=today,
                    company=company,
                    occasion=("tier", today, partner.value_tier_id.id),
                    tier_move=(
                        "up"
                        if partner.value_tier_id.sequence
                        < tiers_before[partner.id].sequence
                        else "down"
                    ),
                )
                for partner in moved
            ],
        )

    def action_open_care_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.crm_care_event_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def action_open_care_survey_answers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.survey_user_input_action_care"
        )
        action["domain"] = [("care_partner_id", "=", self.commercial_partner_id.id)]
        return action

    def action_open_care_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.crm_care_complaint_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def _get_value_risk_responsible(self):
        """A customer turning high risk is told to their dedicated
        representative first."""
        responsible = super()._get_value_risk_responsible()
        for partner in self.filtered("care_user_id"):
            responsible[partner.id] = partner.care_user_id
        return responsible
