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
