from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import formataddr, is_html_empty, plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_care_complaint_intake import clean_header, clean_text
from ..models.crm_care_complaint_stage import OPEN_STATES

# What a form may hold: enough for a real complaint, not for a flood.
MAX_NAME = 100
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_SUBJECT = 200
MAX_DESCRIPTION = 5000


class ComplaintPortal(CustomerPortal):
    """The customer's complaints in /my, and the public complaint form."""

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
        partner = request.env.user.partner_id
        customer = partner.commercial_partner_id
        company = customer.company_id or request.env.company
        errors, vals = [], {}
        if request.httprequest.method == "POST":
            errors, vals = self._validate_portal_complaint(post, customer, company)
            if not errors:
                # Portal users may not create complaints themselves: the
                # customer, contact and channel come from the session, never
                # from the form.
                vals.update(
                    partner_id=customer.id,
                    contact_id=partner.id if partner != customer else False,
                    email_from=partner.email,
                    phone=partner.phone,
                    channel="portal",
                    company_id=company.id,
                )
                complaint = (
                    request.env["crm.care.complaint"]
                    .sudo()
                    .with_company(company)
                    .create(vals)
                )
                return request.redirect(f"{complaint.access_url}?created=1")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint_new",
                "categories": self._complaint_categories(company),
                "orders": self._complaint_orders(customer),
                "errors": errors,
                "form": post,
            }
        )
        return request.render("crm_care.portal_new_complaint", values)

    def _complaint_categories(self, company):
        return (
            request.env["crm.care.complaint.category"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )

    def _complaint_orders(self, customer):
        # sudo: the customer's own confirmed orders, whoever follows them.
        return (
            request.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", customer.id),
                    ("state", "=", "sale"),
                ],
                order="date_order desc, id desc",
                limit=100,
            )
        )

    def _length_errors(self, values):
        """What to say about the given form values that are too long."""
        _ = request.env._
        limits = {
            "name": (
                MAX_NAME,
                _("Your name is too long (%(max)s characters at most).", max=MAX_NAME),
            ),
            "email": (
                MAX_EMAIL,
                _(
                    "Your email address is too long (%(max)s characters at most).",
                    max=MAX_EMAIL,
                ),
            ),
            "phone": (
                MAX_PHONE,
                _(
                    "Your phone number is too long (%(max)s characters at most).",
                    max=MAX_PHONE,
                ),
            ),
            "subject": (
                MAX_SUBJECT,
                _(
                    "The subject is too long (%(max)s characters at most).",
                    max=MAX_SUBJECT,
                ),
            ),
            "description": (
                MAX_DESCRIPTION,
                _(
                    "The description is too long (%(max)s characters at most).",
                    max=MAX_DESCRIPTION,
                ),
            ),
        }
        return [
            message
            for key, (limit, message) in limits.items()
            if len(values.get(key) or "") > limit
        ]

    def _validate_portal_complaint(self, post, customer, company):
        """The values of a complaint filed from /my, or the errors to show."""
        _ = request.env._
        errors = []
        subject = clean_header(post.get("subject"))
        description = clean_text(post.get("description"))
        if not subject:
            errors.append(_("Please tell us in a few words what went wrong."))
        errors += self._length_errors({"subject": subject, "description": description})
        vals = {
            "subject": subject,
            "description": plaintext2html(description) if description else False,
        }
        category = _chosen(self._complaint_categories(company), post.get("category_id"))
        if category is None:
            errors.append(_("Please choose a category from the list."))
        order = _chosen(self._complaint_orders(customer), post.get("order_id"))
        if order is None:
            errors.append(_("Please choose one of your orders from the list."))
        if category:
            vals["category_id"] = category.id
        if order:
            vals["document_ref"] = f"{order._name},{order.id}"
        return errors, vals

    # ------------------------------------------------------------------
    # /complaint: the public form, for anyone
    # ------------------------------------------------------------------
    @http.route(
        ["/complaint"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def public_complaint(self, **post):
        errors = []
        if request.httprequest.method == "POST":
            errors, vals = self._validate_public_complaint(post)
            if not errors:
                Complaint = request.env["crm.care.complaint"]
                if Complaint._web_form_rate_limited(
                    vals["email"], request.httprequest.remote_addr
                ):
                    errors = [
                        request.env._(
                            "We have received several complaints from you in the "
                            "last hour. Please try again later, or write to us by "
                            "email."
                        )
                    ]
                    return request.render(
                        "crm_care.public_complaint_form",
                        {"errors": errors, "form": post},
                        status=429,
                    )
                complaint = self._create_public_complaint(vals)
                return request.render(
                    "crm_care.public_complaint_thanks", {"complaint": complaint}
                )
        return request.render(
            "crm_care.public_complaint_form", {"errors": errors, "form": post}
        )

    def _validate_public_complaint(self, post):
        """The values of a complaint from the public form, or the errors."""
        _ = request.env._
        values = {
            key: clean_header(post.get(key))
            for key in ("name", "email", "phone", "subject")
        }
        values["description"] = clean_text(post.get("description"))
        # Whole sentences per field: translators get no fragments to assemble.
        missing = {
            "name": _("Please fill in your name."),
            "email": _("Please fill in your email address."),
            "subject": _("Please fill in the subject."),
            "description": _("Please tell us what happened."),
        }
        errors = [message for key, message in missing.items() if not values[key]]
        errors += self._length_errors(values)
        email = request.env["crm.care.complaint"]._web_normalize_email(
            post.get("email") or ""
        )
        if values["email"] and not email:
            errors.append(_("Please enter a valid email address."))
        return errors, dict(values, email=email)

    def _create_public_complaint(self, values):
        """A complaint from the public form: kept with the address given but
        filed for nobody until that address is confirmed by the link mailed to
        it, for an address typed into a form proves no identity."""
        # sudo: visitors cannot create complaints; this form is their way in.
        Complaint = request.env["crm.care.complaint"].sudo()
        company = request.env.company
        complaint = Complaint.with_company(company).create(
            {
                "subject": values["subject"],
                "description": plaintext2html(values["description"]),
                "email_from": formataddr((values["name"], values["email"])),
                "web_email": values["email"],
                "web_remote_addr": request.httprequest.remote_addr,
                "phone": values["phone"] or False,
                "channel": "web",
                "company_id": company.id,
            }
        )
        complaint._web_send_confirmation()
        return complaint

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


def _chosen(records, raw):
    """The record a form's select chose among `records`: empty when nothing
    was chosen, None when the choice is not one of them (tampered with)."""
    if not raw:
        return records.browse()
    try:
        chosen = int(raw)
    except (TypeError, ValueError):
        return None
    return records.filtered(lambda r: r.id == chosen) or None
