from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class CrmCareComplaintKnowledge(models.AbstractModel):
    """The service knowledge base on a complaint: the articles matching it
    (crm.care.article._rank_for_complaints) and the ones used in its
    replies."""

    _name = "crm.care.complaint.knowledge"
    _description = "Complaint: Knowledge Base"

    care_article_ids = fields.Many2many(
        "crm.care.article",
        "crm_care_complaint_article_rel",
        "complaint_id",
        "article_id",
        string="Articles Used",
        copy=False,
        help="The knowledge base articles put into a reply to this complaint.",
    )
    care_suggested_article_ids = fields.Many2many(
        "crm.care.article",
        string="Suggested Articles",
        compute="_compute_care_suggested_article_ids",
        help="Articles matching the complaint's category, the products of the "
        "order, delivery or invoice it is about, and its words.",
    )

    @api.depends_context("uid")
    @api.depends("subject", "description", "category_id", "document_ref")
    def _compute_care_suggested_article_ids(self):
        Article = self.env["crm.care.article"]
        complaints = self.filtered("id")
        ranked = Article._rank_for_complaints(complaints._origin)
        found = sum((Article.browse(ids) for ids in ranked.values()), Article)
        readable = set(found._filtered_access("read").ids)
        for complaint in self:
            ids = ranked.get(complaint._origin.id, [])
            complaint.care_suggested_article_ids = [i for i in ids if i in readable]

    def _get_care_search_text(self):
        """The words the articles are searched for: subject and description."""
        self.ensure_one()
        return f"{self.subject or ''} {html2plaintext(self.description or '')}"

    def _get_care_product_templates(self):
        """The products of the order, delivery or invoice the complaint is about."""
        self.ensure_one()
        document = self.document_ref
        if not document:
            return self.env["product.template"]
        lines = {
            "sale.order": "order_line",
            "stock.picking": "move_ids",
            "account.move": "invoice_line_ids",
        }[document._name]
        return document[lines].product_id.product_tmpl_id

    def _use_care_article(self, article):
        """Record that `article` answers this complaint and open the reply
        with its answer."""
        self.ensure_one()
        self.check_access("write")
        if not article.exists() or not article.has_access("read"):
            raise UserError(self.env._("This article is not available any more."))
        self.care_article_ids = [fields.Command.link(article.id)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply with %(article)s", article=article.name),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_comment",
                "default_body": article.body or "",
            },
        }
