from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, html2plaintext

from ..tools.search_text import to_any_words_query, to_search_text

# The text search configuration: stems English; the Chinese bigrams that
# to_search_text makes pass through it unchanged.
TS_CONFIG = "english"
# The articles suggested on a complaint.
SUGGESTED_ARTICLES = 5
# What an article matching the complaint's category, or one of its products,
# adds to its text rank (ts_rank: about 0.1 to 1 for a good match).
CATEGORY_BOOST = 0.2
PRODUCT_BOOST = 0.2
# The activity that asks an author to review their article: its own type, so
# that other to-dos on the article are neither taken for it nor closed by it.
REVIEW_ACTIVITY = "crm_care.mail_activity_type_article_review"
# The customers' votes on an article: written only by _record_vote, in SQL.
VOTE_FIELDS = ("helpful_count", "not_helpful_count", "helpful_ratio")
ARTICLE_STATES = [("draft", "Draft"), ("approved", "Approved")]


class CrmCareArticle(models.Model):
    """A service knowledge base article (服务知识库): one answer staff give
    alike to a kind of question or complaint, found by its complaint
    categories, products and words (full-text search in English and
    Chinese), and used as the reply to a complaint."""

    _name = "crm.care.article"
    _description = "Service Knowledge Article"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    body = fields.Html(
        string="Answer", help="What to tell the customer: put into the reply."
    )
    active = fields.Boolean(default=True)
    state = fields.Selection(
        ARTICLE_STATES,
        string="Status",
        default="approved",
        required=True,
        tracking=True,
        help="A draft is its author's to check: neither suggested on complaints "
        "nor shown to customers until approved.",
    )
    source_complaint_id = fields.Many2one(
        "crm.care.complaint",
        string="Written from Complaint",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The resolved complaint this article was drafted from.",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the article between companies.",
    )
    tag_ids = fields.Many2many("crm.care.article.tag", string="Tags")
    category_ids = fields.Many2many(
        "crm.care.complaint.category",
        "crm_care_article_category_rel",
        "article_id",
        "category_id",
        string="Complaint Categories",
        check_company=True,
        help="The complaints this article answers: suggested on complaints of "
        "these categories.",
    )
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "crm_care_article_product_rel",
        "article_id",
        "product_tmpl_id",
        string="Products",
        check_company=True,
        help="Suggested on complaints about these products (their order, delivery "
        "or invoice).",
    )
    visibility = fields.Selection(
        [("internal", "Internal Only"), ("published", "Published to Customers")],
        default="internal",
        required=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Who keeps the article right: they review it when it is due.",
    )
    date_reviewed = fields.Date(
        string="Last Reviewed",
        default=lambda self: self.env.company._get_value_today(),
        tracking=True,
    )
    review_interval_months = fields.Integer(
        string="Review Every (months)",
        default=12,
        help="How long the answer stays right: the review is due this many months "
        "after the last one. 0: never.",
    )
    date_review_due = fields.Date(
        string="Review Due",
        compute="_compute_date_review_due",
        store=True,
    )
    complaint_ids = fields.Many2many(
        "crm.care.complaint",
        "crm_care_complaint_article_rel",
        "article_id",
        "complaint_id",
        string="Used on Complaints",
        copy=False,
    )
    use_count = fields.Integer(
        string="Times Used",
        compute="_compute_use_count",
        help="The complaints whose reply used this article.",
    )
    helpful_count = fields.Integer(
        string="Helpful",
        readonly=True,
        copy=False,
        help="Customers who said this article helped them (article page).",
    )
    not_helpful_count = fields.Integer(
        string="Not Helpful",
        readonly=True,
        copy=False,
        help="Customers who said this article did not help them (article page).",
    )
    helpful_ratio = fields.Float(
        string="Helpfulness (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        digits=(16, 1),
        help="The share of the customers' votes saying the article helped.",
    )
    deflection_ids = fields.One2many(
        "crm.care.article.deflection", "article_id", string="Deflections"
    )
    # What the full-text search reads: the title and the answer as plain
    # text, Chinese split into bigrams (crm_care/tools/search_text.py).
    search_title = fields.Text(compute="_compute_search_text", store=True)
    search_body = fields.Text(compute="_compute_search_text", store=True)

    _sql_constraints = [
        (
            "review_interval_positive",
            "CHECK (review_interval_months >= 0)",
            "The review interval cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._check_vote_fields(set().union(*vals_list))
        return super().create(vals_list)

    def write(self, vals):
        self._check_vote_fields(vals)
        return super().write(vals)

    def _check_vote_fields(self, keys):
        # The votes are the customers': counted by _record_vote, never typed.
        if not self.env.su and set(VOTE_FIELDS) & set(keys):
            raise AccessError(
                self.env._("The customers' votes on an article are counted, not typed.")
            )

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS crm_care_article_search_index "
                "ON crm_care_article USING gin ((%s))",
                self._search_document_sql("crm_care_article"),
            )
        )

    @api.model
    def _search_document_sql(self, alias):
        """SQL: the article's text search document, the title weighing more
        than the answer (the expression the GIN index is built on)."""
        return SQL(
            "setweight(to_tsvector(%(config)s::regconfig, "
            "COALESCE(%(title)s, '')), 'A') || "
            "setweight(to_tsvector(%(config)s::regconfig, "
            "COALESCE(%(body)s, '')), 'B')",
            config=TS_CONFIG,
            title=SQL.identifier(alias, "search_title"),
            body=SQL.identifier(alias, "search_body"),
        )

    @api.depends("name", "body")
    def _compute_search_text(self):
        for article in self:
            article.search_title = to_search_text(article.name)
            article.search_body = to_search_text(html2plaintext(article.body or ""))

    @api.depends("date_reviewed", "review_interval_months")
    def _compute_date_review_due(self):
        for article in self:
            months = article.review_interval_months
            article.date_review_due = (
                article.date_reviewed + relativedelta(months=months)
                if article.date_reviewed and months
                else False
            )

    def _compute_use_count(self):
        # Counted on the link itself: how many complaints used it, whoever
        # may read those complaints.
        self.env["crm.care.complaint"].flush_model(["care_article_ids"])
        self.env.cr.execute(
            SQL(
                "SELECT article_id, COUNT(*) FROM crm_care_complaint_article_rel "
                "WHERE article_id = ANY(%s) GROUP BY 1",
                list(self._origin.ids),
            )
        )
        counts = dict(self.env.cr.fetchall())
        for article in self:
            article.use_count = counts.get(article._origin.id, 0)

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------
    @api.model
    def _rank_for_complaints(self, complaints):
        """{complaint id: [article id, best first]}: the articles matching
        each complaint's category, products or words, in one query; only
        articles of the complaint's company (or shared), record rules left to
        the caller."""
        templates = complaints._get_care_product_template_ids()
        rows = [
            SQL(
                "(%s::int, %s::int, %s::int[], %s::text)",
                complaint.id,
                complaint.category_id.id or None,
                templates.get(complaint.id, []),
                to_any_words_query(complaint._get_care_search_text()),
            )
            for complaint in complaints
        ]
        if not rows:
            return {}
        self.flush_model()
        query = SQL(
            """
            WITH c (complaint_id, category_id, product_ids, words) AS (VALUES %(rows)s)
            SELECT c.complaint_id, s.id
              FROM c
              JOIN crm_care_complaint cc ON cc.id = c.complaint_id
             CROSS JOIN LATERAL (
                   SELECT a.id,
                          ts_rank(%(document)s, q.query, 1)
                          + CASE WHEN EXISTS (
                                SELECT FROM crm_care_article_category_rel r
                                 WHERE r.article_id = a.id AND r.category_id = c.category_id)
                            THEN %(category_boost)s ELSE 0 END
                          + CASE WHEN EXISTS (
                                SELECT FROM crm_care_article_product_rel p
                                 WHERE p.article_id = a.id
                                   AND p.product_tmpl_id = ANY(c.product_ids))
                            THEN %(product_boost)s ELSE 0 END AS score
                     FROM crm_care_article a
                    CROSS JOIN LATERAL (
                          SELECT websearch_to_tsquery(%(config)s::regconfig, c.words)
                                 AS query
                          ) q
                    WHERE a.active AND a.state = 'approved'
                      AND (a.company_id IS NULL OR a.company_id = cc.company_id)
                      AND (%(document)s @@ q.query
                           OR EXISTS (
                               SELECT FROM crm_care_article_category_rel r
                                WHERE r.article_id = a.id AND r.category_id = c.category_id)
                           OR EXISTS (
                               SELECT FROM crm_care_article_product_rel p
                                WHERE p.article_id = a.id
                                  AND p.product_tmpl_id = ANY(c.product_ids)))
                    ORDER BY score DESC, a.id
                    LIMIT %(limit)s
                   ) s
             ORDER BY c.complaint_id, s.score DESC, s.id
            """,
            rows=SQL(", ").join(rows),
            document=self._search_document_sql("a"),
            config=TS_CONFIG,
            category_boost=CATEGORY_BOOST,
            product_boost=PRODUCT_BOOST,
            limit=SUGGESTED_ARTICLES,
        )
        self.env.cr.execute(query)
        ranked = {complaint.id: [] for complaint in complaints}
        for complaint_id, article_id in self.env.cr.fetchall():
            ranked[complaint_id].append(article_id)
        return ranked

    @api.model
    def _search_text(self, text, limit=SUGGESTED_ARTICLES):
        """The readable articles matching any word of `text`, best first."""
        words = to_any_words_query(text)
        if not words:
            return self.browse()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id FROM crm_care_article a,
                       websearch_to_tsquery(%(config)s::regconfig, %(words)s) q
                 WHERE a.active AND %(document)s @@ q
                 ORDER BY ts_rank(%(document)s, q, 1) DESC, a.id
                """,
                config=TS_CONFIG,
                words=words,
                document=self._search_document_sql("a"),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        readable = self.search([("id", "in", ids)])
        return self.browse([i for i in ids if i in set(readable.ids)][:limit])

    @api.model
    def _search_published(self, text, company, limit=SUGGESTED_ARTICLES):
        """The articles customers of `company` may read matching any word of
        `text`, best first: approved, published, active, the company's or
        shared. As superuser: the public pages' only way to articles, and what
        they show of them is the title and the answer."""
        words = to_any_words_query(text)
        if not words:
            return self.browse()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id FROM crm_care_article a,
                       websearch_to_tsquery(%(config)s::regconfig, %(words)s) q
                 WHERE a.active AND a.state = 'approved'
                   AND a.visibility = 'published'
                   AND (a.company_id IS NULL OR a.company_id = %(company)s)
                   AND %(document)s @@ q
                 ORDER BY ts_rank(%(document)s, q, 1) DESC, a.id
                 LIMIT %(limit)s
                """,
                config=TS_CONFIG,
                words=words,
                company=company.id,
                document=self._search_document_sql("a"),
                limit=limit,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _published_domain(self, company):
        """The articles customers of `company` may read."""
        return [
            ("state", "=", "approved"),
            ("visibility", "=", "published"),
            ("company_id", "in", [False, company.id]),
        ]

    # ------------------------------------------------------------------
    # Customers' votes
    # ------------------------------------------------------------------
    def _record_vote(self, helpful):
        """Count one customer's vote on these articles, in one UPDATE that
        adds to the counts as they are in the database (concurrent votes all
        count), and the helpfulness share with it."""
        column = "helpful_count" if helpful else "not_helpful_count"
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_care_article
                   SET %(column)s = COALESCE(%(column)s, 0) + 1,
                       helpful_ratio = 100.0
                           * (COALESCE(helpful_count, 0) + %(helpful)s)
                           / (COALESCE(helpful_count, 0)
                              + COALESCE(not_helpful_count, 0) + 1)
                 WHERE id = ANY(%(ids)s)
                """,
                column=SQL.identifier(column),
                helpful=1 if helpful else 0,
                ids=self.ids,
            )
        )
        self.invalidate_recordset(list(VOTE_FIELDS))

    # ------------------------------------------------------------------
    # Review
    # ------------------------------------------------------------------
    @api.model
    def _cron_schedule_reviews(self):
        """A to-do for the author of each article due for review, in its
        company's day (shared articles: the cron's company), unless one is
        open already."""
        days = [
            (company, company._get_value_today())
            for company in self.env["res.company"].search([])
        ]
        days.append((self.env["res.company"], self.env.company._get_value_today()))
        for company, today in days:
            self.search(
                [
                    ("company_id", "=", company.id),
                    ("date_review_due", "<=", today),
                    ("user_id", "!=", False),
                ]
            )._schedule_review(today)

    def _schedule_review(self, today):
        pending = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", self.env.ref(REVIEW_ACTIVITY).id),
                ]
            )
            .mapped("res_id")
        )
        review = self.env.ref(REVIEW_ACTIVITY)
        for article in self.filtered(lambda a: a.id not in pending):
            article.activity_schedule(
                REVIEW_ACTIVITY,
                date_deadline=today,
                # For one person: in their language, whoever runs the cron.
                summary=review.with_context(lang=article.user_id.lang).summary,
                user_id=article.user_id.id,
            )

    def _schedule_draft_review(self):
        """Ask the author to check the draft (the review to-do, today)."""
        for article in self:
            today = (article.company_id or self.env.company)._get_value_today()
            article.activity_schedule(
                REVIEW_ACTIVITY,
                date_deadline=today,
                summary=self.env._("Check the draft article and approve it"),
                user_id=article.user_id.id,
            )

    def action_approve(self):
        """The author checked the draft: it is suggested (and, published,
        shown to customers) from now on; its review to-do done."""
        self.write({"state": "approved"})
        self.action_mark_reviewed()

    def action_mark_reviewed(self):
        """The author checked the answer: reviewed today, the review to-do done."""
        for article in self:
            article.date_reviewed = (
                article.company_id or self.env.company
            )._get_value_today()
        self.activity_feedback([REVIEW_ACTIVITY], feedback=self.env._("Reviewed."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_complaints(self):
        """The complaints this article was used on (those the user may read)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.crm_care_complaint_action"
        )
        action["domain"] = [("care_article_ids", "in", self.ids)]
        action["context"] = {}
        return action

    def action_use_on_complaint(self):
        """Use this article in a reply to the complaint whose form shows it
        (the suggestions list passes the complaint as care_complaint_id)."""
        self.ensure_one()
        complaint = self.env["crm.care.complaint"].browse(
            self.env.context.get("care_complaint_id")
        )
        if not complaint.exists():
            raise UserError(self.env._("Save the complaint first."))
        return complaint._use_care_article(self)
