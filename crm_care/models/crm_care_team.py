from odoo import fields, models


class CrmCareTeam(models.Model):
    """The people who look after customers; each customer has one of them as
    its dedicated representative."""

    _name = "crm.care.team"
    _description = "Customer Care Team"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    leader_id = fields.Many2one("res.users", string="Team Leader", check_company=True)
    member_ids = fields.Many2many(
        "res.users", string="Representatives", check_company=True
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
