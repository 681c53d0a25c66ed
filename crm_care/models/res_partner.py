from collections import defaultdict

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

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
    care_team_id = fields.Many2one("crm.care.team", tracking=True)
    # Same name as the OCA's partner_contact_birthdate, so both can be installed.
    birthdate_date = fields.Date(string="Birthdate")
    care_event_ids = fields.One2many("crm.care.event", "partner_id", string="Care")
    care_event_count = fields.Integer(compute="_compute_care_event_count")
    care_survey_answer_ids = fields.One2many(
        "survey.user_input", "care_partner_id", string="Survey Answers"
    )
    care_nps_last = fields.Integer(
        string="Last NPS Score",
        compute="_compute_care_satisfaction",
        store=True,
        help="The score (0-10) of the customer's last completed NPS survey.",
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
    )
    care_nps = fields.Float(
        string="Customer NPS",
        compute="_compute_care_satisfaction",
        store=True,
        digits=(16, 1),
        help="The customer's own Net Promoter Score over all their NPS answers: "
        "% promoters - % detractors (-100 to 100).",
    )
    care_csat_last = fields.Integer(
        string="Last CSAT",
        compute="_compute_care_satisfaction",
        store=True,
        help="The score (1-5) of the customer's last completed CSAT survey; 0 "
        "without answer.",
    )
    care_csat_avg = fields.Float(
        string="Average CSAT",
        compute="_compute_care_satisfaction",
        store=True,
        digits=(16, 2),
        help="The average score (1-5) of all the customer's CSAT answers.",
    )

    care_complaint_ids = fields.One2many(
        "crm.care.complaint", "partner_id", string="Complaints"
    )
    care_complaint_count = fields.Integer(
        string="Complaint Count", compute="_compute_care_complaint_stats"
    )
    care_complaint_open_count = fields.Integer(
        string="Open Complaints", compute="_compute_care_complaint_stats"
    )
    care_complaint_resolution_days = fields.Float(
        string="Average Resolution (days)",
        compute="_compute_care_complaint_stats",
        digits=(16, 1),
    )
    care_complaint_satisfied_percent = fields.Float(
        string="Resolved to Satisfaction (%)",
        compute="_compute_care_complaint_stats",
        digits=(16, 0),
        help="Of the resolved complaints whose survey was answered, the share "
        "rated 4 or 5 out of 5.",
    )

    @api.depends("user_id")
    def _compute_care_user_id(self):
        for partner in self:
            if not partner.care_user_id and not partner.parent_id:
                partner.care_user_id = partner.user_id

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
        done_states = ("resolved", "closed")
        # Per customer and state, then per customer and satisfaction: two
        # queries for the five figures.
        by_state = defaultdict(dict)
        for customer, state, count, days in Complaint._read_group(
            base, ["partner_id", "state"], ["__count", "resolution_days:sum"]
        ):
            by_state[customer][state] = (count, days)
        rated = defaultdict(dict)
        for customer, satisfied, count in Complaint._read_group(
            [*base, ("state", "in", done_states), ("csat_score", ">", 0)],
            ["partner_id", "satisfied"],
            ["__count"],
        ):
            rated[customer][satisfied] = count
        for partner in self:
            customer = partner.commercial_partner_id
            states = by_state.get(customer, {})
            done = [states[state] for state in done_states if state in states]
            done_count = sum(count for count, _days in done)
            answers = rated.get(customer, {})
            partner.care_complaint_count = sum(
                count for count, _days in states.values()
            )
            partner.care_complaint_open_count = sum(
                states.get(state, (0, 0.0))[0]
                for state in ("new", "in_progress", "waiting")
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
        domain = [
            ("care_partner_id", "in", self.ids),
            ("state", "=", "done"),
            ("test_entry", "=", False),
        ]
        Answer = self.env["survey.user_input"]
        nps = {
            partner.id: nps
            for partner, nps in Answer._read_group(
                [*domain, ("care_nps_class", "!=", False)],
                ["care_partner_id"],
                ["care_nps_value:avg"],
            )
        }
        csat = {
            partner.id: avg
            for partner, avg in Answer._read_group(
                [*domain, ("care_kind", "=", "csat"), ("care_score", ">", 0)],
                ["care_partner_id"],
                ["care_score:avg"],
            )
        }
        last_nps, last_csat = {}, {}
        for answer in Answer.search_fetch(
            [*domain, ("care_kind", "in", ("nps", "csat"))],
            ["care_partner_id", "care_kind", "care_score", "care_nps_class"],
            order="end_datetime desc, id desc",
        ):
            partner_id = answer.care_partner_id.id
            if answer.care_nps_class:
                last_nps.setdefault(partner_id, answer)
            elif answer.care_kind == "csat" and answer.care_score:
                last_csat.setdefault(partner_id, answer)
        for partner in self:
            nps_answer = last_nps.get(partner.id)
            partner.care_nps_last = nps_answer.care_score if nps_answer else 0
            partner.care_nps_last_class = (
                nps_answer.care_nps_class if nps_answer else False
            )
            partner.care_nps = nps.get(partner.id, 0.0)
            csat_answer = last_csat.get(partner.id)
            partner.care_csat_last = csat_answer.care_score if csat_answer else 0
            partner.care_csat_avg = csat.get(partner.id, 0.0)

    def write(self, vals):
        if "value_tier_id" not in vals:
            return super().write(vals)
        before = {partner.id: partner.value_tier_id for partner in self}
        result = super().write(vals)
        self._care_fire_tier_changes(before)
        return result

    def _care_fire_tier_changes(self, tiers_before):
        """Launch the tier-changed plans for the customers whose tier moved."""
        Plan = self.env["mail.activity.plan"]
        plans = Plan._care_plans("tier_changed", self.env.company)
        if not plans:
            return
        today = fields.Date.context_today(self)
        moves = {"up": [], "down": []}
        for partner in self:
            old, new = tiers_before[partner.id], partner.value_tier_id
            if old == new or not (old and new):
                continue
            direction = "up" if new.sequence < old.sequence else "down"
            moves[direction].append((partner, f"tier,{today},{new.id}", None, today))
        for plan in plans:
            wanted = (
                ("up", "down")
                if plan.care_tier_direction == "any"
                else (plan.care_tier_direction,)
            )
            plan._care_launch([event for way in wanted for event in moves[way]])

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
