from odoo import api, fields, models


class CrmCareArticleDeflection(models.Model):
    """A customer stopped at a knowledge base article on a complaint form
    ("Yes, this answered it") and filed nothing: a complaint the article
    spared, for the reports. Written by the forms (superuser), read by the
    care users."""

    _name = "crm.care.article.deflection"
    _description = "Knowledge Article Deflection"
    _order = "date desc, id desc"
    _rec_name = "article_id"

    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    article_id = fields.Many2one(
        "crm.care.article",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        help="The portal customer who stopped here; empty for a visitor.",
    )
    user_id = fields.Many2one("res.users", string="Portal User", readonly=True)
    channel = fields.Selection(
        [("web", "Web Form"), ("portal", "Customer Portal")], readonly=True
    )

    @api.model
    def _record(self, article, company, channel, user=None):
        """Record that a customer stopped at `article` (superuser: customers
        write nothing else)."""
        partner = user.partner_id.commercial_partner_id if user else False
        return self.sudo().create(
            {
                "article_id": article.id,
                "company_id": company.id,
                "channel": channel,
                "user_id": user.id if user else False,
                "partner_id": partner.id if partner else False,
            }
        )
