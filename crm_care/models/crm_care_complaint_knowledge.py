from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, is_html_empty

from odoo.addons.crm_value.groups import INTERNAL

from .crm_care_complaint_stage import DONE_STATES

# The lines of each kind of document a complaint is about: (model, link).
DOCUMENT_LINES = {
    "sale.order": ("sale.order.line", "order_id"),
    "stock.picking": ("stock.move", "picking_id"),
    "account.move": ("account.move.line", "move_id"),
}


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
        check_company=True,
        help="The knowledge base articles put into a reply to this complaint "
        "(recorded by Use this article).",
    )
    care_drafted_article_ids = fields.One2many(
        "crm.care.article",
        "source_complaint_id",
        string="Articles Written",
        groups=INTERNAL,
        help="The knowledge base articles drafted from this complaint.",
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

    def _get_care_product_template_ids(self):
        """{complaint id: [product template id]} of the orders, deliveries and
        invoices these complaints are about, one query per kind of document.
        As superuser, and only ids leave: a representative may not read the
        invoice a customer complains about (Odoo's own invoices rule)."""
        documents = defaultdict(lambda: defaultdict(list))
        for complaint in self:
            document = complaint.document_ref
            if document and document._name in DOCUMENT_LINES:
                documents[document._name][document.id].append(complaint.id)
        products = defaultdict(set)
        for model, complaints_of in documents.items():
            line_model, link = DOCUMENT_LINES[model]
            for document, product_ids in (
                self.env[line_model]
                .sudo()
                ._read_group(
                    [(link, "in", list(complaints_of)), ("product_id", "!=", False)],
                    [link],
                    ["product_id:array_agg"],
                )
            ):
                for complaint_id in complaints_of[document.id]:
                    products[complaint_id].update(product_ids)
        every = (
            self.env["product.product"]
            .sudo()
            .browse({pid for ids in products.values() for pid in ids})
        )
        template_of = {product.id: product.product_tmpl_id.id for product in every}
        return {
            complaint_id: sorted({template_of[pid] for pid in ids})
            for complaint_id, ids in products.items()
        }

    def write(self, vals):
        # The articles used are recorded by Use this article (and counted),
        # never typed: the form shows them read-only.
        if "care_article_ids" in vals and not self.env.su:
            raise AccessError(
                self.env._("Articles are recorded on a complaint by Use this article.")
            )
        return super().write(vals)

    def _use_care_article(self, article):
        """Record that `article` answers this complaint and open the reply
        with its answer."""
        self.ensure_one()
        self.check_access("write")
        if not article.exists() or not article.has_access("read"):
            raise UserError(self.env._("This article is not available any more."))
        self.sudo().care_article_ids = [fields.Command.link(article.id)]
        # An internal article is the staff's: it goes into an internal note,
        # a published one into the reply to the customer.
        published = article.visibility == "published"
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
                "default_subtype_xmlid": "mail.mt_comment"
                if published
                else "mail.mt_note",
                "default_body": article.body or "",
            },
        }

    # ------------------------------------------------------------------
    # A resolved complaint becomes an article
    # ------------------------------------------------------------------
    def action_draft_care_article(self):
        """Write down how this resolved complaint was answered as a draft
        knowledge base article for the user to check: its category, the
        products it was about, the subject as title and the resolution (or
        else the last reply to the customer) as the answer."""
        self.ensure_one()
        if self.state not in DONE_STATES:
            raise UserError(
                self.env._("Resolve the complaint before writing an article from it.")
            )
        # Created as the user: only those who may write articles may do it.
        Article = self.env["crm.care.article"]
        Article.check_access("create")
        products = self._get_care_product_template_ids().get(self.id, [])
        article = Article.create(
            {
                "name": self.subject,
                "body": self._get_care_final_answer(),
                "state": "draft",
                "visibility": "internal",
                "user_id": self.env.user.id,
                "company_id": self.company_id.id,
                "category_ids": [fields.Command.set(self.category_id.ids)],
                "product_tmpl_ids": [fields.Command.set(products)],
                "source_complaint_id": self.id,
            }
        )
        article._schedule_draft_review()
        return {
            "type": "ir.actions.act_window",
            "res_model": article._name,
            "res_id": article.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _get_care_final_answer(self):
        """The answer the customer was given: the resolution, or else the
        last message sent to them by our staff."""
        self.ensure_one()
        if not is_html_empty(self.resolution):
            return self.resolution
        comment = self.env.ref("mail.mt_comment")
        reply = self.message_ids.filtered(
            lambda m: (
                m.subtype_id == comment
                and m.message_type in ("comment", "email")
                and m.author_id.user_ids.filtered(lambda u: not u.share)
                and not is_html_empty(m.body)
            )
        )[:1]
        return reply.body or False
