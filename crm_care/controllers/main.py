from odoo import http
from odoo.http import request

# What a session remembers of the knowledge base: the articles it voted on and
# stopped at (one vote, one deflection per article and session), at most this
# many of each.
SESSION_VOTES = "crm_care_article_votes"
SESSION_DEFLECTIONS = "crm_care_article_deflections"
SESSION_MAX = 200


def _session_add(key, article_id):
    """Remember `article_id` under `key` in the session: False when it was
    there already (or the session is full), True when it is new."""
    seen = list(request.session.get(key) or [])
    if article_id in seen or len(seen) >= SESSION_MAX:
        return False
    request.session[key] = [*seen, article_id]
    return True


class PublicComplaint(http.Controller):
    """The public complaint form (/complaint), for anyone, and the
    confirmation of the address it was sent from. What a submission must hold
    is checked by crm.care.complaint.intake."""

    @http.route(
        ["/complaint"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def public_complaint(self, **post):
        errors, status, articles = [], 200, None
        Intake = request.env["crm.care.complaint.intake"]
        if request.httprequest.method == "POST" and post.get("search_answers"):
            # "Does this answer your question?": nothing filed yet.
            company = Intake._visitor_company(request.env.user)
            articles = Intake._suggest_articles(post, company)
        elif request.httprequest.method == "POST":
            complaint, errors, status = request.env[
                "crm.care.complaint.intake"
            ]._submit_public_form(post, request.httprequest.remote_addr)
            if complaint:
                return request.render(
                    "crm_care.public_complaint_thanks", {"complaint": complaint}
                )
        return request.render(
            "crm_care.public_complaint_form",
            {"errors": errors, "form": post, "articles": articles},
            status=status,
        )

    # ------------------------------------------------------------------
    # The knowledge base for customers: published articles only
    # ------------------------------------------------------------------
    @http.route(
        ["/complaint/answered"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def public_complaint_answered(self, article_id=None, **post):
        """ "Yes, this answered it": the customer stops at the article; the
        stop is recorded (once per article and session), nothing is filed."""
        Intake = request.env["crm.care.complaint.intake"]
        user = request.env.user
        article = Intake._published_article(article_id, Intake._visitor_company(user))
        if not article:
            return request.not_found()
        if _session_add(SESSION_DEFLECTIONS, article.id):
            Intake._record_deflection(article, user)
        return request.render(
            "crm_care.public_complaint_answered", {"article": article}
        )

    @http.route(
        ["/complaint/article/<int:article_id>"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
        sitemap=False,
    )
    def public_article(self, article_id, **kw):
        """A published article, with the helpful / not helpful buttons."""
        Intake = request.env["crm.care.complaint.intake"]
        article = Intake._published_article(
            article_id, Intake._visitor_company(request.env.user)
        )
        if not article:
            return request.not_found()
        return request.render(
            "crm_care.public_article",
            {
                "article": article,
                "voted": article.id in (request.session.get(SESSION_VOTES) or []),
            },
        )

    @http.route(
        ["/complaint/article/<int:article_id>/vote"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        sitemap=False,
    )
    def public_article_vote(self, article_id, helpful=None, **post):
        """Count the visitor's vote on a published article, once per session;
        nothing else of the article is written."""
        Intake = request.env["crm.care.complaint.intake"]
        article = Intake._published_article(
            article_id, Intake._visitor_company(request.env.user)
        )
        if not article or helpful not in ("0", "1"):
            return request.not_found()
        if _session_add(SESSION_VOTES, article.id):
            article._record_vote(helpful == "1")
        return request.redirect(f"/complaint/article/{article.id}")

    @http.route(
        ["/complaint/confirm/<int:complaint_id>/<string:token>"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def public_complaint_confirm(self, complaint_id, token, **post):
        """The link mailed to the address given on the form: a page asking to
        confirm (mail scanners open links, people press buttons), then the
        complaint is filed for the customer owning the address."""
        # sudo: the signed token, checked right below, is the visitor's right.
        complaint = request.env["crm.care.complaint"].sudo().browse(complaint_id)
        if not complaint.exists() or not complaint._web_check_confirm_token(token):
            return request.render(
                "crm_care.public_complaint_confirm",
                {"complaint": False, "invalid": True},
                status=403,
            )
        if request.httprequest.method == "POST":
            complaint._web_confirm_email()
        return request.render(
            "crm_care.public_complaint_confirm",
            {
                "complaint": complaint,
                "invalid": False,
                "confirmed": complaint.web_email_confirmed,
                "token": token,
            },
        )
