from odoo import fields, models

COMPLAINT_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting on Customer"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# States where the customer still waits for us: the SLA clock runs.
OPEN_STATES = ("new", "in_progress", "waiting")
# States where the complaint has been dealt with.
DONE_STATES = ("resolved", "closed")


class CrmCareComplaintStage(models.Model):
    """A step of complaint handling. Consultants may rename, add or reorder
    stages; what the code relies on is each stage's state."""

    _name = "crm.care.complaint.stage"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        COMPLAINT_STATES,
        required=True,
        default="in_progress",
        help="What this stage means for the deadlines: new (not answered yet), "
        "in progress and waiting on the customer (the clock runs), resolved and "
        "closed (dealt with; closing sends the satisfaction survey) or "
        "cancelled (not counted).",
    )
    fold = fields.Boolean(string="Folded in Kanban")
    description = fields.Text(translate=True)
