from odoo import api, fields, models


class CrmCareEvent(models.Model):
    """One firing of a care plan for one customer and one event (an order, a
    delivery, a birthday of a given year...). Its key is unique per plan and
    customer, so no event ever schedules its care twice."""

    _name = "crm.care.event"
    _description = "Customer Care Event"
    _order = "date desc, id desc"
    _rec_name = "plan_id"

    plan_id = fields.Many2one(
        "mail.activity.plan", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    key = fields.Char(required=True, help="What fired: unique per plan and customer.")
    date = fields.Date(
        required=True, default=lambda self: self.env.company._get_value_today()
    )
    care_type = fields.Selection(related="plan_id.care_type", store=True)
    trigger = fields.Selection(related="plan_id.care_trigger", store=True)
    user_id = fields.Many2one("res.users", string="Representative")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    res_model = fields.Char(string="Document Model")
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model")
    document_name = fields.Char(string="Document")
    activity_ids = fields.One2many(
        "mail.activity", "care_event_id", string="Activities"
    )
    state = fields.Selection(
        [("scheduled", "Scheduled"), ("cancelled", "Cancelled")],
        default="scheduled",
        required=True,
    )

    _sql_constraints = [
        (
            "plan_partner_key_uniq",
            "unique(plan_id, partner_id, key)",
            "A care plan fires once per customer and event.",
        ),
    ]

    @api.model
    def _cancel_for_documents(self, documents):
        """Cancel the care started by these documents: pending steps removed."""
        events = self.search(
            [
                ("res_model", "=", documents._name),
                ("res_id", "in", documents.ids),
                ("state", "=", "scheduled"),
            ]
        )
        events.activity_ids.unlink()
        events.state = "cancelled"
        return events

    @api.model
    def _schedule(self, plan, events):
        """Create the care events of `plan` for `events` (CareEvent of
        customers, not fired yet) and their steps' activities, each kind in
        one create: a nightly run launches plans for thousands of customers."""
        plan.ensure_one()
        if not events:
            return self
        today = (plan.company_id or self.env.company)._get_value_today()
        records = self.create(
            [
                {
                    "plan_id": plan.id,
                    "partner_id": event.partner.id,
                    "key": event.key,
                    "date": event.date or today,
                    "user_id": (event.partner.care_user_id or event.partner.user_id).id,
                    "company_id": (
                        event.document.company_id
                        if event.document and "company_id" in event.document
                        else self.env.company
                    ).id,
                    "res_model": event.document._name if event.document else False,
                    "res_id": event.document.id if event.document else False,
                    "document_name": (
                        event.document.display_name if event.document else False
                    ),
                }
                for event in events
            ]
        )
        # As customer.activity_schedule() would, for all customers at once.
        customers_env = events[0].partner.env
        if customers_env.context.get("mail_activity_automation_skip"):
            return records
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        texts = {}  # (step, language) -> (summary, note)
        for record, event in zip(records, events, strict=True):
            customer, document = event.partner, event.document
            for step in plan.template_ids:
                responsible = step._determine_responsible(
                    self.env["res.users"], customer
                )
                user = (
                    responsible["responsible"]
                    or customer.care_user_id
                    or event.user
                    or self.env.user
                )
                # The activity is the user's: in their language.
                lang = user.lang or self.env.lang
                if (step, lang) not in texts:
                    texts[step, lang] = step.with_context(lang=lang)._care_texts()
                summary, note = texts[step, lang]
                if document:
                    name = document.with_context(lang=lang).display_name
                    summary = f"{summary} ({name})" if summary else name
                vals_list.append(
                    {
                        "activity_type_id": step.activity_type_id.id,
                        "summary": summary,
                        "automated": True,
                        "note": note,
                        "date_deadline": step._get_date_deadline(event.date or today),
                        "res_model_id": model_id,
                        "res_id": customer.id,
                        "user_id": user.id,
                        "care_event_id": record.id,
                        "care_mail_template_id": step.care_mail_template_id.id,
                        "care_survey_id": step.care_survey_id.id,
                    }
                )
        activities = customers_env["mail.activity"]
        for round_vals in _rounds_per_follower(vals_list):
            activities |= activities.create(round_vals)
        activities._care_send_due_emails(today)
        return records


def _rounds_per_follower(vals_list):
    """Split activity values into creates holding each (customer, responsible)
    pair once: mail.activity.create subscribes each responsible once per
    activity, and the same follower twice in one insert violates
    mail_followers' unique key (two steps of one plan for one user)."""
    rounds = []
    seen = {}
    for vals in vals_list:
        pair = (vals["res_id"], vals["user_id"])
        index = seen.get(pair, 0)
        seen[pair] = index + 1
        if index == len(rounds):
            rounds.append([])
        rounds[index].append(vals)
    return rounds
