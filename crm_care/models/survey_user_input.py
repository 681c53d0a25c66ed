from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from .crm_care_queue import UNHAPPY_ANSWER

NPS_VALUES = {"promoter": 100, "passive": 0, "detractor": -100}


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    care_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_care_partner_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The company of the contact who answered: answers by any of its "
        "contacts count for the customer.",
    )
    care_salesperson_id = fields.Many2one(
        related="care_partner_id.user_id", string="Salesperson", store=True
    )
    care_tier_id = fields.Many2one(
        "crm.value.tier",
        string="Value Tier",
        compute="_compute_care_tier_id",
        store=True,
        precompute=True,
        help="The customer's value tier when the answer was given, to compare "
        "satisfaction across the pyramid.",
    )
    care_res_model = fields.Char(string="About Model")
    care_res_id = fields.Many2oneReference(
        string="About Record", model_field="care_res_model"
    )
    care_kind = fields.Selection(related="survey_id.care_kind", store=True)
    care_score = fields.Integer(
        string="Score",
        compute="_compute_care_score",
        store=True,
        aggregator="avg",
        help="The value given on the survey's scale question.",
    )
    care_nps_class = fields.Selection(
        [
            ("promoter", "Promoter"),
            ("passive", "Passive"),
            ("detractor", "Detractor"),
        ],
        string="NPS Class",
        compute="_compute_care_score",
        store=True,
        help="Promoter 9-10, passive 7-8, detractor 0-6 (NPS surveys only).",
    )
    care_nps_value = fields.Integer(
        string="NPS",
        compute="_compute_care_score",
        store=True,
        aggregator="avg",
        help="100 for a promoter, 0 for a passive, -100 for a detractor: the "
        "average over any group of answers is that group's Net Promoter Score.",
    )
    care_comment = fields.Text(string="Comment", compute="_compute_care_comment")

    @api.model
    def _care_satisfaction_by_partner(self, partner_ids):
        """The satisfaction figures of customers from their completed answers:
        {partner id: {care_nps_last, care_nps_last_class, care_nps,
        care_csat_last, care_csat_avg}} (res.partner's fields), for the
        customers with an NPS or CSAT answer."""
        domain = [
            ("care_partner_id", "in", list(partner_ids)),
            ("state", "=", "done"),
            ("test_entry", "=", False),
        ]
        nps = {
            partner.id: nps
            for partner, nps in self._read_group(
                [*domain, ("care_nps_class", "!=", False)],
                ["care_partner_id"],
                ["care_nps_value:avg"],
            )
        }
        csat = {
            partner.id: avg
            for partner, avg in self._read_group(
                [*domain, ("care_kind", "=", "csat"), ("care_score", ">", 0)],
                ["care_partner_id"],
                ["care_score:avg"],
            )
        }
        last_nps, last_csat = {}, {}
        for answer in self.search_fetch(
            [*domain, ("care_kind", "in", ("nps", "csat"))],
            ["care_partner_id", "care_kind", "care_score", "care_nps_class"],
            order="end_datetime desc, id desc",
        ):
            partner_id = answer.care_partner_id.id
            if answer.care_nps_class:
                last_nps.setdefault(partner_id, answer)
            elif answer.care_kind == "csat" and answer.care_score:
                last_csat.setdefault(partner_id, answer)
        figures = {}
        for partner_id in last_nps.keys() | last_csat.keys() | nps.keys() | csat.keys():
            nps_answer = last_nps.get(partner_id)
            csat_answer = last_csat.get(partner_id)
            figures[partner_id] = {
                "care_nps_last": nps_answer.care_score if nps_answer else 0,
                "care_nps_last_class": (
                    nps_answer.care_nps_class if nps_answer else False
                ),
                "care_nps": nps.get(partner_id, 0.0),
                "care_csat_last": csat_answer.care_score if csat_answer else 0,
                "care_csat_avg": csat.get(partner_id, 0.0),
            }
        return figures

    @api.model
    def _care_monthly_scores(self, partner_ids):
        """The average NPS and CSAT score of customers per month, in one read:
        {partner id: {month (date): {"nps"|"csat": score rounded to 0.1}}}."""
        rows = self._read_group(
            [
                ("care_partner_id", "in", list(partner_ids)),
                ("state", "=", "done"),
                ("test_entry", "=", False),
                ("care_kind", "in", ("nps", "csat")),
                ("care_score", ">", 0),
            ],
            ["care_partner_id", "end_datetime:month", "care_kind"],
            ["care_score:avg"],
            order="end_datetime:month",
        )
        by_partner = defaultdict(lambda: defaultdict(dict))
        for partner, month, kind, score in rows:
            by_partner[partner.id][month][kind] = round(score, 1)
        return by_partner

    @api.depends("partner_id.commercial_partner_id")
    def _compute_care_partner_id(self):
        for answer in self:
            answer.care_partner_id = answer.partner_id.commercial_partner_id

    @api.depends("care_partner_id")
    def _compute_care_tier_id(self):
        for answer in self:
            answer.care_tier_id = answer.care_partner_id.value_tier_id

    @api.depends(
        "care_kind",
        "user_input_line_ids.answer_type",
        "user_input_line_ids.value_scale",
    )
    def _compute_care_score(self):
        for answer in self:
            scale = answer.user_input_line_ids.filtered(
                lambda line: line.answer_type == "scale"
            )[:1]
            answer.care_score = scale.value_scale
            nps_class = False
            if scale and answer.care_kind == "nps":
                nps_class = (
                    "promoter"
                    if scale.value_scale >= 9
                    else "passive"
                    if scale.value_scale >= 7
                    else "detractor"
                )
            answer.care_nps_class = nps_class
            answer.care_nps_value = NPS_VALUES.get(nps_class, 0)

    @api.depends("user_input_line_ids.value_text_box")
    def _compute_care_comment(self):
        for answer in self:
            lines = answer.user_input_line_ids.filtered(
                lambda line: line.answer_type == "text_box" and line.value_text_box
            )
            answer.care_comment = " ".join(lines.mapped("value_text_box"))

    def _mark_done(self):
        result = super()._mark_done()
        unhappy = self.filtered(lambda answer: answer._care_is_unhappy())
        if unhappy:
            # Queue, never schedule, the alert: the customer's answer is saved
            # whatever the representative's activities do.
            self.env["crm.care.queue"]._queue(
                UNHAPPY_ANSWER, unhappy, customer="care_partner_id"
            )
        self._care_rate_complaints()
        self._care_queue_satisfaction()
        return result

    def write(self, vals):
        # An answer moved to another customer, or marked a test, changes the
        # satisfaction of the customers before and after.
        moves = {"partner_id", "test_entry"} & vals.keys()
        if moves:
            self._care_queue_satisfaction()
        result = super().write(vals)
        if moves:
            self._care_queue_satisfaction()
        return result

    def unlink(self):
        self._care_queue_satisfaction()
        return super().unlink()

    def _care_queue_satisfaction(self):
        """Satisfaction is one of the customer's figures (the psychological
        value): a completed answer, changed or deleted, queues its customer
        for the value recompute in each company that computes it."""
        answers = self.filtered(
            lambda answer: answer.care_kind and answer.state == "done"
        )
        partners = answers.care_partner_id
        if not partners:
            return
        computed = (
            self.env["crm.value.snapshot"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids), ("is_current", "=", True)],
                ["partner_id", "company_id"],
            )
        )
        self.env["crm.value.queue"]._mark(
            (partner.id, company.id) for partner, company in computed
        )

    def _care_rate_complaints(self):
        """A CSAT answered about a complaint is the satisfaction after it."""
        for answer in self.filtered(
            lambda a: (
                a.care_res_model == "crm.care.complaint"
                and a.care_kind == "csat"
                and a.care_score
                and not a.test_entry
            )
        ):
            complaint = self.env["crm.care.complaint"].sudo().browse(answer.care_res_id)
            if complaint.exists():
                complaint.csat_score = answer.care_score

    def _care_is_unhappy(self):
        self.ensure_one()
        if self.test_entry or not self.care_partner_id:
            return False
        return self.care_nps_class == "detractor" or (
            self.care_kind == "csat" and 1 <= self.care_score <= 2
        )

    def _care_alert_unhappy(self):
        """A detractor or an unhappy CSAT: an activity for the customer's
        representative, due by the next working day."""
        for answer in self.filtered(lambda a: a._care_is_unhappy()):
            customer = answer.care_partner_id
            user = customer.care_user_id or customer.user_id or self.env.user
            customer.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=answer._care_next_working_day(),
                user_id=user.id,
                **answer.with_context(lang=user.lang)._care_unhappy_texts(),
            )

    def _care_unhappy_texts(self):
        """Summary and note of the alert about this answer, in the language of
        the environment (the representative's: the alert is for them)."""
        self.ensure_one()
        _ = self.env._
        kinds = dict(
            self.env["survey.survey"]
            ._fields["care_kind"]
            ._description_selection(self.env)
        )
        reason = _("Detractor") if self.care_nps_class else _("Unhappy customer")
        label = "NPS" if self.care_kind == "nps" else "CSAT"
        summary = f"{reason}: {label} {self.care_score}"
        if self.care_comment:
            summary = f"{summary} — {self.care_comment}"
        return {
            "summary": summary[:250],
            "note": _(
                "%(survey)s (%(kind)s) answered by %(contact)s.",
                survey=self.survey_id.title,
                kind=kinds[self.care_kind],
                contact=self.partner_id.display_name,
            ),
        }

    def _care_next_working_day(self):
        """The next working day of the company's calendar (Mon-Fri without
        one)."""
        today = self.env.company._get_value_today()
        calendar = self.env.company.resource_calendar_id
        if calendar:
            start = datetime.combine(today + timedelta(days=1), time.min)
            day = calendar.plan_days(1, start)
            if day:
                return day.date()
        day = today + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
