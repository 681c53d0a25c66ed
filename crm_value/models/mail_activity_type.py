from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    value_cost = fields.Float(
        string="Cost to Serve",
        digits="Product Price",
        help="Cost, in company currency, of one completed activity of this type; "
        "counted in the customer's cost to serve.",
    )
