from odoo import http
from odoo.http import request


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
        errors, status = [], 200
        if request.httprequest.method == "POST":
            complaint, errors, status = request.env[
                "crm.care.complaint.intake"
            ]._submit_public_form(post, request.httprequest.remote_addr)
            if complaint:
                return request.render(
                    "crm_care.public_complaint_thanks", {"complaint": complaint}
                )
        return request.render(
            "crm_care.public_complaint_form",
            {"errors": errors, "form": post},
            status=status,
        )

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
