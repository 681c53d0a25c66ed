from odoo import fields, models


class CrmCareComplaintCategory(models.Model):
    """What a complaint is about (quality, delivery, billing...), with what
    handling one costs: that cost counts in the customer's cost to serve."""

    _name = "crm.care.complaint.category"
    _inherit = ["crm.value.shared.mixin"]
    _description = "Complaint Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the category between companies."
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    cost = fields.Monetary(
        string="Cost per Complaint",
        help="What handling one complaint of this category costs (time, "
        "goodwill gestures, returns): added to the customer's cost to serve, in "
        "the currency of the complaint's company.",
        groups="base.group_user",
    )

    def _compute_currency_id(self):
        for category in self:
            category.currency_id = (
                category.company_id.currency_id or self.env.company.currency_id
            )
