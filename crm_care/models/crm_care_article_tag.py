from odoo import fields, models


class CrmCareArticleTag(models.Model):
    """A label grouping knowledge base articles (returns, installation...)."""

    _name = "crm.care.article.tag"
    _description = "Service Knowledge Article Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer()

    _sql_constraints = [
        ("name_unique", "UNIQUE (name)", "An article tag with this name exists."),
    ]
