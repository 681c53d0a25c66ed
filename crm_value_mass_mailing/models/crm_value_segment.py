from odoo import api, fields, models
from odoo.exceptions import UserError

# Email Marketing users: the segment's list is theirs to make and sync.
MAILING_USER = "mass_mailing.group_mass_mailing_user"


class CrmValueSegment(models.Model):
    """A segment's mailing list: one mailing contact per member having an
    email, subscribed to the list; a campaign sent to the list reaches
    exactly the segment.

    Kept in sync by "Create/Update Mailing List" and, for the segments
    flagged, each night: new members subscribed, members who left
    unsubscribed (their subscription removed), contacts' name and email
    following the customer's. An opt-out is the recipient's choice: an
    opted-out subscription is never removed nor renewed, so that leaving
    the segment and coming back does not subscribe them again."""

    _inherit = "crm.value.segment"

    mailing_list_id = fields.Many2one(
        "mailing.list",
        copy=False,
        readonly=True,
        groups=MAILING_USER,
        ondelete="set null",
        help="The mailing list holding the segment's customers that have an email.",
    )
    mailing_sync = fields.Boolean(
        string="Sync Mailing List Nightly",
        groups=MAILING_USER,
        help="Each night, bring the segment's mailing list up to date with its "
        "customers.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_mailing_list_written(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_mailing_list_written(vals)
        return super().write(vals)

    @api.model
    def _check_mailing_list_written(self, vals):
        # The sync empties the list of anyone not in the segment: the list is
        # only ever the one the sync created, never one named by a user.
        if not self.env.su and "mailing_list_id" in vals:
            raise UserError(
                self.env._(
                    "A segment's mailing list is created by Create/Update "
                    "Mailing List: it cannot be chosen by hand."
                )
            )

    def action_sync_mailing_list(self):
        """Create the segment's mailing list, or bring it up to date."""
        self.check_access("write")
        for segment in self:
            segment._sync_mailing_list()
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "mailing.list",
                "res_id": self.mailing_list_id.id,
                "views": [(False, "form")],
            }
        return True

    @api.model
    def _cron_sync_mailing_lists(self):
        for segment in self.sudo().search([("mailing_sync", "=", True)]):
            segment._sync_mailing_list()
            # One segment's list complete at a time: a run that stops half
            # way leaves the other lists as they were.
            self.env["crm.value.queue"]._commit()

    def _sync_mailing_list(self):
        """The list holds one subscribed contact per member with an email,
        and no one else but those who opted out."""
        self.ensure_one()
        if not self.mailing_list_id:
            # The user creates the list (mailing rights); the segment's own
            # field is written by the sync only.
            mailing_list = self.env["mailing.list"].create({"name": self.name})
            self.sudo().mailing_list_id = mailing_list
        mailing_list = self.mailing_list_id
        members = self.env["res.partner"].search_fetch(
            [("id", "in", self._get_members_query()), ("email", "!=", False)],
            ["name", "email", "country_id"],
        )
        contacts = self._get_member_contacts(members)
        Subscription = self.env["mailing.subscription"]
        subscriptions = Subscription.search_fetch(
            [("list_id", "=", mailing_list.id)], ["contact_id", "opt_out"]
        )
        wanted = set(contacts.values())
        Subscription.create(
            [
                {"list_id": mailing_list.id, "contact_id": contact.id}
                for contact in wanted - set(subscriptions.contact_id)
            ]
        )
        subscriptions.filtered(
            lambda s: not s.opt_out and s.contact_id not in wanted
        ).unlink()

    def _get_member_contacts(self, members):
        """{member: mailing contact} standing for `members`, made where
        missing and following the customer's name, email and country."""
        Contact = self.env["mailing.contact"]
        existing = {
            contact.value_partner_id: contact
            for contact in Contact.search_fetch(
                [("value_partner_id", "in", members.ids)],
                ["value_partner_id", "name", "email", "country_id"],
            )
        }
        missing = members.filtered(lambda member: member not in existing)
        created = Contact.create(
            [
                {
                    "value_partner_id": member.id,
                    **self._get_contact_values(member),
                }
                for member in missing
            ]
        )
        contacts = {**existing, **dict(zip(missing, created, strict=True))}
        for member, contact in existing.items():
            values = self._get_contact_values(member)
            changed = {
                name: value
                for name, value in values.items()
                if (contact[name].id if name == "country_id" else contact[name])
                != value
            }
            if changed:
                contact.write(changed)
        return contacts

    @api.model
    def _get_contact_values(self, member):
        return {
            "name": member.name,
            "email": member.email,
            "country_id": member.country_id.id,
        }
