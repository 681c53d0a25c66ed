from odoo import api, models
from odoo.tools import formataddr, plaintext2html

from .crm_care_complaint_gateway import clean_header, clean_text

# What a form may hold: enough for a real complaint, not for a flood.
MAX_LENGTHS = {
    "name": 100,
    "email": 254,
    "phone": 40,
    "subject": 200,
    "description": 5000,
}


class CrmCareComplaintIntake(models.AbstractModel):
    """The complaint forms a customer fills in: the public one (/complaint)
    and the portal's (/my/complaints/new). Each submission is checked and its
    complaint created in one method, which returns what to tell the sender;
    the controllers only read the request and render."""

    _name = "crm.care.complaint.intake"
    _description = "Complaint Forms"

    # ------------------------------------------------------------------
    # The knowledge base before filing: "Does this answer your question?"
    # ------------------------------------------------------------------
    @api.model
    def _visitor_company(self, user):
        """The company whose articles a visitor reads and whose complaints
        they file: a portal customer's, else the site's."""
        if user._is_public() or not user.share:
            return self.env.company
        return self._portal_company(user.partner_id.commercial_partner_id)

    @api.model
    def _suggest_articles(self, post, company):
        """The published articles matching what the customer typed so far
        (subject and description), best first."""
        text = (
            f"{clean_header(post.get('subject'))} {clean_text(post.get('description'))}"
        )
        return self.env["crm.care.article"]._search_published(text, company)

    @api.model
    def _published_article(self, raw_id, company):
        """The article a customer's page or form names, if customers of
        `company` may read it; else empty (superuser record: only its title
        and answer are shown)."""
        Article = self.env["crm.care.article"].sudo()
        try:
            article_id = int(raw_id)
        except (TypeError, ValueError):
            return Article
        return Article.search(
            [("id", "=", article_id), *Article._published_domain(company)], limit=1
        )

    @api.model
    def _record_deflection(self, article, user):
        """The customer stopped at `article`: recorded, nothing filed."""
        portal = not user._is_public() and user.share
        return self.env["crm.care.article.deflection"]._record(
            article,
            self._visitor_company(user),
            "portal" if portal else "web",
            user if portal else None,
        )

    # ------------------------------------------------------------------
    # The public form, for anyone
    # ------------------------------------------------------------------
    @api.model
    def _submit_public_form(self, post, remote_addr):
        """Check the public form's `post` and create its complaint, kept with
        the address given but filed for nobody until that address is
        confirmed by the link mailed to it (an address typed into a form
        proves no identity). Returns (complaint, errors, status): the
        complaint, or the errors to show with their HTTP status (429 when the
        form's rate limit for this address or IP is reached)."""
        Complaint = self.env["crm.care.complaint"]
        errors, values = self._check_public_form(post)
        if errors:
            return Complaint, errors, 200
        if Complaint._web_form_rate_limited(values["email"], remote_addr):
            message = self.env._(
                "We have received several complaints from you in the last hour. "
                "Please try again later, or write to us by email."
            )
            return Complaint, [message], 429
        company = self.env.company
        # sudo: visitors cannot create complaints; this form is their way in.
        complaint = (
            Complaint.sudo()
            .with_company(company)
            .create(
                {
                    "subject": values["subject"],
                    "description": plaintext2html(values["description"]),
                    "email_from": formataddr((values["name"], values["email"])),
                    "web_email": values["email"],
                    "web_remote_addr": remote_addr,
                    "phone": values["phone"] or False,
                    "channel": "web",
                    "company_id": company.id,
                }
            )
        )
        complaint._web_send_confirmation()
        return complaint, [], 200

    @api.model
    def _check_public_form(self, post):
        """The cleaned values of the public form, and the errors to show."""
        _ = self.env._
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
        email = self.env["crm.care.complaint"]._web_normalize_email(
            post.get("email") or ""
        )
        if values["email"] and not email:
            errors.append(_("Please enter a valid email address."))
        return errors, dict(values, email=email)

    # ------------------------------------------------------------------
    # The portal's form, for the logged-in customer
    # ------------------------------------------------------------------
    @api.model
    def _submit_portal_form(self, post, partner):
        """Check the portal form `partner` (the logged-in user's) sent and
        create its complaint for their company. Returns (complaint, errors)."""
        customer = partner.commercial_partner_id
        company = self._portal_company(customer)
        errors, vals = self._check_portal_form(post, customer, company)
        if errors:
            return self.env["crm.care.complaint"], errors
        # Portal users may not create complaints themselves: the customer,
        # contact and channel come from the session, never from the form.
        vals.update(
            partner_id=customer.id,
            contact_id=partner.id if partner != customer else False,
            email_from=partner.email,
            phone=partner.phone,
            channel="portal",
            company_id=company.id,
        )
        complaint = (
            self.env["crm.care.complaint"].sudo().with_company(company).create(vals)
        )
        return complaint, []

    @api.model
    def _portal_company(self, customer):
        """The company a customer's portal complaints are filed in."""
        return customer.company_id or self.env.company

    @api.model
    def _portal_categories(self, company):
        """The categories the portal form offers."""
        return (
            self.env["crm.care.complaint.category"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )

    @api.model
    def _portal_orders(self, customer):
        """The orders the portal form offers: the customer's own confirmed
        ones (sudo: whoever follows them)."""
        return (
            self.env["sale.order"]
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

    @api.model
    def _check_portal_form(self, post, customer, company):
        """The values of a complaint filed from /my, and the errors to show."""
        _ = self.env._
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
        category = _chosen(self._portal_categories(company), post.get("category_id"))
        if category is None:
            errors.append(_("Please choose a category from the list."))
        order = _chosen(self._portal_orders(customer), post.get("order_id"))
        if order is None:
            errors.append(_("Please choose one of your orders from the list."))
        if category:
            vals["category_id"] = category.id
        if order:
            vals["document_ref"] = f"{order._name},{order.id}"
        return errors, vals

    @api.model
    def _length_errors(self, values):
        """What to say about the given form values that are too long."""
        _ = self.env._
        messages = {
            "name": _(
                "Your name is too long (%(max)s characters at most).",
                max=MAX_LENGTHS["name"],
            ),
            "email": _(
                "Your email address is too long (%(max)s characters at most).",
                max=MAX_LENGTHS["email"],
            ),
            "phone": _(
                "Your phone number is too long (%(max)s characters at most).",
                max=MAX_LENGTHS["phone"],
            ),
            "subject": _(
                "The subject is too long (%(max)s characters at most).",
                max=MAX_LENGTHS["subject"],
            ),
            "description": _(
                "The description is too long (%(max)s characters at most).",
                max=MAX_LENGTHS["description"],
            ),
        }
        return [
            message
            for key, message in messages.items()
            if len(values.get(key) or "") > MAX_LENGTHS[key]
        ]


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
