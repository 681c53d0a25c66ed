import unicodedata
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import (
    email_normalize,
    hash_sign,
    html2plaintext,
    human_size,
    plaintext2html,
    verify_hash_signed,
)

from odoo.addons.crm_value.groups import INTERNAL

CONFIRM_SCOPE = "crm_care.complaint_web_confirm"
# System parameters, with the defaults used when one is missing or broken.
PARAM_LIMIT_EMAIL = ("crm_care.complaint_form_limit_email", 3)
PARAM_LIMIT_IP = ("crm_care.complaint_form_limit_ip", 10)
PARAM_CONFIRM_HOURS = ("crm_care.complaint_confirm_hours", 72)
PARAM_ATTACHMENT_MB = ("crm_care.complaint_attachment_max_mb", 10)
# The rate limits count the form's complaints of the last hour.
RATE_WINDOW = timedelta(hours=1)


def clean_header(text):
    """`text` fit for one line of a mail header: control and format characters
    (CR, LF, NUL, tabs, line separators...) become spaces, runs of spaces one."""
    cleaned = "".join(
        " " if unicodedata.category(char)[0] in "CZ" else char for char in text or ""
    )
    return " ".join(cleaned.split())


def clean_text(text):
    """Multi-line `text` without control characters but its line breaks."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(
        "".join(
            char
            for char in line
            if char == "\t" or unicodedata.category(char) not in ("Cc", "Cs")
        )
        for line in lines
    ).strip()


class CrmCareComplaintGateway(models.AbstractModel):
    """How complaints come in from outside, for crm.care.complaint (which
    inherits it before mail.thread: its mail overrides come first). The public
    form: an address typed into a form is no identity, so such a complaint
    stays unmatched until the address is confirmed by the link mailed to it
    (or staff match it by hand); the form is rate-limited per address and per
    client IP. The complaints alias: a complaint of the sender's company,
    header fields cleaned, attachments over the size limit dropped."""

    _name = "crm.care.complaint.gateway"
    _description = "Complaint Gateway"

    web_email = fields.Char(
        string="Address Given",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
        help="The email address typed into the public complaint form. The "
        "complaint is filed for the customer owning it only once the address is "
        "confirmed by the link mailed to it.",
    )
    web_email_confirmed = fields.Boolean(
        string="Address Confirmed",
        readonly=True,
        copy=False,
        groups=INTERNAL,
        help="The sender of the public form clicked the confirmation link mailed "
        "to the address they gave.",
    )
    web_remote_addr = fields.Char(
        string="Sent From IP",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=INTERNAL,
        help="The client IP address the public form was sent from.",
    )

    # ------------------------------------------------------------------
    # Rate limit
    # ------------------------------------------------------------------
    @api.model
    def _get_care_param(self, param):
        """An integer system parameter, or its default when unset or broken."""
        key, default = param
        raw = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            return int(raw) if raw not in (None, False, "") else default
        except ValueError:
            return default

    @api.model
    def _web_form_rate_limited(self, email, remote_addr):
        """Whether the public form has taken its limit of complaints this last
        hour from this address or from this client IP (a limit of 0: none)."""
        since = fields.Datetime.now() - RATE_WINDOW
        # sudo: counted over all the form's complaints, whoever may read them.
        Complaint = self.sudo()
        limits = [
            ("web_email", email, self._get_care_param(PARAM_LIMIT_EMAIL)),
            ("web_remote_addr", remote_addr, self._get_care_param(PARAM_LIMIT_IP)),
        ]
        return any(
            limit > 0
            and value
            and Complaint.search_count(
                [(fname, "=", value), ("create_date", ">=", since)], limit=limit
            )
            >= limit
            for fname, value, limit in limits
        )

    # ------------------------------------------------------------------
    # Confirmation of the address
    # ------------------------------------------------------------------
    def _web_confirm_token(self):
        self.ensure_one()
        return hash_sign(
            self.env(su=True),
            CONFIRM_SCOPE,
            [self.id, self.sudo().web_email],
            expiration_hours=self._get_care_param(PARAM_CONFIRM_HOURS),
        )

    def _web_confirm_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/complaint/confirm/{self.id}/{self._web_confirm_token()}"

    def _web_check_confirm_token(self, token):
        """Whether `token` is this complaint's valid, unexpired confirmation
        token (signed for its id and the address given)."""
        self.ensure_one()
        complaint = self.sudo()
        if not (token and complaint.web_email):
            return False
        try:
            payload = verify_hash_signed(self.env(su=True), CONFIRM_SCOPE, token)
        except ValueError:  # not even a token (bad base64, version, JSON)
            return False
        return payload == [complaint.id, complaint.web_email]

    def _web_send_confirmation(self):
        """Mail the address given on the form the link that confirms it."""
        template = self.env.ref("crm_care.mail_template_complaint_web_confirm")
        for complaint in self.sudo():
            template.sudo().send_mail(
                complaint.id, email_layout_xmlid="mail.mail_notification_light"
            )

    def _web_confirm_email(self):
        """The address given on the form is confirmed: file the complaint for
        the customer owning it (unless staff matched it already) and let the
        contact follow it."""
        for complaint in self.sudo().filtered(lambda c: not c.web_email_confirmed):
            vals = {"web_email_confirmed": True}
            sender = (
                self._find_sender(complaint.web_email)
                if not complaint.partner_id
                else self.env["res.partner"]
            )
            if sender:
                vals["partner_id"] = sender.id
                if sender.company_id:
                    vals["company_id"] = sender.company_id.id
            complaint.write(vals)
            if sender:
                complaint.message_subscribe(
                    (complaint.contact_id or complaint.partner_id).ids
                )
            complaint.message_post(
                body=complaint._care_staff_env()._(
                    "The sender confirmed the address %(email)s given on the "
                    "public form.",
                    email=complaint.web_email,
                ),
                subtype_xmlid="mail.mt_note",
                author_id=self.env.ref("base.partner_root").id,
            )

    # ------------------------------------------------------------------
    # Mail gateway: the loop guard counts mails, not form posts
    # ------------------------------------------------------------------
    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # Complaints from the public form or the portal carry an address too,
        # but are no mails: counted, they would make the sender's real mail
        # look like a loop and bounce it.
        domain = super()._detect_loop_sender_domain(email_from_normalized)
        return [("channel", "=", "email"), *domain] if domain else domain

    @api.model
    def _web_normalize_email(self, email):
        """The one email address typed into a form, normalized; False when it
        holds control characters, several addresses or none."""
        if not email or clean_header(email) != email.strip():
            return False
        return email_normalize(email, strict=True)

    # ------------------------------------------------------------------
    # Mail gateway: clean headers, no oversize attachments
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to the complaints alias: a complaint of the sender's
        company, found by the sender's address (unknown senders are kept with
        their address, for someone to match by hand)."""
        # The gateway posts `msg_dict` on the complaint once it exists: what is
        # cleaned or dropped here is what gets stored.
        dropped = self._clean_incoming_mail(msg_dict)
        values = dict(custom_values or {})
        sender = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if not sender or sender.user_ids.filtered(lambda user: not user.share):
            sender = self._find_sender(msg_dict.get("email_from"))
        body = msg_dict.get("body") or ""
        values.setdefault(
            "subject", msg_dict.get("subject") or self.env._("(no subject)")
        )
        values.setdefault("channel", "email")
        values.setdefault("description", plaintext2html(html2plaintext(body)))
        if sender:
            values.setdefault("partner_id", sender.id)
            if sender.company_id and "company_id" not in values:
                values["company_id"] = sender.company_id.id
        complaint = super().message_new(msg_dict, custom_values=values)
        complaint._note_dropped_attachments(dropped)
        return complaint

    @api.model
    def _find_sender(self, email):
        """The contact writing from `email`, to file the complaint for its
        company; not our own staff, whose address says nothing of a customer."""
        email = email_normalize(email or "")
        if not email:
            return self.env["res.partner"]
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("email_normalized", "=", email),
                    "|",
                    ("user_ids", "=", False),
                    ("user_ids.share", "=", True),
                ],
                limit=1,
            )
        )

    def message_update(self, msg_dict, update_vals=None):
        dropped = self._clean_incoming_mail(msg_dict)
        result = super().message_update(msg_dict, update_vals=update_vals)
        self._note_dropped_attachments(dropped)
        return result

    @api.model
    def _clean_incoming_mail(self, msg_dict):
        """Clean in place the header fields of an incoming mail and remove its
        attachments over the size limit; returns the (name, size) removed."""
        for key in ("email_from", "subject"):
            if msg_dict.get(key):
                msg_dict[key] = clean_header(msg_dict[key])
        limit = self._get_care_param(PARAM_ATTACHMENT_MB) * 1024 * 1024
        kept, dropped = [], []
        for attachment in msg_dict.get("attachments") or []:
            content = attachment[1] or b""
            size = len(content.encode() if isinstance(content, str) else content)
            if limit > 0 and size > limit:
                dropped.append((attachment[0], size))
            else:
                kept.append(attachment)
        if dropped:
            msg_dict["attachments"] = kept
        return dropped

    def _care_staff_env(self):
        """The environment of the notes the system posts on this complaint:
        in the language of its owner (else of the company), not of whoever
        sent the mail or filled the public form."""
        self.ensure_one()
        lang = self.user_id.lang or self.company_id.partner_id.lang
        return self.with_context(lang=lang).env if lang else self.env

    def _note_dropped_attachments(self, dropped):
        """Tell on the complaint which attachments of the mail were not kept."""
        if not dropped:
            return
        limit_mb = self._get_care_param(PARAM_ATTACHMENT_MB)
        for complaint in self:
            complaint.message_post(
                body=complaint._care_staff_env()._(
                    "Attachments not kept, larger than the %(limit)s MB allowed: "
                    "%(files)s. Ask the sender for smaller files or another way "
                    "to share them.",
                    limit=limit_mb,
                    files=", ".join(
                        f"{name or '?'} ({human_size(size)})" for name, size in dropped
                    ),
                ),
                subtype_xmlid="mail.mt_note",
                author_id=self.env.ref("base.partner_root").id,
            )

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        contact = self.contact_id or self.partner_id
        if contact:
            self._message_add_suggested_recipient(
                recipients, partner=contact, reason=self.env._("Customer")
            )
        elif self.email_from:
            self._message_add_suggested_recipient(
                recipients, email=self.email_from, reason=self.env._("Customer Email")
            )
        return recipients
