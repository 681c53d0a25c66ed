from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestKnowledgeBase(CrmCareCommon):
    """Articles suggested on complaints by category, product and words
    (English and Chinese), and used in a reply."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["crm.care.article"]
        # A category of its own: the demo's articles answer the shipped ones.
        cls.quality = cls.env["crm.care.complaint.category"].create(
            {"name": "Glaze Quality"}
        )
        cls.teapot = cls.env["product.product"].create(
            {"name": "Celadon Teapot", "type": "consu", "list_price": 30.0}
        )
        cls.damaged = Article.create(
            {
                "name": "Returning a damaged parcel",
                "body": "<p>When a parcel arrives broken, we collect it and send "
                "a new one within three days.</p>",
            }
        )
        cls.damaged_zh = Article.create(
            {
                "name": "包裹破损怎么办",
                "body": "<p>如果包裹破损，我们上门取件并在三天内补发。</p>",
            }
        )
        cls.address = Article.create(
            {
                "name": "Changing the invoice address",
                "body": "<p>Write to us with the new address before the order "
                "ships.</p>",
            }
        )
        cls.quality_article = Article.create(
            {
                "name": "What our quality guarantee covers",
                "body": "<p>Every cup is checked twice.</p>",
                "category_ids": [Command.link(cls.quality.id)],
            }
        )
        cls.teapot_article = Article.create(
            {
                "name": "Caring for celadon glaze",
                "body": "<p>Rinse with warm water only.</p>",
                "product_tmpl_ids": [Command.link(cls.teapot.product_tmpl_id.id)],
            }
        )

    def _complaint(self, **values):
        return self.env["crm.care.complaint"].create(
            {"partner_id": self.customer.id, **values}
        )

    def test_english_complaint_is_suggested_the_matching_article_first(self):
        complaint = self._complaint(
            subject="Parcel arrived damaged",
            description="<p>The box was broken when it came.</p>",
        )
        suggested = complaint.care_suggested_article_ids
        self.assertEqual(suggested[:1], self.damaged)
        self.assertNotIn(self.address, suggested)
        self.assertNotIn(self.damaged_zh, suggested)

    def test_chinese_complaint_is_suggested_the_chinese_article_first(self):
        complaint = self._complaint(subject="收到的包裹破损了")
        suggested = complaint.care_suggested_article_ids
        self.assertEqual(suggested[:1], self.damaged_zh)
        self.assertNotIn(self.damaged, suggested)

    def test_category_and_products_suggest_articles_without_common_words(self):
        order = self._sell(self.customer, [(self.teapot, 1, 30.0)])
        complaint = self._complaint(
            subject="Unhappy",
            category_id=self.quality.id,
            document_ref=f"sale.order,{order.id}",
        )
        self.assertEqual(
            set(complaint.care_suggested_article_ids.ids),
            {self.quality_article.id, self.teapot_article.id},
        )

    def test_full_text_search_ranks_the_title_match_first(self):
        Article = self.env["crm.care.article"]
        self.assertEqual(Article._search_text("damaged parcel")[:1], self.damaged)
        self.assertEqual(Article._search_text("破损")[:1], self.damaged_zh)
        self.assertEqual(Article._search_text("invoice address")[:1], self.address)
        self.assertFalse(Article._search_text("zebra"))

    def test_using_an_article_puts_its_answer_into_the_reply_and_counts(self):
        complaint = self._complaint(subject="Parcel arrived damaged")
        action = (
            self.damaged.with_user(self.rep)
            .with_context(care_complaint_id=complaint.id)
            .action_use_on_complaint()
        )
        self.assertEqual(complaint.care_article_ids, self.damaged)
        self.damaged.invalidate_recordset(["use_count"])
        self.assertEqual(self.damaged.use_count, 1)
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.rep)
            .with_context(**action["context"])
            .create({})
        )
        composer.action_send_mail()
        self.assertIn(
            "we collect it and send a new one",
            complaint.message_ids[:1].body,
        )

    def test_an_internal_article_goes_into_a_note_a_published_one_to_the_customer(
        self,
    ):
        complaint = self._complaint(subject="Parcel arrived damaged")
        self.damaged.visibility = "internal"
        self.damaged_zh.visibility = "published"
        actions = [
            article.with_user(self.rep)
            .with_context(care_complaint_id=complaint.id)
            .action_use_on_complaint()
            for article in (self.damaged, self.damaged_zh)
        ]
        self.assertEqual(
            [action["context"]["default_subtype_xmlid"] for action in actions],
            ["mail.mt_note", "mail.mt_comment"],
        )
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.rep)
            .with_context(**actions[0]["context"])
            .create({})
        )
        composer.action_send_mail()
        message = complaint.message_ids[:1]
        self.assertTrue(message.is_internal or message.subtype_id.internal)

    def test_articles_used_are_recorded_not_typed(self):
        complaint = self._complaint(subject="Parcel arrived damaged")
        with self.assertRaises(AccessError):
            complaint.with_user(self.rep).write(
                {"care_article_ids": [Command.link(self.address.id)]}
            )
        self.assertFalse(complaint.care_article_ids)

    def test_an_article_due_for_review_asks_its_author_once(self):
        self.damaged.write(
            {
                "user_id": self.rep.id,
                "date_reviewed": self.today - relativedelta(months=13),
                "review_interval_months": 12,
            }
        )
        self.assertEqual(
            self.damaged.date_review_due, self.today - relativedelta(months=1)
        )
        # Another to-do on the article is not taken for the review.
        other = self.damaged.activity_schedule(
            "mail.mail_activity_data_todo", summary="Add a photo", user_id=self.rep.id
        )
        Article = self.env["crm.care.article"]
        Article._cron_schedule_reviews()
        Article._cron_schedule_reviews()
        review = self.damaged.activity_ids - other
        self.assertEqual(review.user_id, self.rep)
        self.assertEqual(
            review.activity_type_id,
            self.env.ref("crm_care.mail_activity_type_article_review"),
        )
        self.assertEqual(len(review), 1)
        self.assertFalse(self.address.activity_ids, "reviewed today: not due")
        self.damaged.with_user(self.rep).action_mark_reviewed()
        self.assertEqual(self.damaged.date_reviewed, self.today)
        self.assertEqual(self.damaged.activity_ids, other, "only the review is done")

    def test_employees_read_articles_and_only_care_users_write_them(self):
        employee = new_test_user(
            self.env,
            login="kb_employee",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.assertTrue(self.damaged.with_user(employee).read(["name"]))
        with self.assertRaises(AccessError):
            self.damaged.with_user(employee).write({"name": "Changed"})
        self.damaged.with_user(self.rep).write({"name": "Returning a broken parcel"})
        with self.assertRaises(AccessError):
            self.damaged.with_user(self.rep).unlink()


@tagged("post_install", "-at_install")
class TestArticleFromComplaint(CrmCareCommon):
    """A resolved complaint becomes a draft article in one step; customers'
    votes are counted, never typed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env.ref("crm_care.complaint_category_quality")
        cls.teapot = cls.env["product.product"].create(
            {"name": "Celadon Teapot", "type": "consu", "list_price": 30.0}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": cls.teapot.id})],
            }
        )
        order.action_confirm()
        cls.complaint = cls.env["crm.care.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "subject": "Teapot lid does not fit",
                "category_id": cls.quality.id,
                "document_ref": f"sale.order,{order.id}",
                "resolution": "<p>We sent a lid from the same firing, which fits.</p>",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ms Li", "parent_id": cls.customer.id, "email": "li@example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="kb_portal",
            groups="base.group_portal",
            partner_id=cls.contact.id,
        )

    def _resolve(self, complaint):
        complaint.stage_id = self.env.ref("crm_care.complaint_stage_resolved")

    def test_resolved_complaint_becomes_a_draft_article_for_its_author(self):
        self._resolve(self.complaint)
        action = self.complaint.with_user(self.rep).action_draft_care_article()
        article = self.env["crm.care.article"].browse(action["res_id"])
        self.assertEqual(article.name, "Teapot lid does not fit")
        self.assertIn("a lid from the same firing", article.body)
        self.assertEqual(article.category_ids, self.quality)
        self.assertEqual(article.product_tmpl_ids, self.teapot.product_tmpl_id)
        self.assertEqual(article.source_complaint_id, self.complaint)
        self.assertEqual(self.complaint.care_drafted_article_ids, article)
        self.assertEqual((article.state, article.visibility), ("draft", "internal"))
        self.assertEqual(article.user_id, self.rep)
        self.assertEqual(article.activity_ids.user_id, self.rep)
        # A draft is not suggested until its author approves it.
        twin = self.env["crm.care.complaint"].create(
            {"partner_id": self.customer.id, "subject": "Teapot lid does not fit"}
        )
        self.assertNotIn(article, twin.care_suggested_article_ids)
        article.with_user(self.rep).action_approve()
        self.assertEqual(article.state, "approved")
        self.assertFalse(article.activity_ids, "the check is done")
        twin.invalidate_recordset(["care_suggested_article_ids"])
        self.assertEqual(twin.care_suggested_article_ids[:1], article)

    def test_without_a_resolution_the_last_reply_is_the_answer(self):
        self.complaint.resolution = False
        self.complaint.with_user(self.rep).message_post(
            body="Please turn the lid a quarter turn: it locks.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.complaint.with_user(self.rep).message_post(
            body="Customer tried it on the phone.", subtype_xmlid="mail.mt_note"
        )
        self._resolve(self.complaint)
        action = self.complaint.with_user(self.rep).action_draft_care_article()
        article = self.env["crm.care.article"].browse(action["res_id"])
        self.assertIn("a quarter turn", article.body)

    def test_only_resolved_complaints_and_care_users_make_articles(self):
        with self.assertRaises(UserError):
            self.complaint.with_user(self.rep).action_draft_care_article()
        self._resolve(self.complaint)
        # The customer reads their complaint but writes no article from it.
        self.assertTrue(self.complaint.with_user(self.portal_user).subject)
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.portal_user).action_draft_care_article()
        self.assertFalse(self.complaint.care_drafted_article_ids)

    def test_votes_are_counted_in_the_database_not_typed(self):
        article = self.env["crm.care.article"].create({"name": "Lids"})
        with self.assertRaises(AccessError):
            article.with_user(self.rep).write({"helpful_count": 100})
        with self.assertRaises(AccessError):
            self.env["crm.care.article"].with_user(self.rep).create(
                {"name": "Padded", "helpful_count": 5}
            )
        for helpful in (True, True, True, False):
            article._record_vote(helpful)
        self.assertEqual((article.helpful_count, article.not_helpful_count), (3, 1))
        self.assertEqual(article.helpful_ratio, 75.0)
