from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CrmCareCommon


@tagged("post_install", "-at_install")
class TestKnowledgeBaseReports(CrmCareCommon):
    """The knowledge base reports on known complaints, articles and stops:
    articles used per category, complaints answered with an article against
    without, deflections per article and month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["crm.care.complaint.category"].create(
            {"name": "Knowledge Base Report Test"}
        )
        Article = cls.env["crm.care.article"]
        cls.lid, cls.glaze = Article.create(
            [{"name": "Lids that do not fit"}, {"name": "Crazing in the glaze"}]
        )
        now = fields.Datetime.now()
        # (days to resolve, CSAT after, articles used)
        rows = [
            (2, 5, cls.lid),
            (4, 4, cls.lid | cls.glaze),
            (6, 2, Article),
            (10, 0, Article),  # no survey answer: left out of the satisfaction
        ]
        cls.complaints = cls.env["crm.care.complaint"]
        for days, csat, articles in rows:
            complaint = cls.env["crm.care.complaint"].create(
                {
                    "partner_id": cls.customer.id,
                    "subject": "Report test",
                    "category_id": cls.category.id,
                    "date_received": now - timedelta(days=days),
                }
            )
            complaint.stage_id = cls.env.ref("crm_care.complaint_stage_resolved")
            complaint.write({"date_resolved": now, "csat_score": csat})
            for article in articles:  # as Use this article records it
                complaint.with_user(cls.rep)._use_care_article(article)
            cls.complaints |= complaint
        cls.env.flush_all()

    def test_articles_used_per_category(self):
        groups = self.env["crm.care.article.usage.report"]._read_group(
            [("category_id", "=", self.category.id)],
            ["category_id", "article_id"],
            ["__count"],
        )
        self.assertEqual(
            {article: count for _category, article, count in groups},
            {self.lid: 2, self.glaze: 1},
        )

    def test_resolution_time_and_satisfaction_with_an_article_or_without(self):
        groups = self.env["crm.care.complaint.article.report"]._read_group(
            [("category_id", "=", self.category.id)],
            ["with_article"],
            [
                "complaint_count:sum",
                "resolution_days:avg",
                "csat_score:avg",
                "satisfied_rate:avg",
            ],
        )
        figures = {
            with_article: (count, round(days, 2), csat, rate)
            for with_article, count, days, csat, rate in groups
        }
        self.assertEqual(figures[True], (2, 3.0, 4.5, 100.0))
        # The unanswered survey counts in the time, not in the satisfaction.
        self.assertEqual(figures[False], (2, 8.0, 2.0, 0.0))

    def test_deflections_per_article_and_month(self):
        Deflection = self.env["crm.care.article.deflection"]
        Intake = self.env["crm.care.complaint.intake"]
        public = self.env.ref("base.public_user")
        for article in (self.lid, self.lid, self.glaze):
            Intake._record_deflection(article, public)
        groups = Deflection._read_group(
            [("article_id", "in", (self.lid | self.glaze).ids)],
            ["article_id", "date:month"],
            ["__count"],
        )
        self.assertEqual(
            {article: count for article, _month, count in groups},
            {self.lid: 2, self.glaze: 1},
        )
        self.assertEqual(len({month for _article, month, _count in groups}), 1)
        stop = Deflection.search([("article_id", "=", self.glaze.id)])
        self.assertEqual((stop.channel, stop.company_id), ("web", self.company))
        self.assertFalse(stop.partner_id)

    def test_articles_due_for_review_are_listed(self):
        self.glaze.date_reviewed = self.today - timedelta(days=400)
        action = self.env.ref("crm_care.crm_care_article_action_review_due")
        self.assertIn("search_default_review_due", action.context)
        due = self.env["crm.care.article"].search(
            [
                ("date_review_due", "<=", self.today),
                ("id", "in", (self.lid | self.glaze).ids),
            ]
        )
        self.assertEqual(due, self.glaze)
