from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import is_html_empty

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_care_complaint_stage import DONE_STATES, OPEN_STATES


class ComplaintPortal(CustomerPortal):
    """The customer's complaints in /my (the public form: main.py)."""

    # ------------------------------------------------------------------
    # /my: the customer's complaints
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["crm.care.complaint"]
            values["complaint_count"] = (
                Complaint.search_count(self._complaints_domain())
                if Complaint.has_access("read")
                else 0
            )
        return values

    def _complaints_domain(self):
        # The record rule already limits portal users to their company's
        # complaints; the domain keeps internal users' /my to theirs as well.
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "=", partner.id)]

    def _complaint_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_received desc, id desc",
            },
            "stage": {
                "label": request.env._("Stage"),
                "order": "stage_id, date_received desc, id desc",
            },
        }

    def _complaint_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("state", "in", OPEN_STATES)],
            },
        }

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kw):
        Complaint = request.env["crm.care.complaint"]
        sortings = self._complaint_searchbar_sortings()
        filters = self._complaint_searchbar_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._complaints_domain() + filters[filterby]["domain"]

        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Complaint.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = Complaint.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]

        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints,
                "page_name": "complaint",
                "default_url": "/my/complaints",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "done_states": DONE_STATES,
            }
        )
        return request.render("crm_care.portal_my_complaints", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._document_check_access(
                "crm.care.complaint", complaint_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaint": complaint_sudo,
                "page_name": "complaint",
                "open_states": OPEN_STATES,
                "done_states": DONE_STATES,
                "created": bool(kw.get("created")),
                "is_html_empty": is_html_empty,
            }
        )
        values = self._get_page_view_values(
            complaint_sudo,
            access_token,
            values,
            "my_complaints_history",
            False,
            **kw,
        )
        return request.render("crm_care.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_new_complaint(self, **post):
        Intake = request.env["crm.care.complaint.intake"]
        partner = request.env.user.partner_id
        customer = partner.commercial_partner_id
        errors, articles = [], None
        company = Intake._portal_company(customer)
        if request.httprequest.method == "POST" and post.get("search_answers"):
            # "Does this answer your question?": nothing filed yet.
            articles = Intake._suggest_articles(post, company)
        elif request.httprequest.method == "POST":
            complaint, errors = Intake._submit_portal_form(post, partner)
            if complaint:
                return request.redirect(f"{complaint.access_url}?created=1")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_new",
                "categories": Intake._portal_categories(company),
                "orders": Intake._portal_orders(customer),
                "errors": errors,
                "form": post,
                "articles": articles,
            }
        )
        return request.render("crm_care.portal_new_complaint", values)
