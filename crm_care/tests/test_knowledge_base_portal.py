import xmlrpc.client

from odoo.tests import tagged

from .common import CarePortalCommon

DAMAGED = "Returning a damaged parcel"
DAMAGED_ZH = "包裹破损怎么办"


@tagged("post_install", "-at_install")
class TestKnowledgeBasePortal(CarePortalCommon):
    """Customers read the published articles of their company before filing
    a complaint, stop there ("Yes, this answered it") and vote on them; the
    public routes show nothing else and write nothing but the counters."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["crm.care.article"]
        company = cls.env.company
        other_company = cls.env["res.company"].create({"name": "Other Tea Trading"})
        body = "<p>When a parcel arrives damaged, we collect it and send a new one.</p>"
        cls.published = Article.create(
            {"name": DAMAGED, "body": body, "visibility": "published"}
        )
        cls.published_zh = Article.create(
            {
                "name": DAMAGED_ZH,
                "body": "<p>如果包裹破损，我们上门取件并在三天内补发。</p>",
                "visibility": "published",
            }
        )
        cls.internal = Article.create(
            {
                "name": "Damaged parcel: claim from the carrier (staff)",
                "body": "<p>Carrier account 4711; a damaged parcel claim.</p>",
                "visibility": "internal",
            }
        )
        cls.draft = Article.create(
            {
                "name": "Damaged parcel draft answer",
                "body": body,
                "visibility": "published",
                "state": "draft",
            }
        )
        cls.foreign = Article.create(
            {
                "name": "Damaged parcel at Other Tea Trading",
                "body": body,
                "visibility": "published",
                "company_id": other_company.id,
            }
        )
        cls.hidden = cls.internal | cls.draft | cls.foreign
        assert company.id != other_company.id

    def _complaint_count(self):
        return self.env["crm.care.complaint"].sudo().search_count([])

    def _deflections(self, article):
        return self.env["crm.care.article.deflection"].search(
            [("article_id", "=", article.id)]
        )

    def _search_answers(self, url, subject):
        return self.url_open(
            url,
            data={
                "csrf_token": self._csrf(url),
                "subject": subject,
                "search_answers": "1",
            },
        )

    def assertShowsOnly(self, page, first, also=()):
        titles = [
            self.published.name,
            self.published_zh.name,
            *self.hidden.mapped("name"),
        ]
        shown = sorted(
            (page.text.index(title), title) for title in titles if title in page.text
        )
        self.assertEqual([title for _i, title in shown], [first, *also])

    # ------------------------------------------------------------------
    # "Does this answer your question?"
    # ------------------------------------------------------------------
    def test_public_form_shows_the_published_articles_best_first_files_nothing(self):
        before = self._complaint_count()
        page = self._search_answers("/complaint", "Parcel arrived damaged")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Does this answer your question?", page.text)
        self.assertShowsOnly(page, DAMAGED)
        self.assertNotIn("4711", page.text)
        page = self._search_answers("/complaint", "收到的包裹破损了")
        self.assertShowsOnly(page, DAMAGED_ZH)
        page = self._search_answers("/complaint", "zebra crossing")
        self.assertIn("o_complaint_no_article", page.text)
        self.assertEqual(self._complaint_count(), before)

    def test_portal_form_shows_the_published_articles_of_the_company(self):
        self.authenticate("portal_alpha", "portal_alpha")
        before = self._complaint_count()
        page = self._search_answers("/my/complaints/new", "Damaged parcel")
        self.assertEqual(page.status_code, 200)
        self.assertShowsOnly(page, DAMAGED)
        self.assertEqual(self._complaint_count(), before)

    # ------------------------------------------------------------------
    # "Yes, this answered it"
    # ------------------------------------------------------------------
    def test_visitor_stopping_at_an_article_is_recorded_once_nothing_filed(self):
        before = self._complaint_count()
        for _i in range(2):
            page = self.url_open(
                "/complaint/answered",
                data={
                    "csrf_token": self._csrf("/complaint"),
                    "article_id": self.published.id,
                },
            )
            self.assertEqual(page.status_code, 200)
            self.assertIn("o_complaint_answered", page.text)
        stop = self._deflections(self.published)
        self.assertEqual(len(stop), 1, "once per article and session")
        self.assertEqual((stop.channel, stop.company_id), ("web", self.env.company))
        self.assertFalse(stop.partner_id)
        self.assertEqual(self._complaint_count(), before)

    def test_portal_customer_stopping_at_an_article_is_recorded_as_theirs(self):
        self.authenticate("portal_alpha", "portal_alpha")
        self.url_open(
            "/complaint/answered",
            data={
                "csrf_token": self._csrf("/my/complaints/new"),
                "article_id": self.published_zh.id,
            },
        )
        stop = self._deflections(self.published_zh)
        self.assertEqual(stop.channel, "portal")
        self.assertEqual(stop.partner_id, self.alpha)
        self.assertEqual(stop.user_id, self.alpha_user)

    def test_stopping_needs_a_published_article_and_the_csrf_token(self):
        csrf = self._csrf("/complaint")
        for article in self.hidden:
            page = self.url_open(
                "/complaint/answered",
                data={"csrf_token": csrf, "article_id": article.id},
            )
            self.assertEqual(page.status_code, 404)
        page = self.url_open(
            "/complaint/answered", data={"article_id": self.published.id}
        )
        self.assertEqual(page.status_code, 400)
        self.assertFalse(
            self.env["crm.care.article.deflection"].search(
                [("article_id", "in", (self.hidden | self.published).ids)]
            )
        )

    # ------------------------------------------------------------------
    # Helpful / not helpful
    # ------------------------------------------------------------------
    def _vote(self, article, helpful, csrf=True):
        url = f"/complaint/article/{article.id}"
        data = {"helpful": helpful}
        if csrf:  # the session's token (the page hides its form once voted)
            data["csrf_token"] = self._csrf("/complaint")
        return self.url_open(f"{url}/vote", data=data, allow_redirects=False)

    def test_public_votes_count_once_per_article_and_session(self):
        page = self.url_open(f"/complaint/article/{self.published.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("we collect it and send a new one", page.text)
        self.assertEqual(self._vote(self.published, "1").status_code, 303)
        self.assertEqual(self._vote(self.published, "1").status_code, 303)
        page = self.url_open(f"/complaint/article/{self.published.id}")
        self.assertIn("o_care_article_voted", page.text)
        self.authenticate(None, None)  # another visitor
        self._vote(self.published, "0")
        self.published.invalidate_recordset()
        self.assertEqual(
            (
                self.published.helpful_count,
                self.published.not_helpful_count,
                self.published.helpful_ratio,
            ),
            (1, 1, 50.0),
        )

    def test_hidden_articles_are_not_found_and_not_voted_on(self):
        for article in self.hidden:
            url = f"/complaint/article/{article.id}"
            self.assertEqual(self.url_open(url).status_code, 404)
            response = self.url_open(
                f"{url}/vote",
                data={"csrf_token": self._csrf("/complaint"), "helpful": "1"},
            )
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(article.name, response.text)
        self.assertEqual(self._vote(self.published, "1", csrf=False).status_code, 400)
        self.assertEqual(self._vote(self.published, "7").status_code, 404)
        self.hidden.invalidate_recordset()
        self.assertEqual(sum((self.hidden | self.published).mapped("helpful_count")), 0)

    def test_portal_rpc_neither_reads_articles_nor_writes_their_counts(self):
        db, uid, password = self.env.cr.dbname, self.alpha_user.id, "portal_alpha"
        for method, args in (
            ("read", [[self.internal.id], ["name", "body"]]),
            ("write", [[self.published.id], {"helpful_count": 999}]),
            ("_record_vote", [[self.published.id], True]),
            ("search_read", [[], ["name"]]),
        ):
            with self.assertRaises(xmlrpc.client.Fault, msg=method):
                self.xmlrpc_object.execute_kw(
                    db, uid, password, "crm.care.article", method, args
                )
        self.published.invalidate_recordset()
        self.assertEqual(self.published.helpful_count, 0)
